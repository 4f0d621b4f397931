"""The experts app in `make bench` (registry: alliance/bench.py): each area registers its
pages from its own module."""

from .bench_people import register_pages as register_people_pages

register_people_pages()

from .bench_terms import register_pages as register_terms_pages  # noqa: E402

register_terms_pages()

from .bench_pipeline import register_pages as register_pipeline_pages  # noqa: E402

register_pipeline_pages()

"""The experts app in `make bench` (registry: alliance/bench.py): each area registers its
pages from its own module."""

from .bench_people import register_pages as register_people_pages

register_people_pages()

from .bench_terms import register_pages as register_terms_pages  # noqa: E402

register_terms_pages()

from .bench_pipeline import register_pages as register_pipeline_pages  # noqa: E402

register_pipeline_pages()

from .bench_groups import register_pages as register_group_pages  # noqa: E402

register_group_pages()

# The region's experts, stakeholders and working groups, under every page of the bench.
from . import bench_region  # noqa: E402,F401

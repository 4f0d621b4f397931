"""The events app in `make bench` (registry: alliance/bench.py): each area registers its
pages from its own module."""

from .bench_plans import register_pages as register_plans_pages

register_plans_pages()

from .bench_support import register_pages as register_support_pages  # noqa: E402

register_support_pages()

from .bench_attendance import register_pages as register_attendance_pages  # noqa: E402

register_attendance_pages()

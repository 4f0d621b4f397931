"""The events app in `make bench` (registry: alliance/bench.py): each area registers its
pages from its own module."""

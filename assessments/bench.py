"""The assessment app in `make bench` (registry: alliance/bench.py): campaigns, assessments
and answers of a region in real proportions, and the pages measured on them."""

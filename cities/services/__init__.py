"""Writes about cities. Split by sub-domain: pipeline (cities and stages), contacts, scoring,
merging; import lives in cities.importing."""

"""Reads the events app's pages and API share, one module per area."""

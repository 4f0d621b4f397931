"""Outreach pages: letters (and their templates), partner networks, the materials library."""

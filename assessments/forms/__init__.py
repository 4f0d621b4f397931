"""The assessment app's forms, one module per area (as its views)."""

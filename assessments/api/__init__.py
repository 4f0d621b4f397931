"""The assessment app's REST API, one module per area; routes in alliance/urls.py."""

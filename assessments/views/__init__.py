"""The assessment app's pages, one module per area: roadmap, questionnaires, campaigns,
answering, review, benchmarks and reports."""

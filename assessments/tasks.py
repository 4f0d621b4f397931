"""Celery tasks of the assessment app: thin, idempotent, each calling a service."""

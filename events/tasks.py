"""Celery tasks of the events app: thin, idempotent, each calling a service."""

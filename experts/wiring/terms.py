"""Wiring of the experts area 'terms' into the core's registries (called from apps.py)."""


def wire() -> None:
    """Nothing registered yet."""

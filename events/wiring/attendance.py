"""Wiring of the events app's attendance area into the core's registries."""


def wire() -> None:
    pass

"""Wiring of the events app's support area into the core's registries."""


def wire() -> None:
    pass

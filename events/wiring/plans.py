"""Wiring of the events app's plans area into the core's registries."""


def wire() -> None:
    pass

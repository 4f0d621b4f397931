"""Wiring of the compliance check (a regular meeting a quarter, an annual event a year)."""


def wire() -> None:
    pass

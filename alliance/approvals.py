"""The kinds of approval the portal knows. Each app registers its own kinds at start-up.

A kind says who decides (a role) and what happens once it is decided: the callback runs in
the decision's transaction, so a guarded action proceeds exactly when the approval lands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ApprovalKind:
    code: str
    label: str
    route_role: str
    on_decided: Callable | None = None  # on_decided(approval=..., actor=...)
    # Where a reviewer reads what they are asked to clear: target_url(approval) -> str.
    target_url: Callable | None = None


KINDS: dict[str, ApprovalKind] = {}


def register(kind: ApprovalKind) -> None:
    KINDS[kind.code] = kind


def kind_choices():
    return [(code, kind.label) for code, kind in sorted(KINDS.items())]


def label_of(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


UNKNOWN_KIND = _("Unknown approval kind.")

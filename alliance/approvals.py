"""The kinds of approval the portal knows. Each app registers its own kinds at start-up.

A kind says who decides (a role) and what happens once it is decided: the callback runs in
the decision's transaction, so a guarded action proceeds exactly when the approval lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .wording import word


@dataclass(frozen=True)
class ApprovalKind:
    code: str
    label: str
    route_role: str
    on_decided: Callable | None = None  # on_decided(approval=..., actor=...)
    # Where a reviewer reads what they are asked to clear: target_url(approval) -> str.
    target_url: Callable | None = None
    # What is being decided, shown on the decision page above the form: a template rendered
    # with subject_context(approval) -> dict (plus `approval`).
    subject_template: str = ""
    subject_context: Callable | None = None
    # How a request reads on a history, e.g. "%(actor)s asked for legal approval: %(summary)s".
    asked: str = ""
    # A request's title, worded in the reader's language from the values the request keeps
    # (ApprovalRequest.title_values), e.g. "%(kind)s to %(city)s: %(subject)s"; `title_labels`
    # say how coded values read (alliance.wording).
    title: str = ""
    title_labels: dict = field(default_factory=dict)


KINDS: dict[str, ApprovalKind] = {}


def register(kind: ApprovalKind) -> None:
    KINDS[kind.code] = kind


def kind_choices():
    return [(code, kind.label) for code, kind in sorted(KINDS.items())]


def label_of(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


def title_of(code: str, values: dict, *, fallback: str = "") -> str:
    """A request's title in the active language, or `fallback` (the summary as stored) when
    its kind words none or the request kept no values."""
    kind = KINDS.get(code)
    if kind is None or not kind.title or not values:
        return fallback
    return word(kind.title, values, kind.title_labels)


def render_subject(approval, request=None) -> str:
    """The HTML of what `approval` asks about, or "" when its kind registered none."""
    from django.template.loader import render_to_string

    kind = KINDS.get(approval.kind)
    if kind is None or not kind.subject_template:
        return ""
    context = kind.subject_context(approval) if kind.subject_context else {}
    return render_to_string(kind.subject_template, {"approval": approval, **context},
                            request=request)


UNKNOWN_KIND = _("Unknown approval kind.")

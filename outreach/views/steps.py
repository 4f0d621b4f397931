"""The steps of a letter of intent on its page: each is done, current (the first not done) or
next. Only the page reads them; the services decide what each step allows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from alliance.models import ApprovalRequest

from ..models import Letter, LetterOfIntent

# In the order the work goes; the page has a section with the id "step-<key>" for each.
STEPS = (("terms", _("Terms")), ("approval", _("Approval")), ("send", _("Preview and send")),
         ("signed", _("Signed copy")))
STATE_LABELS = {"done": _("done"), "current": _("current step"), "next": _("next")}


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str  # "done", "current" or "next"
    number: int

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def intent_steps(letter: Letter, intent: LetterOfIntent | None,
                 legal: ApprovalRequest | None) -> dict[str, Step]:
    """The steps by key, in order."""
    sent = not letter.is_draft
    done = {"terms": intent is not None,
            "approval": sent or (legal is not None
                                 and legal.state == ApprovalRequest.State.APPROVED),
            "send": sent,
            "signed": bool(intent and intent.signed_at)}
    current = next((key for key, _label in STEPS if not done[key]), None)
    return {key: Step(key, label, "done" if done[key] else
                      "current" if key == current else "next", number)
            for number, (key, label) in enumerate(STEPS, start=1)}

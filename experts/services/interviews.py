"""Interviews: strengths and topic areas against the Policy Roadmap, the playbook's red flags
(each raised one with its note) and a suitability decision. Recording the first interview of
a candidate moves them to interviewed."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit
from alliance.services.changes import locked, save_locked

from ..models import Expert, Interview, RedFlag, Stage, Suitability
from . import pipeline

EDITABLE = ("held_on", "interviewer", "strengths", "red_flags", "suitability", "decision_note")
NOTE_LENGTH = 1000


def clean_red_flags(red_flags: dict | None) -> dict:
    """Every flag of the checklist as {"raised": bool, "note": str}; a raised flag needs its
    note, and a code outside the checklist is refused."""
    red_flags = red_flags or {}
    if not isinstance(red_flags, dict):
        raise DomainError(_("Give the red flags as the checklist has them."), field="red_flags")
    unknown = sorted(set(red_flags) - set(RedFlag.values))
    if unknown:
        raise DomainError(_("“%(code)s” is not a red flag of the checklist.")
                          % {"code": unknown[0]}, field="red_flags")
    cleaned = {}
    for code in RedFlag.values:
        flag = red_flags.get(code) or {}
        if not isinstance(flag, dict):
            raise DomainError(_("Give each red flag as raised or not, with a note."),
                              field="red_flags")
        raised = flag.get("raised") is True
        note = str(flag.get("note") or "").strip()[:NOTE_LENGTH]
        if raised and not note:
            raise DomainError(_("Say what you saw for the raised red flag “%(flag)s”.")
                              % {"flag": RedFlag(code).label}, field=f"flag_{code}_note")
        cleaned[code] = {"raised": raised, "note": note}
    return cleaned


def _check_decision(suitability: str, decision_note: str) -> None:
    if suitability not in Suitability.values:
        raise DomainError(_("Choose a suitability decision."), field="suitability")
    if suitability != Suitability.UNDECIDED and not decision_note.strip():
        raise DomainError(_("Say why the expert is or is not suitable."), field="decision_note")


def record_interview(*, actor, expert: Expert, held_on, interviewer=None, strengths: str = "",
                     principles=(), model_policies=(), red_flags: dict | None = None,
                     suitability: str = Suitability.UNDECIDED,
                     decision_note: str = "") -> Interview:
    """Write the interview down; a candidate moves to interviewed with it."""
    permissions.require(actor, "experts.edit", region=expert.region)
    flags = clean_red_flags(red_flags)
    _check_decision(suitability, decision_note)
    if held_on is None:
        raise DomainError(_("Give the day of the interview."), field="held_on")
    with transaction.atomic():
        expert = locked(expert, "region")
        if expert.stage == Stage.DECLINED:
            raise DomainError(_("The expert was declined: consider them again (back to "
                                "candidate) before recording an interview."), field="held_on")
        interview = Interview.objects.create(
            region=expert.region, expert=expert, held_on=held_on,
            interviewer=interviewer or actor, strengths=strengths.strip(), red_flags=flags,
            suitability=suitability, decision_note=decision_note.strip())
        interview.principles.set(principles)
        interview.model_policies.set(model_policies)
        audit.record(actor=actor, action="experts.interview.recorded", target=expert,
                     region=expert.region, day=held_on.isoformat(), suitability=suitability,
                     flags=", ".join(code for code in RedFlag.values if flags[code]["raised"]))
        if expert.stage == Stage.CANDIDATE:
            pipeline._move(actor=actor, expert=expert, to=Stage.INTERVIEWED,
                           note=_("Interviewed on %(day)s.") % {"day": held_on.isoformat()})
    return interview


def update_interview(*, actor, interview: Interview, principles=None, model_policies=None,
                     **changes) -> Interview:
    """Correct an interview; only what differs is saved and audited on the expert."""
    permissions.require(actor, "experts.edit", region=interview.region)
    if "red_flags" in changes:
        changes["red_flags"] = clean_red_flags(changes["red_flags"])
    for field in ("strengths", "decision_note"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    with transaction.atomic():
        row = locked(interview, "expert", "region")
        _check_decision(changes.get("suitability", row.suitability),
                        changes.get("decision_note", row.decision_note))
        if changes.get("held_on", row.held_on) is None:
            raise DomainError(_("Give the day of the interview."), field="held_on")
        also = {}
        for name, chosen in (("principles", principles), ("model_policies", model_policies)):
            if chosen is None:
                continue
            relation = getattr(row, name)
            old = sorted(relation.values_list("pk", flat=True))
            new = sorted(item.pk for item in chosen)
            if old != new:
                relation.set(chosen)
                also[name] = {"old": old, "new": new}
        save_locked(actor=actor, row=row, changes=changes, editable=EDITABLE,
                    action="experts.interview.updated", also=also, target=row.expert,
                    day=row.held_on.isoformat())
    return row

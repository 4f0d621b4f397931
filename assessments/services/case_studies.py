"""Case studies for the Urban Transformation Hub (playbook, Expansion step 6): collected
city by city, often from an assessment's answer, checked by the secretariat, then sent to
the Hub's team as an export. A city contact writes drafts for their own city; the
secretariat writes any, marks them ready and records that the ready ones were sent."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.services import audit
from alliance.services.changes import locked, save_locked
from cities.queries import cities_of_contact

from ..models import Answer, CaseStudy

State = CaseStudy.State
EDITABLE = ("title", "summary", "outcome", "model_policy", "link", "contact_name")


def manages(user, region) -> bool:
    return permissions.can(user, "assessments.manage_case_studies", region=region)


def visible_to(user, region):
    """The secretariat sees every case study of the region; everyone else those ready for
    the Hub or sent, and a city contact also their own city's drafts."""
    rows = CaseStudy.objects.filter(region=region)
    if manages(user, region):
        return rows
    shown = Q(state__in=[State.READY, State.SENT])
    if permissions.can(user, "assessments.write_own_case_study", region=region):
        shown |= Q(city__in=[city.pk for city in cities_of_contact(region, user)])
    return rows.filter(shown)


def may_edit(user, case_study: CaseStudy) -> bool:
    region = case_study.region
    if manages(user, region):
        return case_study.state != State.SENT
    return (case_study.state == State.DRAFT and _speaks_for(user, region, case_study.city_id))


def _speaks_for(user, region, city_id) -> bool:
    return (permissions.can(user, "assessments.write_own_case_study", region=region)
            and any(city.pk == city_id for city in cities_of_contact(region, user)))


def create_case_study(*, actor, region, city, title: str, summary: str, outcome: str = "",
                      principles=(), model_policy=None, link: str = "", contact_name: str = "",
                      source_answer: Answer | None = None) -> CaseStudy:
    if city.region_id != region.pk:
        raise DomainError(_("Choose a city of this region."), field="city")
    if not (manages(actor, region) or _speaks_for(actor, region, city.pk)):
        raise DomainError(_("You can write case studies for your own city only."),
                          field="city")
    with transaction.atomic():
        case_study = CaseStudy.objects.create(
            region=region, city=city, title=title, summary=summary, outcome=outcome,
            model_policy=model_policy, link=link, contact_name=contact_name,
            source_answer=source_answer, created_by=actor)
        case_study.principles.set(principles)
        audit.record(actor=actor, action="assessments.case_study.created", target=case_study,
                     region=region, title=title, city=city.name)
    return case_study


def update_case_study(*, actor, case_study: CaseStudy, principles=None, **changes) -> CaseStudy:
    """Change its text (and `principles`, when given) while the person may edit it."""
    with transaction.atomic():
        row = locked(case_study, "region")
        if not may_edit(actor, row):
            raise InvalidTransition(_("This case study can no longer be changed here."))
        also = {}
        if principles is not None:
            old = sorted(p.key for p in row.principles.all())
            new = sorted(p.key for p in principles)
            if old != new:
                row.principles.set(principles)
                also["principles"] = {"old": ", ".join(old), "new": ", ".join(new)}
        save_locked(actor=actor, row=row, changes=changes, editable=EDITABLE,
                    action="assessments.case_study.changed", also=also)
    return row


def mark_ready(*, actor, case_study: CaseStudy) -> CaseStudy:
    permissions.require(actor, "assessments.manage_case_studies", region=case_study.region)
    with transaction.atomic():
        case_study = locked(case_study, "region")
        if case_study.state != State.DRAFT:
            raise InvalidTransition(_("Only a draft can be marked ready for the Hub."))
        case_study.state = State.READY
        case_study.save(update_fields=["state"])
        audit.record(actor=actor, action="assessments.case_study.ready", target=case_study,
                     region=case_study.region)
    return case_study


def mark_sent(*, actor, region) -> int:
    """Every case study ready for the Hub is recorded as sent (after the export went to the
    Hub's team). Returns how many."""
    permissions.require(actor, "assessments.manage_case_studies", region=region)
    with transaction.atomic():
        ready = list(CaseStudy.objects.select_for_update()
                     .filter(region=region, state=State.READY))
        now = timezone.now()
        for case_study in ready:
            case_study.state, case_study.sent_at = State.SENT, now
            audit.record(actor=actor, action="assessments.case_study.sent", target=case_study,
                         region=region)
        CaseStudy.objects.bulk_update(ready, ["state", "sent_at"])
    return len(ready)


def starting_from(answer: Answer) -> dict:
    """What a case study drawn from an answer starts with: its city, the question's section's
    principle and model policy, what the city wrote, its evidence link."""
    section = answer.question.section
    return {"city": answer.assessment.city, "title": section.shown_title,
            "summary": answer.text, "link": answer.evidence_url,
            "principles": [section.principle] if section.principle_id else [],
            "model_policy": section.model_policy}

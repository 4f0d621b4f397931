"""Demo stakeholders of each region, at every status: a national agency and a Forum Partner
whose engagement clearance waits for a Forum reviewer, organizations approached and involved;
and, in a region where the demo expert signs in, their account linked to the region's
confirmed demo expert so that their own pages have a record to show. Safe to run again: a
stakeholder already there by name is left as it is.

Call inside the region's scope: `seed(region, secretariat_user)`."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from alliance.demo import USERS
from alliance.models import Role

from .models import Expert, Involvement, Stage, Stakeholder, StakeholderKind, StakeholderStatus
from .services import pipeline, stakeholders

Kind, Status = StakeholderKind, StakeholderStatus
# name, kind, national government, organization, involvement, how, channel, contact, status
STAKEHOLDERS = {
    "japan": [
        ("Digital Agency", Kind.GOVERNMENT_AGENCY, True, "Government of Japan",
         Involvement.DISSEMINATION, "Shares the model policies with the prefectures' CIOs.",
         "engagement_officer", "Director, Smart City Policy", Status.IDENTIFIED),
        ("Nippon Telecom Partners", Kind.FORUM_PARTNER, False, "",
         Involvement.EXPERTISE, "Data platform engineers at the regular meetings.",
         "engagement_officer", "", Status.IDENTIFIED),
        ("Japan Smart City Association", Kind.ORGANIZATION, False, "",
         Involvement.INTRODUCTIONS, "Introduces member cities and their officers.",
         "partner_network", "Secretary General", Status.INVOLVED),
        ("Maebashi Chamber of Commerce", Kind.ORGANIZATION, False, "",
         Involvement.EVENTS, "Hosts the autumn workshop; the event stays open to the public.",
         "personal_contact", "", Status.APPROACHED),
    ],
    "india": [
        ("Ministry of Housing and Urban Affairs", Kind.GOVERNMENT_AGENCY, True,
         "Government of India", Involvement.SPONSORSHIP,
         "Senior sponsorship of the launch event.", "engagement_officer", "", Status.IDENTIFIED),
        ("National Institute of Urban Affairs", Kind.ORGANIZATION, False, "",
         Involvement.EXPERTISE, "Researchers join the working groups.", "fellow", "",
         Status.APPROACHED),
    ],
    "latin-america": [
        ("CAF Development Bank", Kind.ORGANIZATION, False, "", Involvement.DISSEMINATION,
         "Shares the Alliance's calls with the cities it finances.", "partner_network", "",
         Status.IDENTIFIED),
    ],
}
# The moves from identified to each status (the clearance-free stakeholders only).
PATHS = {Status.IDENTIFIED: [], Status.APPROACHED: [Status.APPROACHED],
         Status.INVOLVED: [Status.APPROACHED, Status.INVOLVED]}
DEMO_EXPERT = next(email for email, _name, role, _region in USERS if role == Role.EXPERT)


def seed(region, secretariat) -> None:
    for row in STAKEHOLDERS.get(region.slug, []):
        name, kind, national, organization, involvement, how, channel, contact, status = row
        if Stakeholder.objects.filter(region=region, name=name).exists():
            continue
        stakeholder = stakeholders.create_stakeholder(
            actor=secretariat, region=region, name=name, kind=kind,
            is_national_government=national, organization=organization,
            involvement=involvement, involvement_note=how, channel=channel,
            contact_name=contact, owner=secretariat)
        if stakeholder.needs_clearance:
            stakeholders.request_clearance(actor=secretariat, stakeholder=stakeholder)
            continue
        for step in PATHS[status]:
            stakeholders.move_status(actor=secretariat, stakeholder=stakeholder, to=step)
    _link_demo_expert(region)


def _link_demo_expert(region) -> None:
    """The demo expert's account on the region's first confirmed demo expert, if they are a
    member here and no record is theirs yet."""
    user = (get_user_model().objects
            .filter(email=DEMO_EXPERT, memberships__region=region,
                    memberships__role=Role.EXPERT).first())
    if user is None or Expert.objects.filter(region=region, user=user).exists():
        return
    expert = (Expert.objects.filter(region=region, user__isnull=True,
                                    stage__in=(Stage.CONFIRMED, Stage.ACTIVE))
              .order_by("stage_changed_at", "id").first())
    if expert is not None:
        pipeline.link_account(expert=expert, user=user)

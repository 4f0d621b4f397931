"""Demo working groups and advisory board candidates: in Japan, a group on a model policy led
by the demo expert (their delegation written down, its review date, an update note), with the
region's confirmed experts and a city contact as members and a past and an upcoming session;
three candidates for the optional Senior Advisory Board. Safe to run again: a group or a
candidate already there by name is left as it is.

Call inside the region's scope: `seed(region, secretariat_user)`."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from alliance.demo import USERS
from alliance.models import Role
from alliance.services import delegations
from cities.models import Contact

from .models import AdvisorCandidate, AdvisorStatus, Cadence, Gender, WorkingGroup
from .services import groups

DEMO_EXPERT = next(email for email, _name, role, _region in USERS if role == Role.EXPERT)
# name, theme, purpose, cadence
GROUPS = {
    "japan": [("Open data in practice", "Open data portals of mid-sized cities",
               ("Compare how member cities publish and maintain their data, and turn what "
                "works into guidance for the model policy."), Cadence.TWICE_YEARLY)],
    "india": [("Urban mobility data", "Sharing mobility data across agencies",
               "Experts advise cities on data-sharing agreements with transport operators.",
               Cadence.YEARLY)],
}
# name, organization, position, gender, speaker, influence, low burden, status
CANDIDATES = {
    "japan": [
        ("Naoko Mori", "Kyoto Institute of Urban Policy", "President", Gender.WOMAN,
         True, True, True, AdvisorStatus.APPROACHED),
        ("Takeshi Ono", "Former Vice-Minister, Digital Agency", "Advisor", Gender.MAN,
         True, True, False, AdvisorStatus.CANDIDATE),
        ("Emi Kato", "Tohoku Smart Region Council", "Chair", Gender.WOMAN,
         False, True, True, AdvisorStatus.CANDIDATE),
    ],
}


def seed(region, secretariat) -> None:
    for name, theme, purpose, cadence in GROUPS.get(region.slug, []):
        if not WorkingGroup.objects.filter(region=region, name=name).exists():
            _group(region, secretariat, name=name, theme=theme, purpose=purpose,
                   cadence=cadence)
    for row in CANDIDATES.get(region.slug, []):
        name, organization, position, gender, speaker, influence, burden, status = row
        if not AdvisorCandidate.objects.filter(region=region, name=name).exists():
            AdvisorCandidate.objects.create(
                region=region, name=name, organization=organization, position=position,
                gender=gender, viable_speaker=speaker, high_influence=influence,
                low_burden=burden, status=status)


def _group(region, secretariat, **fields) -> None:
    lead = (get_user_model().objects.filter(email=DEMO_EXPERT, memberships__region=region,
                                            memberships__role=Role.EXPERT).first())
    policy = groups.adopted_policies().first()
    group = groups.create_group(actor=secretariat, region=region, model_policy=policy,
                                lead=lead, **fields)
    for expert in groups.member_experts(region)[:3]:
        groups.add_member(actor=secretariat, group=group, expert=expert)
    contact = Contact.objects.filter(region=region, is_key=True).order_by("pk").first()
    if contact is not None:
        groups.add_member(actor=secretariat, group=group, contact=contact)
    now = timezone.now()
    groups.create_session(actor=secretariat, group=group, title="Kick-off: what cities need",
                          starts_at=now - datetime.timedelta(days=120),
                          location="Maebashi City Hall", notes="Each city presented its portal.")
    groups.create_session(actor=secretariat, group=group, title="Spring workshop",
                          starts_at=now + datetime.timedelta(days=45),
                          location="https://meet.example.org/open-data")
    delegation = delegations.current_delegation(group, groups.GRANT)
    if delegation is not None:
        delegations.add_note(actor=lead, delegation=delegation,
                             body="Agenda of the spring workshop drafted with two cities; "
                                  "one more expert asked to join.")

"""Demo experts of the Japan region, one at each step of the pipeline: a candidate, an
interviewed academic, a private-sector expert interviewed with a red flag whose vetting waits
for a Forum reviewer, a vetted expert ready to be invited, a confirmed one and a declined one.
Safe to run again: an expert already there by name is left as it is.

Call inside the region's scope: `seed(region, secretariat_user)`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from alliance.services.approvals import is_approved, requests_about
from assessments.models import Principle

from .models import (
    Expert,
    ExpertStageChange,
    Interview,
    RedFlag,
    Sector,
    Stage,
    Suitability,
)
from .services.pipeline import EXPERT_VETTING
from .services.vetting import request_vetting

# name, organization, title, sector, Forum Partner, stage, email, declared interests,
# principles (keys), interview (suitability, raised flag or "")
EXPERTS = {
    "japan": [
        ("Aiko Tanaka", "Keio University", "Associate Professor", Sector.ACADEMIC, False,
         Stage.CANDIDATE, "a.tanaka@keio.example", "", ["privacy"], None),
        ("Hiroshi Sato", "Japan Smart City Institute", "Research Director",
         Sector.NON_PROFIT, False, Stage.INTERVIEWED, "sato@jsci.example", "",
         ["interoperability", "sustainability"], (Suitability.SUITABLE, "")),
        ("Kenji Watanabe", "Kansai Data Systems", "Head of Public Sector",
         Sector.PRIVATE, False, Stage.INTERVIEWED, "k.watanabe@kansaidata.example",
         "Maebashi\nAdvisory board, Osaka Open Data Forum",
         ["interoperability", "security"], (Suitability.SUITABLE, RedFlag.SALES)),
        ("Yuki Nakamura", "Tokyo Metropolitan University", "Professor", Sector.ACADEMIC,
         False, Stage.VETTED, "nakamura@tmu.example", "", ["equity"],
         (Suitability.SUITABLE, "")),
        ("Mariko Ito", "Digital Agency", "Policy Advisor", Sector.PUBLIC, False,
         Stage.CONFIRMED, "m.ito@digital.example", "", ["privacy", "security"],
         (Suitability.SUITABLE, "")),
        ("Taro Yamada", "Yamada Consulting", "Founder", Sector.PRIVATE, False,
         Stage.DECLINED, "taro@yamada.example", "", [], (Suitability.NOT_SUITABLE,
                                                         RedFlag.COMMITMENT)),
    ],
}
# The path each stage took, from candidate.
PATHS = {Stage.CANDIDATE: [], Stage.INTERVIEWED: [Stage.INTERVIEWED],
         Stage.VETTED: [Stage.INTERVIEWED, Stage.VETTED],
         Stage.CONFIRMED: [Stage.INTERVIEWED, Stage.VETTED, Stage.INVITED, Stage.CONFIRMED],
         Stage.DECLINED: [Stage.INTERVIEWED, Stage.DECLINED]}
FLAG_NOTES = {RedFlag.SALES: "Returned twice to the company's products when asked about "
                             "procurement rules.",
              RedFlag.COMMITMENT: "Could not give time to working groups this year."}


def seed(region, secretariat) -> None:
    principles = {p.key: p for p in Principle.objects.all()}
    for index, row in enumerate(EXPERTS.get(region.slug, [])):
        (name, organization, title, sector, partner, stage, email, interests, keys,
         interview) = row
        if Expert.objects.filter(region=region, name=name).exists():
            continue
        start = timezone.now() - datetime.timedelta(days=60 - index * 7)
        expert = Expert.objects.create(
            region=region, name=name, organization=organization, title=title, sector=sector,
            is_forum_partner=partner, stage=stage, email=email, declared_interests=interests,
            languages=["ja", "en"], owner=secretariat, stage_changed_at=start,
            public_fields=["organization", "topics", "languages"],
            bio=f"{title} at {organization}.", created_at=start)
        expert.principles.set([principles[k] for k in keys if k in principles])
        if interview:
            suitability, flag = interview
            Interview.objects.create(
                region=region, expert=expert, held_on=(start + datetime.timedelta(days=3)).date(),
                interviewer=secretariat, strengths="Knows how cities buy and run data platforms.",
                red_flags={code: {"raised": code == flag, "note": FLAG_NOTES.get(code, "")
                                  if code == flag else ""} for code in RedFlag.values},
                suitability=suitability,
                decision_note="Brings practice the working groups lack."
                if suitability == Suitability.SUITABLE else "Not available for the groups.")
        previous = Stage.CANDIDATE
        for step, to in enumerate(PATHS.get(stage, [])):
            ExpertStageChange.objects.create(
                region=region, expert=expert, from_stage=previous, to_stage=to,
                actor=secretariat, at=start + datetime.timedelta(days=3 + step * 5),
                note="Not available for the working groups this year."
                if to == Stage.DECLINED else "")
            previous = to
        if (sector == Sector.PRIVATE and stage == Stage.INTERVIEWED
                and not is_approved(expert, kind=EXPERT_VETTING)
                and not requests_about(expert, kind=EXPERT_VETTING).exists()):
            request_vetting(actor=secretariat, expert=expert)

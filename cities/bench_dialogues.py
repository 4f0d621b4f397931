"""The monthly dialogues in `make bench` (registered from cities/bench.py): a bench region's
member cities (a share of its long list made members, besides the pipeline's own) with a
year of dialogues, a gap here and there, and follow-ups; the coverage, the list, a dialogue's
page and the form measured on them."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from alliance.bench import Batch, Bench, BenchPage, add_background, owners_of, register
from alliance.models import Role

from .models import City, Dialogue, DialogueFollowUp, Stage
from .services.dialogues import MAX_FOLLOW_UPS

_serial = itertools.count(1)
MONTHS = 12
WHO = [Dialogue.WithWhom.SMART_CITY_LEAD, Dialogue.WithWhom.SMART_CITY_LEAD,
       Dialogue.WithWhom.MAYOR, Dialogue.WithWhom.OTHER]
CHANNELS = list(Dialogue.Channel.values)
SUMMARY = ("Went through the city's progress on the model policy and what it needs from the "
           "alliance next: a peer city to learn from and an expert on procurement.")


def _month_back(today: datetime.date, back: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def add_dialogues(batch: Batch) -> None:
    """Every third long-list city of the round becomes a member a year and a half ago; each
    member city has a dialogue most months of the last year (every seventh city-month is a
    gap), every fourth with a follow-up owned by the region's secretariat."""
    region, owners = batch.region, owners_of(batch.region)
    cities = batch.added.get(City, [])
    joined = timezone.now() - datetime.timedelta(days=540)
    chosen = [c.pk for c in cities if c.stage == Stage.LONG_LIST][::3]
    City.objects.filter(pk__in=chosen).update(stage=Stage.MEMBER, stage_changed_at=joined)
    members = [c for c in cities if c.pk in set(chosen) or c.stage == Stage.MEMBER]
    today = timezone.localdate()
    rows = []
    for n, city in enumerate(members):
        for back in range(MONTHS):
            if (n + back) % 7 == 3:
                continue
            month = _month_back(today, back)
            held_on = min(month + datetime.timedelta(days=(n + back) % 25), today)
            rows.append(Dialogue(region=region, city_id=city.pk, held_on=held_on,
                                 with_whom=WHO[(n + back) % len(WHO)],
                                 with_whom_note="Digital office" if (n + back) % 2 else "",
                                 channel=CHANNELS[(n + back) % len(CHANNELS)],
                                 summary=SUMMARY, author=owners[n % len(owners)]))
    dialogues = Dialogue.objects.bulk_create(rows, batch_size=2000)
    DialogueFollowUp.objects.bulk_create(
        (DialogueFollowUp(region=region, dialogue=dialogue, title="Send the guide",
                          owner=owners[k % len(owners)],
                          due_on=dialogue.held_on + datetime.timedelta(days=21),
                          done_at=timezone.now() if k % 3 else None)
         for k, dialogue in enumerate(dialogues) if k % 4 == 0), batch_size=2000)


add_background(add_dialogues)


def a_dialogue(bench: Bench) -> dict:
    owner = owners_of(bench.region)[0]
    city = City.objects.create(region=bench.region, name=f"Bench Dialogue City {next(_serial)}",
                               country="JP", stage=Stage.MEMBER, owner=owner)
    bench.subject = Dialogue.objects.create(
        region=bench.region, city=city, held_on=timezone.localdate(), summary=SUMMARY,
        with_whom=Dialogue.WithWhom.MAYOR, with_whom_note="Mayor and the CIO", author=owner)
    return {"region_slug": bench.region.slug, "dialogue_id": bench.subject.pk}


def add_follow_ups(bench: Bench, rows: int) -> None:
    """Follow-ups of the dialogue the page shows, owned by the region's secretariat, up to
    the most a dialogue takes (dialogues.MAX_FOLLOW_UPS)."""
    owners = owners_of(bench.region)
    rows = min(rows, MAX_FOLLOW_UPS)
    DialogueFollowUp.objects.bulk_create(
        DialogueFollowUp(region=bench.region, dialogue=bench.subject, title=f"Follow-up {n}",
                         owner=owners[n % len(owners)],
                         due_on=timezone.localdate() + datetime.timedelta(days=n % 60 - 30),
                         done_at=timezone.now() if n % 2 else None)
        for n in range(rows))


def register_pages() -> None:
    RS = Role.REGIONAL_SECRETARIAT
    register(
        BenchPage("dialogue-coverage", RS),
        BenchPage("dialogue-coverage", RS, query="months=12"),
        BenchPage("dialogue-coverage", RS, query="months=12&gaps=on"),
        BenchPage("dialogue-list", RS),
        BenchPage("dialogue-list", RS, query="q=Puerto&channel=online"),
        BenchPage("dialogue-detail", RS, a_dialogue, add_follow_ups),
        BenchPage("dialogue-create", RS),
        BenchPage("dialogue-edit", RS, a_dialogue),
        BenchPage("api:dialogue-list", RS),
        BenchPage("api:dialogue-coverage-list", RS),
    )

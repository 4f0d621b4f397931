"""Demo dialogues: the last months of conversations with each member city of a demo region,
with a gap or two for the coverage view to show and follow-ups, some done, one overdue.
Safe to run again: a region that has dialogues already is left as it is.

Call inside the region's scope: `seed(region, secretariat_user)`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import City, Dialogue, Stage
from .services import dialogues
from .services.dialogues import add_months, month_start

MONTHS = 6
WHO = [Dialogue.WithWhom.SMART_CITY_LEAD, Dialogue.WithWhom.SMART_CITY_LEAD,
       Dialogue.WithWhom.MAYOR, Dialogue.WithWhom.OTHER]
CHANNELS = [Dialogue.Channel.ONLINE, Dialogue.Channel.EMAIL, Dialogue.Channel.VISIT,
            Dialogue.Channel.CHAT]
SUMMARIES = [
    "Went through the city's open data portal and what it needs to adopt the model policy.",
    "The mayor confirmed the city's commitment and asked for a peer city to learn from.",
    "The digital office is short of staff this quarter; agreed to meet again next month.",
    "Discussed speakers from the city for the next regular meeting.",
]
FOLLOW_UPS = ["Send the model policy's implementation guide",
              "Introduce the city to an expert on data governance",
              "Confirm the city's speaker for the regular meeting"]


def seed(region, secretariat) -> None:
    if Dialogue.objects.filter(region=region).exists():
        return
    today = timezone.localdate()
    current = month_start(today)
    members = list(City.objects.filter(region=region, stage=Stage.MEMBER).order_by("pk")[:12])
    # Cities on their way in are spoken to too, now and then: they show in the list.
    joining = list(City.objects.filter(region=region, stage__in=[
        Stage.COMMITTED, Stage.IN_DIALOGUE]).order_by("pk")[:6])
    for n, city in enumerate(joining):
        dialogues.create_dialogue(
            actor=secretariat, region=region, city=city,
            held_on=today - datetime.timedelta(days=9 * n + 3),
            with_whom=WHO[n % len(WHO)], channel=CHANNELS[n % len(CHANNELS)],
            with_whom_note="Deputy director, planning"
            if WHO[n % len(WHO)] == Dialogue.WithWhom.OTHER else "",
            summary="Talked through what membership asks of the city and its first steps.")
    for n, city in enumerate(members):
        for back in range(MONTHS - 1, -1, -1):
            month = add_months(current, -back)
            # A gap: every city misses one month of the last six, some two; the current
            # month only half the cities so far.
            if (n + back) % 5 == 1 or (back == 0 and n % 2):
                continue
            held_on = min(month + datetime.timedelta(days=(n * 3 + back) % 20 + 2), today)
            follow_ups = []
            if (n + back) % 3 == 0:
                follow_ups.append({"title": FOLLOW_UPS[(n + back) % len(FOLLOW_UPS)],
                                   "owner": secretariat,
                                   "due_on": held_on + datetime.timedelta(days=21)})
            dialogue = dialogues.create_dialogue(
                actor=secretariat, region=region, city=city, held_on=held_on,
                with_whom=WHO[(n + back) % len(WHO)],
                with_whom_note="Deputy director, planning" if WHO[(n + back) % len(WHO)]
                == Dialogue.WithWhom.OTHER else "",
                channel=CHANNELS[(n + back) % len(CHANNELS)],
                summary=SUMMARIES[(n + back) % len(SUMMARIES)], follow_ups=follow_ups)
            if back > 2:
                for follow_up in dialogue.follow_ups.all():
                    dialogues.set_follow_up_done(actor=secretariat, follow_up=follow_up,
                                                 done=True)

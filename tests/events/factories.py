"""factory-boy factories of the events app (and of the dialogues with cities)."""

import datetime

import factory
from django.utils import timezone

from cities.models import Dialogue, DialogueFollowUp
from events.models import (
    ActionItem,
    AgendaItem,
    Event,
    EventInvitation,
    EventKind,
    MeetingSeries,
    SupportActivity,
    SupportKind,
    Workplan,
    WorkplanComment,
    WorkplanMilestone,
    WorkplanProgress,
    WorkplanTemplate,
)
from tests.assessments.factories import ModelPolicyFactory
from tests.factories import CityFactory, RegionFactory


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Regular meeting series {n}")


class EventFactory(factory.django.DjangoModelFactory):
    """A regular meeting eight weeks ahead, an hour long."""

    class Meta:
        model = Event

    region = factory.SubFactory(RegionFactory)
    kind = EventKind.REGULAR_MEETING
    title = factory.Sequence(lambda n: f"Regular meeting {n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(weeks=8)).replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=1))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    event = factory.SubFactory(EventFactory)
    region = factory.SelfAttribute("event.region")
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class EventInvitationFactory(factory.django.DjangoModelFactory):
    """A city invited (pass expert=..., city=None for an expert)."""

    class Meta:
        model = EventInvitation

    event = factory.SubFactory(EventFactory)
    region = factory.SelfAttribute("event.region")
    city = factory.SubFactory(CityFactory, region=factory.SelfAttribute("..region"))


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    event = factory.SubFactory(EventFactory)
    region = factory.SelfAttribute("event.region")
    title = factory.Sequence(lambda n: f"Action {n}")


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dialogue

    city = factory.SubFactory(CityFactory)
    region = factory.SelfAttribute("city.region")
    held_on = factory.LazyFunction(timezone.localdate)
    summary = "Discussed the city's needs for model-policy support."


class DialogueFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueFollowUp

    dialogue = factory.SubFactory(DialogueFactory)
    region = factory.SelfAttribute("dialogue.region")
    title = factory.Sequence(lambda n: f"Follow-up {n}")


class WorkplanTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkplanTemplate

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Workplan template {n}")
    goals = "Adopt the model policy and publish it."
    milestones = factory.LazyFunction(lambda: [
        {"title": "Name the responsible department", "after_days": 30},
        {"title": "Draft the policy", "after_days": 120},
        {"title": "Adopt the policy", "after_days": 240}])


class WorkplanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workplan

    city = factory.SubFactory(CityFactory)
    region = factory.SelfAttribute("city.region")
    model_policy = factory.SubFactory(ModelPolicyFactory)
    goals = "Adopt the model policy within the year."


class WorkplanMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkplanMilestone

    workplan = factory.SubFactory(WorkplanFactory)
    region = factory.SelfAttribute("workplan.region")
    title = factory.Sequence(lambda n: f"Milestone {n}")


class WorkplanCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkplanComment

    workplan = factory.SubFactory(WorkplanFactory)
    region = factory.SelfAttribute("workplan.region")
    body = "Start with the data inventory."


class WorkplanProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkplanProgress

    workplan = factory.SubFactory(WorkplanFactory)
    region = factory.SelfAttribute("workplan.region")
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    summary = "The department drafted the first section."


class SupportActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportActivity

    city = factory.SubFactory(CityFactory)
    region = factory.SelfAttribute("city.region")
    kind = SupportKind.WORKSHOP

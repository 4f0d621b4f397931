"""Campaign jobs: the launch, reminders, the weekly digest, closing at the deadline and the
annual schedule. Each runs twice and does its work once."""

import datetime
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_scopes import scope

from alliance.errors import DomainError, InvalidTransition
from alliance.models import AuditEntry, Notification, Role
from alliance.services import notifications
from alliance.tenancy import region_scope
from assessments import tasks
from assessments.models import Assessment, AssessmentSettings, BusyPeriod, Campaign
from assessments.services import campaigns
from cities.models import Stage
from tests.conftest import member
from tests.factories import CityFactory, ContactFactory, UserFactory

from .factories import AssessmentFactory, CampaignFactory, QuestionnaireFactory, VersionFactory

State = Assessment.State


@pytest.fixture
def home(cast):
    return cast.home.region


@pytest.fixture
def rs(cast):
    return cast.home.regional_secretariat


def _draft(region, **kwargs):
    today = datetime.date.today()
    kwargs.setdefault("opens_on", today)
    kwargs.setdefault("closes_on", today + timedelta(weeks=8))
    return CampaignFactory(region=region, state=Campaign.State.DRAFT, **kwargs)


def _member_city(region, name, *, contact=True, **contact_kwargs):
    city = CityFactory(region=region, name=name, stage=Stage.MEMBER)
    if contact:
        ContactFactory(city=city, is_key=True, **contact_kwargs)
    return city


def _launch(region, campaign, actor, capture):
    with capture(execute=True), region_scope(region):
        campaigns.launch_campaign(actor=actor, campaign=campaign)


def test_the_launch_asks_every_member_and_opted_in_city_and_invites_each_key_contact(
        cast, home, rs, django_capture_on_commit_callbacks):
    official = UserFactory(email="official@toyama.example.org", language="ja")
    toyama = _member_city(home, "Toyama", user=official, email="")
    kochi = _member_city(home, "Kochi", email="kochi@example.org", language="es")
    nara = _member_city(home, "Nara", contact=False)
    opted_in = CityFactory(region=home, name="Otaru", stage=Stage.COMMITTED)
    ContactFactory(city=opted_in, is_key=True, email="otaru@example.org")
    CityFactory(region=home, name="Not asked", stage=Stage.COMMITTED)
    CityFactory(region=cast.foreign.region, name="Foreign member", stage=Stage.MEMBER)
    campaign = _draft(home)
    campaign.extra_cities.add(opted_in)

    _launch(home, campaign, rs, django_capture_on_commit_callbacks)

    with scope(region=home):
        campaign.refresh_from_db()
        asked = {a.city.name: a for a in Assessment.objects.filter(campaign=campaign)
                 .select_related("city")}
    assert sorted(asked) == ["Kochi", "Nara", "Otaru", "Toyama"]
    assert (campaign.state, campaign.launch_total, campaign.launch_done) == (
        Campaign.State.OPEN, 4, 4)
    assert {name for name, a in asked.items() if a.invited_at} == {"Kochi", "Otaru", "Toyama"}
    assert asked["Nara"].state == State.NOT_STARTED
    invitations = {n.key: n for n in Notification.objects.filter(key__endswith=":invited")}
    assert set(invitations) == {f"assessment:{asked[name].pk}:invited"
                                for name in ("Kochi", "Otaru", "Toyama")}
    to_toyama = invitations[f"assessment:{asked['Toyama'].pk}:invited"]
    assert to_toyama.recipient == official and to_toyama.email == ""
    assert to_toyama.url == f"/r/aurora/assessments/{asked['Toyama'].pk}/"
    to_kochi = invitations[f"assessment:{asked['Kochi'].pk}:invited"]
    assert to_kochi.email == "kochi@example.org" and "Kochi" in to_kochi.subject
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kochi@example.org", "official@toyama.example.org", "otaru@example.org"]
    assert all(m.body.endswith(f"/r/aurora/assessments/{asked[c].pk}/") for m, c in zip(
        sorted(mail.outbox, key=lambda m: m.to[0]), ["Kochi", "Toyama", "Otaru"], strict=True))
    assert nara.pk and toyama.pk and kochi.pk
    with scope(region=home):
        actions = list(AuditEntry.objects.filter(object_id=campaign.pk).order_by("pk")
                       .values_list("action", flat=True))
    assert actions == ["assessments.campaign.launched", "assessments.campaign.opened"]


def test_running_the_launch_again_creates_and_sends_nothing_twice(
        home, rs, django_capture_on_commit_callbacks):
    for n in range(5):
        _member_city(home, f"City {n}", email=f"city{n}@example.org")
    campaign = _draft(home)
    _launch(home, campaign, rs, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)

    # As if the job died after its last chunk and was started again.
    with scope(region=home):
        Campaign.objects.filter(pk=campaign.pk).update(state=Campaign.State.LAUNCHING)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.launch.delay(region_id=home.pk, campaign_id=campaign.pk)

    with scope(region=home):
        assert Assessment.objects.filter(campaign=campaign).count() == 5
        assert Campaign.objects.get(pk=campaign.pk).state == Campaign.State.OPEN
    assert Notification.objects.filter(key__endswith=":invited").count() == 5
    assert len(mail.outbox) == sent == 5


def test_the_launch_enqueues_one_delivery_task_per_chunk_of_invitations(
        home, rs, monkeypatch, django_capture_on_commit_callbacks):
    for n in range(5):
        _member_city(home, f"City {n}", email=f"city{n}@example.org")
    campaign = _draft(home)
    chunks = []
    monkeypatch.setattr(notifications, "DELIVERY_CHUNK", 2)
    monkeypatch.setattr("alliance.tasks.deliver_notifications.delay", chunks.append)
    _launch(home, campaign, rs, django_capture_on_commit_callbacks)
    assert [len(ids) for ids in chunks] == [2, 2, 1]
    assert sorted(pk for ids in chunks for pk in ids) == sorted(
        Notification.objects.filter(key__endswith=":invited").values_list("pk", flat=True))


def test_a_launch_is_refused_twice_and_without_any_city(home, rs):
    campaign = _draft(home)
    with region_scope(home):
        with pytest.raises(DomainError, match="no city to ask"):
            campaigns.launch_campaign(actor=rs, campaign=campaign)
        _member_city(home, "Kochi")
        campaigns.launch_campaign(actor=rs, campaign=campaign)
        with pytest.raises(InvalidTransition, match="already launched"):
            campaigns.launch_campaign(actor=rs, campaign=campaign)


def test_a_launch_needs_the_right_to_manage_campaigns(cast, home):
    _member_city(home, "Kochi")
    campaign = _draft(home)
    with region_scope(home), pytest.raises(PermissionDenied):
        campaigns.launch_campaign(actor=cast.home.forum_reviewer, campaign=campaign)
    with scope(region=home):
        assert Campaign.objects.get(pk=campaign.pk).state == Campaign.State.DRAFT


# -- reminders ----------------------------------------------------------------------------------

def _open_assessment(region, name, *, invited_days_ago, state=State.IN_PROGRESS, campaign=None,
                     email=None):
    city = _member_city(region, name, email=email or f"{name.lower()}@example.org")
    campaign = campaign or CampaignFactory(region=region, state=Campaign.State.OPEN,
                                           reminder_days=7,
                                           closes_on=datetime.date.today() + timedelta(30))
    return AssessmentFactory(campaign=campaign, city=city, state=state,
                             invited_at=timezone.now() - timedelta(days=invited_days_ago))


def _reminders():
    return list(Notification.objects.filter(key__contains=":reminder:").order_by("pk"))


def test_reminders_go_to_cities_not_submitted_once_their_interval_has_passed(
        home, django_capture_on_commit_callbacks):
    due = _open_assessment(home, "Kochi", invited_days_ago=8)
    campaign = due.campaign
    recent = _open_assessment(home, "Nara", invited_days_ago=3, campaign=campaign)
    submitted = _open_assessment(home, "Toyama", invited_days_ago=8, campaign=campaign,
                                 state=State.SUBMITTED)
    accepted = _open_assessment(home, "Otaru", invited_days_ago=8, campaign=campaign,
                                state=State.ACCEPTED)
    returned = _open_assessment(home, "Sakai", invited_days_ago=9, campaign=campaign,
                                state=State.RETURNED)

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.plan_reminders.delay()

    with region_scope(home):
        today = timezone.localdate().isoformat()
    assert [n.key for n in _reminders()] == [f"assessment:{due.pk}:reminder:{today}",
                                             f"assessment:{returned.pk}:reminder:{today}"]
    assert [m.to for m in mail.outbox] == [["kochi@example.org"], ["sakai@example.org"]]
    assert "corrections" in _reminders()[1].subject
    with scope(region=home):
        due.refresh_from_db()
        assert due.last_reminded_at is not None
        assert not Assessment.objects.filter(
            pk__in=[recent.pk, submitted.pk, accepted.pk], last_reminded_at__isnull=False
        ).exists()


def test_reminders_repeat_every_interval_and_stop_once_submitted(home):
    assessment = _open_assessment(home, "Kochi", invited_days_ago=7)
    now = timezone.now()
    with region_scope(home):
        assert campaigns.send_due_reminders(region=home, now=now) == 1
        assert campaigns.send_due_reminders(region=home, now=now + timedelta(days=6)) == 0
        assert campaigns.send_due_reminders(region=home, now=now + timedelta(days=7)) == 1
        Assessment.objects.filter(pk=assessment.pk).update(state=State.SUBMITTED)
        assert campaigns.send_due_reminders(region=home, now=now + timedelta(days=14)) == 0
    assert len(_reminders()) == 2


def test_the_one_click_reminder_refuses_a_submitted_assessment(home, rs):
    assessment = _open_assessment(home, "Kochi", invited_days_ago=1, state=State.SUBMITTED)
    with region_scope(home), pytest.raises(InvalidTransition, match="Kochi has submitted"):
        campaigns.remind_assessment(actor=rs, assessment=assessment)
    assert _reminders() == []


def test_the_one_click_reminder_is_sent_once_a_day_and_recorded(home, rs):
    assessment = _open_assessment(home, "Kochi", invited_days_ago=1)
    with region_scope(home):
        campaigns.remind_assessment(actor=rs, assessment=assessment)
        with pytest.raises(DomainError, match="already reminded today"):
            campaigns.remind_assessment(actor=rs, assessment=assessment)
        # The daily job does not remind again what the secretariat just did.
        assert campaigns.send_due_reminders(region=home) == 0
        entry = AuditEntry.objects.get(action="assessments.assessment.reminded")
    assert entry.actor == rs and entry.data["city"] == "Kochi"
    assert len(_reminders()) == 1


# -- digest, close, schedule --------------------------------------------------------------------

def test_the_weekly_digest_counts_each_state_for_every_secretary_once_a_week(home, rs):
    second = member(Role.REGIONAL_SECRETARIAT, home)
    campaign = CampaignFactory(region=home, state=Campaign.State.OPEN, year=2026)
    for n, state in enumerate([State.NOT_STARTED, State.IN_PROGRESS, State.IN_PROGRESS,
                               State.SUBMITTED, State.ACCEPTED, State.RETURNED]):
        AssessmentFactory(campaign=campaign, city=CityFactory(region=home, name=f"C{n}"),
                          state=state)
    CampaignFactory(region=home, state=Campaign.State.CLOSED, year=2025)

    for _ in range(2):
        tasks.plan_digests.delay()

    digests = list(Notification.objects.filter(key__contains=":digest:"))
    assert {n.recipient_id for n in digests} == {rs.pk, second.pk}
    digest = digests[0]
    assert digest.subject == "Policy assessment 2026: 2 of 6 cities have submitted"
    assert digest.body.splitlines()[:5] == ["Not started: 1", "In progress: 2", "Submitted: 1",
                                            "Returned: 1", "Accepted: 1"]
    assert digest.url == f"/r/aurora/assessments/campaigns/{campaign.pk}/"
    with region_scope(home):
        later = campaigns.send_digests(region=home, now=timezone.now() + timedelta(days=7))
    assert later == 2


def test_campaigns_past_their_deadline_close_and_their_assessments_keep_their_state(home):
    today = datetime.date.today()
    past = CampaignFactory(region=home, state=Campaign.State.OPEN,
                           closes_on=today - timedelta(days=2))
    running = CampaignFactory(region=home, state=Campaign.State.OPEN,
                              closes_on=today + timedelta(days=2))
    in_progress = AssessmentFactory(campaign=past, state=State.IN_PROGRESS)

    for _ in range(2):
        tasks.plan_closing.delay()

    with scope(region=home):
        past.refresh_from_db()
        running.refresh_from_db()
        in_progress.refresh_from_db()
        closings = AuditEntry.objects.filter(action="assessments.campaign.closed").count()
    assert past.state == Campaign.State.CLOSED and past.closed_at is not None
    assert running.state == Campaign.State.OPEN
    assert in_progress.state == State.IN_PROGRESS
    assert closings == 1


def test_the_annual_schedule_prepares_exactly_one_draft_for_review(home, rs):
    with region_scope(home):
        today = timezone.localdate()
    AssessmentSettings.objects.create(region=home, opening_month=today.month, window_weeks=6,
                                      reminder_days=10)
    BusyPeriod.objects.create(region=home, name="Year end", start_month=12, start_day=20,
                              end_month=1, end_day=10)
    older = VersionFactory(questionnaire=QuestionnaireFactory(name="Older"), number=4,
                           published_at=timezone.now() - timedelta(days=400))
    newest = VersionFactory(questionnaire=QuestionnaireFactory(name="Newest"), number=2,
                            published_at=timezone.now() - timedelta(days=30))
    VersionFactory(questionnaire=newest.questionnaire, number=3, state="draft")
    assert older.pk

    for _ in range(2):
        tasks.plan_schedule.delay()

    with scope(region=home):
        [campaign] = Campaign.objects.filter(region=home)
    assert campaign.prepared_by_schedule and campaign.state == Campaign.State.DRAFT
    assert (campaign.year, campaign.version, campaign.reminder_days) == (
        today.year, newest, 10)
    assert (campaign.opens_on, campaign.closes_on) == (today, today + timedelta(weeks=6))
    [note] = Notification.objects.filter(key__endswith=f"prepared:{rs.pk}")
    assert note.key == f"campaign:{home.pk}:{today.year}:prepared:{rs.pk}"
    assert note.url == f"/r/aurora/assessments/campaigns/{campaign.pk}/"


def test_the_annual_schedule_prepares_nothing_in_another_month(home):
    with region_scope(home):
        today = timezone.localdate()
    AssessmentSettings.objects.create(region=home, opening_month=today.month % 12 + 1)
    VersionFactory(published_at=timezone.now())
    tasks.plan_schedule.delay()
    with scope(region=home):
        assert not Campaign.objects.exists()


def test_the_jobs_run_from_beat():
    beat = settings.CELERY_BEAT_SCHEDULE
    assert beat["assessment-reminders"]["task"] == "assessments.tasks.plan_reminders"
    assert beat["assessment-campaign-digest"]["task"] == "assessments.tasks.plan_digests"
    assert beat["assessment-campaign-digest"]["schedule"].day_of_week == {1}
    assert beat["assessment-campaign-close"]["task"] == "assessments.tasks.plan_closing"
    assert beat["assessment-annual-schedule"]["task"] == "assessments.tasks.plan_schedule"


# -- busy periods and the outbox ------------------------------------------------------------------

@pytest.mark.parametrize(("opens", "closes", "expected"), [
    ((2026, 11, 1), (2026, 12, 19), []),
    ((2026, 11, 1), (2026, 12, 20), ["Year end"]),
    ((2027, 1, 10), (2027, 2, 28), ["Year end"]),
    ((2027, 1, 11), (2027, 5, 31), []),
    ((2027, 5, 1), (2027, 6, 1), ["Assembly session"]),
    ((2026, 9, 1), (2027, 9, 1), ["Year end", "Assembly session"]),
])
def test_busy_periods_over_a_window_include_those_across_the_year_end(home, opens, closes,
                                                                      expected):
    BusyPeriod.objects.create(region=home, name="Year end", start_month=12, start_day=20,
                              end_month=1, end_day=10)
    BusyPeriod.objects.create(region=home, name="Assembly session", start_month=6,
                              start_day=1, end_month=6, end_day=30)
    with scope(region=home):
        found = campaigns.busy_periods_over(home, datetime.date(*opens), datetime.date(*closes))
    assert sorted(p.name for p in found) == sorted(expected)


def test_notify_many_skips_keys_already_in_the_outbox(rs, django_capture_on_commit_callbacks):
    def rows():
        return [Notification(key=f"bulk:{n}", recipient=rs, subject=f"Note {n}")
                for n in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        first = notifications.notify_many(rows())
    with django_capture_on_commit_callbacks(execute=True):
        second = notifications.notify_many(rows())
    assert len(first) == 3 and second == []
    assert len(mail.outbox) == 3


def test_a_city_added_to_an_open_campaign_is_asked_at_once(
        home, rs, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(region=home, state=Campaign.State.OPEN)
    late = CityFactory(region=home, name="Otaru", stage=Stage.COMMITTED)
    ContactFactory(city=late, is_key=True, email="otaru@example.org")
    with django_capture_on_commit_callbacks(execute=True), region_scope(home):
        campaigns.add_opted_in_city(actor=rs, campaign=campaign, city=late)
        assessment = Assessment.objects.get(campaign=campaign, city=late)
        with pytest.raises(InvalidTransition, match="before the launch"):
            campaigns.remove_opted_in_city(actor=rs, campaign=campaign, city=late)
    assert assessment.invited_at is not None
    assert [m.to for m in mail.outbox] == [["otaru@example.org"]]


def test_the_bench_times_a_launch_of_member_cities(db, django_capture_on_commit_callbacks):
    from alliance.management.commands.bench import measure_jobs
    from assessments.bench_campaigns import launch_job

    with django_capture_on_commit_callbacks(execute=False):
        [result] = measure_jobs([launch_job(cities=12)])
    assert result.line().startswith("bench job=campaign-launch items=12 seconds=")
    assert Notification.objects.filter(key__endswith=":invited").count() == 12

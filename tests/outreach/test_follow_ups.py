"""The daily follow-up job: unanswered letters get one follow-up draft and one notification."""

from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from alliance.models import Notification, Region
from outreach import tasks
from outreach.models import Letter, LetterKind
from tests.factories import CityFactory, ContactFactory, LetterFactory, LetterTemplateFactory

State = Letter.State


def _sent(region, *, days_ago, **kwargs):
    city = kwargs.pop("city", None) or CityFactory(region=region)
    kwargs.setdefault("state", State.SENT)
    return LetterFactory(city=city, sent_at=timezone.now() - timedelta(days=days_ago),
                         **kwargs)


def _follow_ups(region):
    with scope(region=region):
        return list(Letter.objects.filter(kind=LetterKind.FOLLOW_UP)
                    .select_related("follows_up"))


def test_the_job_runs_daily_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["outreach-follow-ups"]
    assert entry["task"] == "outreach.tasks.plan_follow_ups"
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {0}


def test_running_the_job_twice_notifies_the_owner_once_and_drafts_once(
        cast, home, rs, django_capture_on_commit_callbacks):
    city = CityFactory(region=home, name="Takamatsu")
    contact = ContactFactory(city=city, name="Ms Mori")
    letter = _sent(home, days_ago=15, city=city, contact=contact, owner=rs,
                   subject="Joining the alliance", char_limit=400)
    LetterTemplateFactory(region=home, kind=LetterKind.FOLLOW_UP, name="Follow-up (en)",
                          subject="Following up: {{ region }}",
                          body="Dear {{ contact }}, any news from {{ city }}? {{ sender }}")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.plan_follow_ups.delay()

    [draft] = _follow_ups(home)
    assert (draft.state, draft.follows_up, draft.owner) == (State.DRAFT, letter, rs)
    assert draft.subject == "Following up: Aurora"
    assert draft.body == f"Dear Ms Mori, any news from Takamatsu? {rs.full_name}"
    assert (draft.contact, draft.char_limit) == (contact, 400)
    [note] = Notification.objects.filter(recipient=rs)
    assert note.key == f"letter:{letter.pk}:follow-up"
    assert "Takamatsu" in note.subject
    assert note.url == f"/r/aurora/outreach/letters/{draft.pk}/"
    assert [m.to for m in mail.outbox] == [[rs.email]]
    with scope(region=home):
        letter.refresh_from_db()
    assert letter.follow_up_proposed_at is not None and letter.state == State.SENT


def test_recent_answered_and_draft_letters_are_left_alone(cast, home):
    _sent(home, days_ago=13)
    _sent(home, days_ago=30, state=State.ANSWERED)
    LetterFactory(city=CityFactory(region=home), created_at=timezone.now() - timedelta(days=40))
    tasks.plan_follow_ups.delay()
    assert _follow_ups(home) == []
    assert not Notification.objects.exists()


def test_the_region_decides_how_long_to_wait(cast, home):
    Region.objects.filter(pk=home.pk).update(follow_up_after_days=3)
    letter = _sent(home, days_ago=4)
    _sent(cast.foreign.region, days_ago=4)  # the foreign region keeps the default 14 days
    tasks.plan_follow_ups.delay()
    assert [d.follows_up for d in _follow_ups(home)] == [letter]
    assert _follow_ups(cast.foreign.region) == []


def test_without_a_template_a_short_follow_up_is_written_in_the_letters_language(cast, home,
                                                                                  rs):
    city = CityFactory(region=home, name="Medellín", local_name="Medellín")
    letter = _sent(home, days_ago=20, city=city, owner=rs, language="es",
                   subject="Invitación a la Alianza")
    LetterTemplateFactory(region=home, kind=LetterKind.FOLLOW_UP, language="en")
    tasks.plan_follow_ups.delay()
    [draft] = _follow_ups(home)
    assert draft.language == "es" and draft.template is None
    assert "Invitación a la Alianza" in draft.subject
    assert "Medellín" in draft.body and rs.full_name in draft.body
    assert "{{" not in draft.body
    assert letter.subject in draft.body


def test_every_due_letter_of_a_region_gets_its_follow_up(cast, home, rs):
    due = [_sent(home, days_ago=15 + n, owner=rs) for n in range(3)]
    tasks.plan_follow_ups.delay()
    assert sorted(d.follows_up.pk for d in _follow_ups(home)) == sorted(d.pk for d in due)
    assert Notification.objects.filter(recipient=rs).count() == 3


def test_each_region_is_followed_up_in_its_own_scope(cast, home):
    _sent(home, days_ago=20)
    _sent(cast.foreign.region, days_ago=20)
    assert tasks.plan_follow_ups.delay().get() == 2  # regions fanned out
    assert len(_follow_ups(home)) == 1 and len(_follow_ups(cast.foreign.region)) == 1

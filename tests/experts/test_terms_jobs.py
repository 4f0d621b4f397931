"""Re-acceptance: a new version asks every working expert to accept it, once; the daily job
reminds each of them once a week until they accept, and a second run sends nothing twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from alliance.models import Notification
from experts import tasks
from experts.models import Stage
from experts.services import terms as terms_service
from tests.experts.factories import ExpertFactory, TermsAcceptanceFactory, TermsVersionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sent_to(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk")
                .values_list("subject", flat=True))


@pytest.fixture
def experts(cast):
    """Working experts (confirmed, active), with an account, of the home region; and others
    who are not asked (invited, candidate, no account)."""
    region = cast.home.region
    old = TermsVersionFactory(version="3.0", published_at=timezone.now()
                              - datetime.timedelta(days=400))
    confirmed = ExpertFactory(region=region, name="Aiko Tanaka", stage=Stage.CONFIRMED,
                              user=cast.home.expert)
    active = ExpertFactory(region=region, name="Ben Ortiz", stage=Stage.ACTIVE,
                           user=UserFactory(full_name="Ben Ortiz"))
    for expert in (confirmed, active):
        TermsAcceptanceFactory(expert=expert, terms=old, user=expert.user)
    quiet = {"invited": ExpertFactory(region=region, stage=Stage.INVITED, user=UserFactory()),
             "candidate": ExpertFactory(region=region, stage=Stage.CANDIDATE,
                                        user=UserFactory()),
             "no_account": ExpertFactory(region=region, stage=Stage.ACTIVE)}
    return confirmed, active, quiet


def _publish(cast, region=None, version="3.1"):
    terms = TermsVersionFactory(region=region, version=version, published_at=None,
                                body="<p>New text.</p>")
    actor = cast.global_secretariat if region is None else cast.home.regional_secretariat
    with scope(region=region):
        return terms_service.publish_terms(actor=actor, terms=terms)


def test_a_new_version_asks_every_working_expert_once(cast, experts):
    confirmed, active, quiet = experts
    terms = _publish(cast)

    for expert in (confirmed, active):
        assert _sent_to(expert.user) == [
            "New Terms of Reference 3.1: please read and accept them"]
    for expert in quiet.values():
        assert expert.user is None or _sent_to(expert.user) == []
    note = Notification.objects.get(recipient=confirmed.user)
    assert note.url == reverse("terms-accept", kwargs={"region_slug": cast.home.region.slug})
    assert note.key == f"experts.terms:{terms.pk}:ask:{confirmed.pk}"
    assert terms_service.ask_to_accept(terms=terms) == 0  # asked once only


def test_a_global_version_skips_a_region_with_its_own(cast, experts):
    confirmed, _active, _quiet = experts
    foreign = cast.foreign.region
    TermsVersionFactory(region=foreign, version="F1")
    theirs = ExpertFactory(region=foreign, stage=Stage.ACTIVE, user=cast.foreign.expert)
    _publish(cast)
    assert len(_sent_to(confirmed.user)) == 1
    assert _sent_to(theirs.user) == []


def test_the_weekly_reminder_goes_once_a_week_and_stops_after_accepting(cast, experts):
    confirmed, active, _quiet = experts
    region = cast.home.region
    terms = _publish(cast)
    published = terms.published_at
    with scope(region=region):
        assert terms_service.send_reminders(region=region, now=published
                                            + datetime.timedelta(days=3)) == 0
        week_one = published + datetime.timedelta(days=8)
        assert terms_service.send_reminders(region=region, now=week_one) == 2
        assert terms_service.send_reminders(region=region, now=week_one) == 0
        assert terms_service.send_reminders(
            region=region, now=week_one + datetime.timedelta(days=2)) == 0

        terms_service.accept_terms(actor=confirmed.user, expert=confirmed, terms=terms,
                                   typed_name="Aiko Tanaka", accepted=True)
        week_two = published + datetime.timedelta(days=15)
        assert terms_service.send_reminders(region=region, now=week_two) == 1

    assert _sent_to(confirmed.user) == [
        "New Terms of Reference 3.1: please read and accept them",
        "Reminder: please accept the Terms of Reference 3.1"]
    assert _sent_to(active.user)[1:] == ["Reminder: please accept the Terms of Reference 3.1"] * 2


def test_the_job_run_twice_sends_nothing_twice(cast, experts):
    confirmed, active, _quiet = experts
    terms = _publish(cast)
    terms.published_at = timezone.now() - datetime.timedelta(days=9)
    terms.save(update_fields=["published_at"])

    tasks.plan_terms_reminders.delay()
    tasks.plan_terms_reminders.delay()

    for expert in (confirmed, active):
        assert len(_sent_to(expert.user)) == 2  # the request and one reminder


def test_nothing_to_remind_of_without_a_current_version(cast):
    with scope(region=cast.home.region):
        assert terms_service.send_reminders(region=cast.home.region) == 0

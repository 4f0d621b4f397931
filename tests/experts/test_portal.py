"""The expert's own pages: their Terms of Reference status, groups and upcoming sessions, and
their profile, which they edit through a service that changes only their own profile fields."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_scopes import scope

from alliance.errors import DomainError
from alliance.models import AuditEntry
from assessments.models import Principle
from experts.models import Expert, Stage
from experts.services import profile
from tests.experts.factories import (
    ExpertFactory,
    GroupMemberFactory,
    GroupSessionFactory,
    TermsAcceptanceFactory,
    TermsVersionFactory,
    WorkingGroupFactory,
)


@pytest.fixture
def own(cast):
    return ExpertFactory(region=cast.home.region, name="Aiko Tanaka", user=cast.home.expert,
                         stage=Stage.ACTIVE, bio="Old bio", public_fields=["organization"])


def _home(client, cast):
    return client.get(f"/r/{cast.home.region.slug}/experts/me/")


def _profile_url(cast):
    return f"/r/{cast.home.region.slug}/experts/me/profile/"


def _fresh(expert) -> Expert:
    return Expert._base_manager.get(pk=expert.pk)


def test_the_home_shows_terms_to_accept_groups_and_upcoming_sessions(cast, own, client_for):
    old = TermsVersionFactory(version="1.0", effective_on=datetime.date(2025, 1, 1))
    TermsAcceptanceFactory(expert=own, terms=old)
    TermsVersionFactory(version="2.0", effective_on=datetime.date(2026, 1, 1))
    group = WorkingGroupFactory(region=cast.home.region, name="Data governance group")
    GroupMemberFactory(group=group, expert=own)
    other = WorkingGroupFactory(region=cast.home.region, name="Mobility group")
    GroupSessionFactory(group=group, title="Autumn workshop")
    GroupSessionFactory(group=group, title="Last year's session",
                        starts_at=timezone.now() - datetime.timedelta(days=60))
    GroupSessionFactory(group=other, title="Someone else's session")

    page = _home(client_for(cast.home.expert), cast).content.decode()
    assert "version 2.0, waits for your acceptance" in page
    assert f"/r/{cast.home.region.slug}/experts/terms/accept/" in page
    assert "Data governance group" in page and "Mobility group" not in page
    assert "Autumn workshop" in page
    assert "Last year&#x27;s session" not in page and "Someone else" not in page


def test_the_home_says_when_the_current_terms_are_accepted(cast, own, client_for):
    current = TermsVersionFactory(version="2.0")
    TermsAcceptanceFactory(expert=own, terms=current)
    page = _home(client_for(cast.home.expert), cast).content.decode()
    assert "You accepted Working Group Terms of Reference, version 2.0." in page


def test_only_an_expert_with_a_record_here_has_these_pages(cast, own, client_for):
    # Another region's expert record linked to the same person is not this region's.
    ExpertFactory(region=cast.foreign.region, user=cast.foreign.expert)
    assert _home(client_for(cast.foreign.expert), cast).status_code == 404
    assert _home(client_for(cast.home.city_contact), cast).status_code == 403
    assert _home(client_for(cast.home.regional_secretariat), cast).status_code == 403
    assert _home(client_for(cast.outsider), cast).status_code == 404


def test_an_expert_without_a_linked_record_is_not_found(cast, client_for):
    assert _home(client_for(cast.home.expert), cast).status_code == 404


def test_the_expert_edits_their_profile_and_the_change_is_audited(cast, own, client_for):
    privacy = Principle.objects.get(key="privacy")
    client = client_for(cast.home.expert)
    response = client.post(_profile_url(cast), {
        "bio": "New bio", "links": "https://aiko.example.org\n", "languages": ["ja", "en"],
        "principles": [privacy.pk], "public_fields": ["bio", "topics"]})
    assert response.status_code == 302
    expert = _fresh(own)
    assert expert.bio == "New bio"
    assert expert.links == ["https://aiko.example.org"]
    assert expert.languages == ["ja", "en"]
    assert expert.public_fields == ["bio", "topics"]
    assert list(expert.principles.all()) == [privacy]
    with scope(region=cast.home.region):
        entry = AuditEntry.objects.get(action="experts.expert.profile_updated")
    assert entry.data["bio"] == {"old": "Old bio", "new": "New bio"}
    assert entry.data["principles"] == {"old": [], "new": [privacy.pk]}
    page = client.get(_profile_url(cast)).content.decode()
    assert "New bio" in page


def test_a_bad_link_is_a_field_error_and_changes_nothing(cast, own, client_for):
    response = client_for(cast.home.expert).post(_profile_url(cast), {
        "bio": "Changed", "links": "javascript:alert(1)", "public_fields": ["bio"]})
    assert response.status_code == 200
    assert "links" in response.context["form"].errors
    assert _fresh(own).bio == "Old bio"


def test_the_profile_service_refuses_other_fields(cast, own):
    with scope(region=cast.home.region):
        for field, value in (("stage", "alumni"), ("name", "Someone"), ("sector", "private"),
                             ("declared_interests", ""), ("email", "x@example.org")):
            with pytest.raises(DomainError, match="cannot be changed here"):
                profile.update_profile(actor=cast.home.expert, expert=own, **{field: value})
        with pytest.raises(DomainError, match="cannot be shown"):
            profile.update_profile(actor=cast.home.expert, expert=own,
                                   public_fields=["declared_interests"])
    assert _fresh(own).stage == Stage.ACTIVE


def test_the_profile_service_refuses_another_experts_record(cast, own):
    someone = ExpertFactory(region=cast.home.region, stage=Stage.ACTIVE, bio="Theirs")
    with scope(region=cast.home.region), pytest.raises(PermissionDenied):
        profile.update_profile(actor=cast.home.expert, expert=someone, bio="Mine now")
    with scope(region=cast.home.region), pytest.raises(PermissionDenied):
        profile.update_profile(actor=cast.home.regional_secretariat, expert=own, bio="Ours")
    assert _fresh(someone).bio == "Theirs"
    assert _fresh(own).bio == "Old bio"


def test_the_dashboard_card_asks_for_the_current_terms_and_names_the_next_session(
        cast, own, client_for):
    TermsVersionFactory(version="2.0")
    group = WorkingGroupFactory(region=cast.home.region)
    GroupMemberFactory(group=group, expert=own)
    GroupSessionFactory(group=group, title="Autumn workshop")
    page = client_for(cast.home.expert).get(f"/r/{cast.home.region.slug}/").content.decode()
    assert "version 2.0, waits for your acceptance" in page
    assert "Next session: Autumn workshop" in page


def test_the_home_links_the_groups_the_expert_leads_to_their_pages(cast, own, client_for):
    led = WorkingGroupFactory(region=cast.home.region, name="Mobility data", lead=own.user)
    WorkingGroupFactory(region=cast.home.region, name="Someone else's group")

    page = _home(client_for(cast.home.expert), cast).content.decode()

    assert "Groups you lead" in page
    assert f'href="/r/{cast.home.region.slug}/experts/groups/{led.pk}/">Mobility data</a>' in page
    assert "Someone else&#x27;s group" not in page

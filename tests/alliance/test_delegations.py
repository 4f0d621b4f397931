"""Delegations (playbook, Expansion step 4): a module handed to a member in writing, with an
object permission on it while it runs, update notes, and a review date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import AuditEntry, Delegation
from alliance.services import delegations
from tests.experts.factories import WorkingGroupFactory

GRANT, ACTION = "experts.manage_group", "experts.manage_groups"
SOON = timezone.localdate() + datetime.timedelta(days=90)


def _hand(cast, group, to=None, **kwargs):
    kwargs.setdefault("review_on", SOON)
    with scope(region=group.region):
        return delegations.delegate(actor=cast.home.regional_secretariat, target=group,
                                    delegate=to or cast.home.expert, permission=GRANT,
                                    role="Working group lead", scope="Members and sessions",
                                    **kwargs)


def test_a_delegation_grants_the_object_permission_until_it_ends(cast):
    group, other = WorkingGroupFactory.create_batch(2, region=cast.home.region)
    expert = cast.home.expert
    delegation = _hand(cast, group)
    with scope(region=cast.home.region):
        assert permissions.can(expert, ACTION, region=group.region, obj=group)
        assert not permissions.can(expert, ACTION, region=group.region, obj=other)
        assert delegations.current_delegation(group, GRANT) == delegation
        delegations.end_delegation(actor=cast.home.regional_secretariat, delegation=delegation)
        expert = type(expert).objects.get(pk=expert.pk)  # guardian caches per user object
        assert not permissions.can(expert, ACTION, region=group.region, obj=group)
        assert delegations.current_delegation(group, GRANT) is None
        actions = list(AuditEntry.objects.filter(object_id=group.pk)
                       .values_list("action", flat=True))
        assert Delegation.objects.get().ended_on == timezone.localdate()
    assert actions == ["alliance.delegation.ended", "alliance.delegation.granted"]


def test_only_the_role_holding_the_action_hands_it_over_not_a_delegate(cast):
    group = WorkingGroupFactory(region=cast.home.region)
    _hand(cast, group)
    with scope(region=group.region), pytest.raises(PermissionDenied):
        delegations.delegate(actor=cast.home.expert, target=group,
                             delegate=cast.home.city_contact, permission=GRANT,
                             role="Co-lead", review_on=SOON)
    with scope(region=group.region), pytest.raises(PermissionDenied):
        delegations.delegate(actor=cast.home.forum_reviewer, target=group,
                             delegate=cast.home.city_contact, permission=GRANT,
                             role="Co-lead", review_on=SOON)


def test_it_refuses_a_second_holder_a_past_review_and_someone_outside_the_region(cast):
    group = WorkingGroupFactory(region=cast.home.region)
    with pytest.raises(DomainError, match="review date must come after"):
        _hand(cast, group, review_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="no access to this region"):
        _hand(cast, group, to=cast.foreign.expert)
    _hand(cast, group)
    with pytest.raises(InvalidTransition, match="already handed"):
        _hand(cast, group, to=cast.home.city_contact)
    with scopes_disabled():
        assert Delegation.objects.count() == 1


def test_notes_are_written_by_the_delegate_or_the_secretariat_while_it_runs(cast):
    group = WorkingGroupFactory(region=cast.home.region)
    delegation = _hand(cast, group)
    with scope(region=group.region):
        delegations.add_note(actor=cast.home.expert, delegation=delegation,
                             body="Two new members; the spring session is set.")
        delegations.add_note(actor=cast.home.regional_secretariat, delegation=delegation,
                             body="Reviewed at the update meeting.")
        with pytest.raises(PermissionDenied):
            delegations.add_note(actor=cast.home.city_contact, delegation=delegation,
                                 body="Not mine to write.")
        with pytest.raises(DomainError, match="Write the note"):
            delegations.add_note(actor=cast.home.expert, delegation=delegation, body="  ")
        delegations.end_delegation(actor=cast.home.regional_secretariat, delegation=delegation)
        with pytest.raises(InvalidTransition, match="notes are closed"):
            delegations.add_note(actor=cast.home.expert, delegation=delegation, body="Late.")
        notes = [note.body for note in delegations.notes_of(delegation)]
    assert notes == ["Reviewed at the update meeting.",
                     "Two new members; the spring session is set."]


def test_the_panel_highlights_an_overdue_review_and_shows_the_notes(cast, rf):
    group = WorkingGroupFactory(region=cast.home.region)
    delegation = _hand(cast, group, starts_on=datetime.date(2025, 1, 1),
                       review_on=datetime.date(2025, 7, 1))
    with scope(region=group.region):
        delegations.add_note(actor=cast.home.expert, delegation=delegation,
                             body="Agenda drafted with the members.")
        html = render_to_string("alliance/_delegation.html", {
            "delegation": delegation, "delegation_notes": delegations.notes_of(delegation),
            "delegation_overdue": delegations.is_overdue(delegation), "note_form": None})
    assert "Review overdue" in html and "Agenda drafted with the members." in html
    assert "Members and sessions" in html and "Working group lead" in html
    assert not delegations.is_overdue(delegation, today=datetime.date(2025, 6, 30))


def test_the_secretariat_is_told_once_when_a_review_date_passes(cast):
    from alliance.models import Notification

    region = cast.home.region
    due = WorkingGroupFactory(region=region, name="Mobility data")
    later = WorkingGroupFactory(region=region)
    overdue = _hand(cast, due, starts_on=datetime.date(2025, 1, 1),
                    review_on=datetime.date(2025, 7, 1))
    _hand(cast, later, to=cast.home.city_contact)
    ended = _hand(cast, WorkingGroupFactory(region=region), to=cast.home.regional_secretariat,
                  starts_on=datetime.date(2025, 1, 1), review_on=datetime.date(2025, 2, 1))
    with scope(region=region):
        delegations.end_delegation(actor=cast.home.regional_secretariat, delegation=ended)
        assert delegations.remind_overdue_reviews(region=region) == 1
        assert delegations.remind_overdue_reviews(region=region) == 0  # the next day's run
        Delegation.objects.filter(pk=overdue.pk).update(review_on=datetime.date(2025, 12, 1))
        assert delegations.remind_overdue_reviews(region=region,
                                                  today=datetime.date(2025, 12, 2)) == 1
    with scopes_disabled():
        reminders = list(Notification.objects.filter(key__startswith="delegation:"))
    assert {n.recipient for n in reminders} == {cast.home.regional_secretariat}
    assert reminders[0].subject == f"Review due: Working group lead, handed to {cast.home.expert}"
    assert reminders[0].url == f"/r/aurora/experts/groups/{due.pk}/"


def test_the_daily_job_reminds_each_region_in_its_own_scope(cast):
    from alliance.tasks import remind_delegation_reviews

    group = WorkingGroupFactory(region=cast.home.region)
    _hand(cast, group, starts_on=datetime.date(2025, 1, 1), review_on=datetime.date(2025, 3, 1))
    home = remind_delegation_reviews.apply(kwargs={"region_id": cast.home.region.pk}).get()
    foreign = remind_delegation_reviews.apply(kwargs={"region_id": cast.foreign.region.pk}).get()
    again = remind_delegation_reviews.apply(kwargs={"region_id": cast.home.region.pk}).get()
    assert (home, foreign, again) == (1, 0, 0)

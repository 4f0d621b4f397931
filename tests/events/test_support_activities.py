"""Support activities within the playbook's limits: a kind from the allowed list is planned at
once; "other" asks the Global Secretariat, and the activity awaits approval (not linked to an
event, not done) until it decides: approved, it is planned; rejected, declined with the reason;
sent back for changes, it is asked again once changed."""

import pytest
from django_scopes import scopes_disabled

from alliance.models import ApprovalRequest, Role
from alliance.services.approvals import decide
from events.models import SupportActivity, SupportKind, SupportState
from tests.factories import CityFactory
from tests.querycount import assert_flat_queries

from .factories import EventFactory, SupportActivityFactory, WorkplanFactory

BASE = "/r/aurora/support/activities"


def _activity(**filters) -> SupportActivity:
    with scopes_disabled():
        return SupportActivity.objects.get(**filters)


def _decide(cast, activity, decision, comment=""):
    """The Global Secretariat decides from /global/ (every region in view)."""
    with scopes_disabled():
        decide(actor=cast.global_secretariat, approval=_approval(activity), decision=decision,
               comment=comment)


def _approval(activity) -> ApprovalRequest:
    with scopes_disabled():
        return ApprovalRequest.objects.get(kind="support_activity", object_id=activity.pk)


def _ask_other(cast, secretariat, **data):
    city = CityFactory(region=cast.home.region, name="Sanda")
    response = secretariat.post(f"{BASE}/new/", {
        "city": city.pk, "kind": SupportKind.OTHER,
        "other_kind": "Facilitating a citizens' assembly",
        "description": "Two evenings with residents.", **data})
    return response, city


def test_the_form_shows_what_the_secretariat_does_not_conduct(cast, secretariat):
    page = secretariat.get(f"{BASE}/new/").content.decode()
    assert "Policy development for cities" in page
    assert "Consulting for a fee" in page
    assert "Managing projects on behalf of cities or other stakeholders" in page
    assert "needs the Global Secretariat&#x27;s approval" in page or \
        "needs the Global Secretariat's approval" in page


def test_an_allowed_kind_is_planned_at_once_and_marked_done(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
    event = EventFactory(region=cast.home.region)
    response = secretariat.post(f"{BASE}/new/", {
        "city": plan.city.pk, "workplan": plan.pk, "kind": SupportKind.WORKSHOP,
        "event": event.pk, "planned_on": "2027-01-20"})
    assert response.status_code == 302, response.content.decode()
    activity = _activity(city=plan.city)
    assert (activity.state, activity.event_id, activity.workplan_id) == (
        SupportState.PLANNED, event.pk, plan.pk)
    secretariat.post(f"{BASE}/{activity.pk}/done/")
    assert _activity(pk=activity.pk).state == SupportState.DONE
    with scopes_disabled():
        assert not ApprovalRequest.objects.exists()


def test_another_kind_awaits_the_global_secretariat(cast, secretariat):
    response, city = _ask_other(cast, secretariat)
    assert response.status_code == 302, response.content.decode()
    activity = _activity(city=city)
    assert activity.state == SupportState.AWAITING_APPROVAL
    approval = _approval(activity)
    assert approval.route_role == Role.GLOBAL_SECRETARIAT
    assert approval.state == ApprovalRequest.State.PENDING
    # Not done, not linked to an event, until approved.
    secretariat.post(f"{BASE}/{activity.pk}/done/")
    event = EventFactory(region=cast.home.region)
    page = secretariat.get(f"{BASE}/{activity.pk}/").content.decode()
    assert "Only a planned activity is linked to an event" in page and 'name="event"' not in page
    secretariat.post(f"{BASE}/{activity.pk}/", {
        "other_kind": activity.other_kind, "description": activity.description,
        "event": event.pk})
    activity = _activity(pk=activity.pk)
    assert activity.state == SupportState.AWAITING_APPROVAL and activity.event_id is None


def test_the_decision_page_shows_the_city_the_kind_asked_and_the_limits(cast, client_for,
                                                                          secretariat):
    _response, city = _ask_other(cast, secretariat)
    approval = _approval(_activity(city=city))
    page = client_for(cast.global_secretariat).get(
        f"/global/approvals/{approval.pk}/").content.decode()
    assert "Sanda" in page and "citizens" in page
    assert "Policy development for cities" in page


def test_approved_it_is_planned(cast, secretariat):
    _response, city = _ask_other(cast, secretariat)
    activity = _activity(city=city)
    _decide(cast, activity, "approved")
    activity = _activity(pk=activity.pk)
    assert activity.state == SupportState.PLANNED
    secretariat.post(f"{BASE}/{activity.pk}/done/")
    assert _activity(pk=activity.pk).state == SupportState.DONE


def test_rejected_it_is_declined_with_the_reason(cast, secretariat):
    _response, city = _ask_other(cast, secretariat)
    activity = _activity(city=city)
    _decide(cast, activity, "rejected", "That is project management on the city's behalf.")
    assert _activity(pk=activity.pk).state == SupportState.DECLINED
    page = secretariat.get(f"{BASE}/{activity.pk}/").content.decode()
    assert "project management on the city" in page
    secretariat.post(f"{BASE}/{activity.pk}/done/")
    assert _activity(pk=activity.pk).state == SupportState.DECLINED


def test_sent_back_for_changes_it_is_asked_again_once_changed(cast, secretariat):
    _response, city = _ask_other(cast, secretariat)
    activity = _activity(city=city)
    _decide(cast, activity, "changes_requested", "Say who pays for the venue.")
    assert _activity(pk=activity.pk).state == SupportState.AWAITING_APPROVAL
    secretariat.post(f"{BASE}/{activity.pk}/", {
        "other_kind": activity.other_kind, "description": "The city pays for the venue."})
    with scopes_disabled():
        states = list(ApprovalRequest.objects.filter(object_id=activity.pk)
                      .order_by("pk").values_list("state", flat=True))
    assert states == ["changes_requested", "pending"]


@pytest.mark.parametrize("data, field_error", [
    ({"other_kind": ""}, "Say which other kind of support"),
    ({"description": ""}, "Describe the support asked for"),
])
def test_another_kind_needs_its_name_and_description(cast, secretariat, data, field_error):
    response, _city = _ask_other(cast, secretariat, **data)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    with scopes_disabled():
        assert not SupportActivity.objects.exists()
        assert not ApprovalRequest.objects.exists()


def test_a_workplan_of_another_city_is_refused(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region, name="Chino"))
    city = CityFactory(region=cast.home.region, name="Sanda")
    response = secretariat.post(f"{BASE}/new/", {"city": city.pk, "workplan": plan.pk,
                                                 "kind": SupportKind.WORKSHOP})
    assert "Choose a workplan of Sanda." in response.content.decode()
    with scopes_disabled():
        assert not SupportActivity.objects.exists()


def test_only_the_secretariat_manages_support(cast, client_for):
    activity = SupportActivityFactory(city=CityFactory(region=cast.home.region))
    for user in (cast.home.forum_reviewer, cast.home.city_contact, cast.home.expert):
        browser = client_for(user)
        assert browser.get(f"{BASE}/").status_code == 403
        assert browser.get(f"{BASE}/{activity.pk}/").status_code == 403


def test_the_list_costs_the_same_with_many_activities(cast, secretariat):
    event = EventFactory(region=cast.home.region)

    def grow():
        for _n in range(6):
            plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
            SupportActivityFactory(city=plan.city, workplan=plan, event=event)

    grow()
    secretariat.get(f"{BASE}/")
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/?state=planned"), grow)


def test_the_service_refuses_an_event_for_an_activity_awaiting_approval(cast, secretariat):
    from django_scopes import scope

    from alliance.errors import InvalidTransition
    from events.services import support

    _response, city = _ask_other(cast, secretariat)
    activity = _activity(city=city)
    event = EventFactory(region=cast.home.region)
    with scope(region=cast.home.region), pytest.raises(InvalidTransition):
        support.update_activity(actor=cast.home.regional_secretariat, activity=activity,
                                event=event)
    assert _activity(pk=activity.pk).event_id is None

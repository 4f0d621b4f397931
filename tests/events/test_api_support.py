"""The implementation support API: the same rights as the pages (a city contact their own
city's workplans, an expert comments where they advise), the same refusals (400 with the
reason, nothing changed), scoped to the region."""

import datetime
import zoneinfo

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.models import ApprovalRequest
from events.models import SupportState, Workplan, WorkplanComment, WorkplanProgress
from experts.models import Stage
from tests.assessments.factories import ModelPolicyFactory
from tests.experts.factories import ExpertFactory
from tests.factories import CityFactory, ContactFactory

from .factories import WorkplanFactory, WorkplanMilestoneFactory, WorkplanTemplateFactory

API = "/api/v1/regions/aurora"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def _own_city(cast):
    city = CityFactory(region=cast.home.region, name="Maebashi")
    ContactFactory(city=city, user=cast.home.city_contact)
    return city


def test_the_secretariat_creates_a_workplan_from_a_template(cast, api_secretariat):
    city = CityFactory(region=cast.home.region)
    policy = ModelPolicyFactory()
    template = WorkplanTemplateFactory(region=cast.home.region)
    response = api_secretariat.post(f"{API}/workplans/", {
        "city": city.pk, "model_policy": policy.pk, "template": template.pk,
        "responsible": "Digital office"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    today = timezone.localdate(timezone=TOKYO)
    assert [m["due_on"] for m in body["milestones"]] == [
        (today + datetime.timedelta(days=days)).isoformat() for days in (30, 120, 240)]
    assert body["milestones_total"] == 3 and body["progress_percent"] == 0
    again = api_secretariat.post(f"{API}/workplans/", {
        "city": city.pk, "model_policy": policy.pk}, format="json")
    assert again.status_code == 400
    assert "already has a workplan" in again.json()["model_policy"][0]


def test_bad_input_answers_400_and_changes_nothing(cast, api_secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
    url = f"{API}/workplans/{plan.pk}/"
    assert api_secretariat.patch(url, {"status": "finished"}, format="json").status_code == 400
    response = api_secretariat.patch(url, {"milestones_done": 3}, format="json")
    assert response.status_code == 400 and "milestones_done" in response.json()
    response = api_secretariat.post(f"{API}/workplan-templates/", {
        "title": "T", "milestones": [{"title": "Adopt", "after_days": -3}]}, format="json")
    assert response.status_code == 400 and "milestones" in response.json()
    foreign = CityFactory(region=cast.foreign.region)
    response = api_secretariat.post(f"{API}/workplans/", {
        "city": foreign.pk, "model_policy": plan.model_policy.pk}, format="json")
    assert response.status_code == 400 and "city" in response.json()
    assert api_secretariat.get(f"{API}/workplans/?status=nonsense").status_code == 400
    with scopes_disabled():
        assert Workplan.objects.get(pk=plan.pk).status == plan.status


def test_the_list_filters_behind_schedule(cast, api_secretariat):
    behind = WorkplanFactory(city=CityFactory(region=cast.home.region))
    WorkplanMilestoneFactory(workplan=behind, due_on=datetime.date(2020, 1, 1))
    WorkplanFactory(city=CityFactory(region=cast.home.region))
    ids = [row["id"] for row in api_secretariat.get(
        f"{API}/workplans/?behind=true").json()["results"]]
    assert ids == [behind.pk]


def test_a_city_contact_reads_and_edits_only_their_citys_workplans(cast, api):
    own = WorkplanFactory(city=_own_city(cast))
    other = WorkplanFactory(city=CityFactory(region=cast.home.region))
    api.force_authenticate(cast.home.city_contact)
    listed = [row["id"] for row in api.get(f"{API}/workplans/").json()["results"]]
    assert listed == [own.pk]
    assert api.patch(f"{API}/workplans/{own.pk}/", {"responsible": "Ms. Sato"},
                     format="json").status_code == 200
    assert api.patch(f"{API}/workplans/{other.pk}/", {"responsible": "x"},
                     format="json").status_code == 403
    assert api.get(f"{API}/workplans/{other.pk}/").status_code == 403
    created = api.post(f"{API}/workplans/{own.pk}/milestones/", {
        "title": "Council vote", "due_on": "2027-03-01"}, format="json")
    assert created.status_code == 201
    assert api.post(f"{API}/workplans/{other.pk}/milestones/", {"title": "x"},
                    format="json").status_code == 403
    expert = ExpertFactory(region=cast.home.region, stage=Stage.ACTIVE)
    assert api.patch(f"{API}/workplans/{own.pk}/", {"advisors": [expert.pk]},
                     format="json").status_code == 403
    assert api.post(f"{API}/workplans/", {"city": own.city.pk},
                    format="json").status_code == 403
    with scopes_disabled():
        assert Workplan.objects.get(pk=own.pk).responsible == "Ms. Sato"
        assert Workplan.objects.get(pk=own.pk).milestones_total == 1
        assert Workplan.objects.get(pk=other.pk).milestones_total == 0


def test_an_expert_comments_only_where_they_advise(cast, api):
    advised = WorkplanFactory(city=CityFactory(region=cast.home.region))
    other = WorkplanFactory(city=CityFactory(region=cast.home.region))
    advised.advisors.add(ExpertFactory(region=cast.home.region, user=cast.home.expert,
                                       stage=Stage.ACTIVE))
    api.force_authenticate(cast.home.expert)
    assert api.post(f"{API}/workplans/{advised.pk}/comments/", {"body": "Good start."},
                    format="json").status_code == 201
    assert api.post(f"{API}/workplans/{other.pk}/comments/", {"body": "x"},
                    format="json").status_code == 403
    assert api.post(f"{API}/workplans/{advised.pk}/progress/", {"summary": "x"},
                    format="json").status_code == 403
    assert api.patch(f"{API}/workplans/{advised.pk}/", {"goals": "x"},
                     format="json").status_code == 403
    assert [row["id"] for row in api.get(f"{API}/workplans/").json()["results"]] == [
        advised.pk]
    with scopes_disabled():
        assert WorkplanComment.objects.count() == 1


def test_this_months_follow_up_is_written_then_updated(cast, api):
    own = WorkplanFactory(city=_own_city(cast))
    api.force_authenticate(cast.home.city_contact)
    url = f"{API}/workplans/{own.pk}/progress/"
    assert api.post(url, {"summary": "Draft sent."}, format="json").status_code == 201
    second = api.post(url, {"summary": "Draft sent and read."}, format="json")
    assert second.status_code == 200
    assert api.post(url, {"summary": ""}, format="json").status_code == 400
    with scopes_disabled():
        assert list(WorkplanProgress.objects.values_list("summary", flat=True)) == [
            "Draft sent and read."]


def test_a_support_activity_of_another_kind_asks_the_global_secretariat(cast,
                                                                         api_secretariat):
    city = CityFactory(region=cast.home.region)
    response = api_secretariat.post(f"{API}/support-activities/", {
        "city": city.pk, "kind": "other", "other_kind": "Citizens' assembly",
        "description": "Two evenings."}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == SupportState.AWAITING_APPROVAL
    with scopes_disabled():
        assert ApprovalRequest.objects.filter(kind="support_activity").count() == 1
    refused = api_secretariat.post(f"{API}/support-activities/", {
        "city": city.pk, "kind": "other"}, format="json")
    assert refused.status_code == 400 and "other_kind" in refused.json()


def test_another_regions_workplan_is_not_found(cast, api_secretariat):
    foreign = WorkplanFactory(city=CityFactory(region=cast.foreign.region))
    assert api_secretariat.get(f"{API}/workplans/{foreign.pk}/").status_code == 404
    assert api_secretariat.get(
        f"{API}/workplans/{foreign.pk}/milestones/").status_code == 404

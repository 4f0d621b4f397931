"""Workplans: made from a region's template (goals and milestones due from today), one per city
and model policy, progress as the share of milestones done, a monthly follow-up written once a
month and edited after; and who may do what: the secretariat everything, a city contact their
own city's workplans only, an expert comments only where they advise, a Forum reviewer reads."""

import datetime
import zoneinfo

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.models import AuditEntry, Notification
from events.models import (
    MilestoneStatus,
    Workplan,
    WorkplanComment,
    WorkplanMilestone,
    WorkplanProgress,
    WorkplanTemplate,
)
from experts.models import Stage
from tests.assessments.factories import ModelPolicyFactory
from tests.dashboards import dashboard_of
from tests.experts.factories import ExpertFactory
from tests.factories import CityFactory, ContactFactory
from tests.querycount import assert_flat_queries

from .factories import (
    AgendaItemFactory,
    EventFactory,
    WorkplanCommentFactory,
    WorkplanFactory,
    WorkplanMilestoneFactory,
    WorkplanProgressFactory,
    WorkplanTemplateFactory,
)

BASE = "/r/aurora/support"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def _today():
    return timezone.localdate(timezone=TOKYO)


def _plan(pk) -> Workplan:
    with scopes_disabled():
        return Workplan.objects.get(pk=pk)


def _own_city(cast):
    """A city whose contact is the home region's city contact."""
    city = CityFactory(region=cast.home.region, name="Maebashi")
    ContactFactory(city=city, user=cast.home.city_contact)
    return city


def _advisor(cast, workplan):
    expert = ExpertFactory(region=cast.home.region, user=cast.home.expert, stage=Stage.ACTIVE)
    workplan.advisors.add(expert)
    return expert


# -- templates and creation -----------------------------------------------------------------

def test_the_secretariat_writes_a_template_with_milestone_rows(cast, secretariat):
    response = secretariat.post(f"{BASE}/templates/new/", {
        "title": "First year", "goals": "Adopt the policy.", "is_active": "on",
        "milestones-TOTAL_FORMS": "3", "milestones-INITIAL_FORMS": "0",
        "milestones-0-title": "Council adoption", "milestones-0-after_days": "200",
        "milestones-1-title": "Name the department", "milestones-1-after_days": "14",
        "milestones-2-title": "", "milestones-2-after_days": ""})
    assert response.status_code == 302, response.content.decode()
    with scopes_disabled():
        template = WorkplanTemplate.objects.get(title="First year")
    assert template.milestones == [{"title": "Name the department", "after_days": 14},
                                   {"title": "Council adoption", "after_days": 200}]
    assert "First year" in secretariat.get(f"{BASE}/templates/").content.decode()


def test_a_template_row_without_days_is_refused_on_its_field(cast, secretariat):
    response = secretariat.post(f"{BASE}/templates/new/", {
        "title": "First year", "milestones-TOTAL_FORMS": "1", "milestones-INITIAL_FORMS": "0",
        "milestones-0-title": "Council adoption", "milestones-0-after_days": ""})
    assert response.status_code == 200
    assert "Say how many days after the start it is due." in response.content.decode()
    with scopes_disabled():
        assert not WorkplanTemplate.objects.exists()


def test_a_workplan_from_a_template_copies_goals_and_milestones_due_from_today(cast,
                                                                             secretariat):
    city = CityFactory(region=cast.home.region)
    policy = ModelPolicyFactory(title="Open Data")
    template = WorkplanTemplateFactory(region=cast.home.region)
    response = secretariat.post(f"{BASE}/workplans/new/", {
        "city": city.pk, "model_policy": policy.pk, "template": template.pk,
        "responsible": "Digital office", "goals": "", "status": "active"})
    assert response.status_code == 302, response.content.decode()
    with scopes_disabled():
        plan = Workplan.objects.get(city=city)
        milestones = list(plan.milestones.order_by("position"))
    assert plan.goals == template.goals
    assert [(m.title, m.due_on) for m in milestones] == [
        ("Name the responsible department", _today() + datetime.timedelta(days=30)),
        ("Draft the policy", _today() + datetime.timedelta(days=120)),
        ("Adopt the policy", _today() + datetime.timedelta(days=240))]
    assert (plan.milestones_total, plan.milestones_done) == (3, 0)
    page = secretariat.get(response.url).content.decode()
    assert "0 of 3 milestones done (0%)" in page


def test_a_second_workplan_for_the_same_city_and_policy_is_refused_on_its_field(cast,
                                                                              secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region, name="Takamatsu"))
    response = secretariat.post(f"{BASE}/workplans/new/", {
        "city": plan.city.pk, "model_policy": plan.model_policy.pk, "status": "active"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Takamatsu already has a workplan for" in body
    with scopes_disabled():
        assert Workplan.objects.count() == 1


def test_progress_is_the_share_of_milestones_done(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
    milestones = [WorkplanMilestoneFactory(workplan=plan) for _n in range(4)]
    for milestone in milestones[:3]:
        response = secretariat.post(
            f"{BASE}/workplans/{plan.pk}/milestones/{milestone.pk}/status/",
            {"status": MilestoneStatus.DONE})
        assert response.status_code == 302
    plan = _plan(plan.pk)
    assert (plan.milestones_total, plan.milestones_done, plan.progress_percent) == (4, 3, 75)
    # Deleting a milestone done counts again.
    secretariat.post(f"{BASE}/workplans/{plan.pk}/milestones/{milestones[0].pk}/delete/")
    plan = _plan(plan.pk)
    assert (plan.milestones_total, plan.milestones_done, plan.progress_percent) == (3, 2, 67)


def test_the_status_changes_in_place_with_htmx(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
    milestone = WorkplanMilestoneFactory(workplan=plan, title="Council adoption")
    response = secretariat.post(
        f"{BASE}/workplans/{plan.pk}/milestones/{milestone.pk}/status/",
        {"status": MilestoneStatus.DONE}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith(f'<tr id="milestone-{milestone.pk}">')
    assert 'hx-swap-oob="true"' in body and "1 of 1 milestones done (100%)" in body


def test_the_list_filters_workplans_behind_schedule_and_sums_them(cast, secretariat):
    behind = WorkplanFactory(city=CityFactory(region=cast.home.region, name="Sanda"))
    WorkplanMilestoneFactory(workplan=behind, due_on=_today() - datetime.timedelta(days=3))
    on_time = WorkplanFactory(city=CityFactory(region=cast.home.region, name="Chino"))
    WorkplanMilestoneFactory(workplan=on_time, due_on=_today() + datetime.timedelta(days=3),
                             status=MilestoneStatus.NOT_STARTED)
    WorkplanMilestoneFactory(workplan=on_time, due_on=_today() - datetime.timedelta(days=3),
                             status=MilestoneStatus.DONE)
    for plan in (behind, on_time):
        with scopes_disabled():
            from events.services.workplans import _recount
            _recount(plan)
    page = secretariat.get(f"{BASE}/?behind=on").content.decode()
    assert "Sanda" in page and "Chino" not in page
    assert "1 overdue" in page
    everything = secretariat.get(f"{BASE}/").content.decode()
    assert "Sanda" in everything and "Chino" in everything
    assert "<dd>25%</dd>" in everything  # 0% and 50% on average


def test_the_list_costs_the_same_with_many_workplans(cast, secretariat):
    def grow():
        for _n in range(8):
            plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
            WorkplanMilestoneFactory(workplan=plan, due_on=_today())

    grow()
    secretariat.get(f"{BASE}/")  # the session's first write is not the page's
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/?status=draft"), grow)


def test_the_workplan_page_costs_the_same_with_many_rows(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
    event = EventFactory(region=cast.home.region)

    def grow():
        for _n in range(5):
            WorkplanMilestoneFactory(workplan=plan, due_on=_today())
            WorkplanCommentFactory(workplan=plan, author=cast.home.regional_secretariat)
            AgendaItemFactory(event=event, workplan=plan)

    grow()
    secretariat.get(f"{BASE}/")  # the session's first write is not the page's
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/workplans/{plan.pk}/"), grow)


def test_the_page_says_where_the_workplan_was_shared(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
    event = EventFactory(region=cast.home.region, title="Regular meeting of May")
    AgendaItemFactory(event=event, workplan=plan, title="Maebashi's progress")
    page = secretariat.get(f"{BASE}/workplans/{plan.pk}/").content.decode()
    assert "Regular meeting of May</a> on" in page and "Maebashi&#x27;s progress" in page


# -- the monthly follow-up --------------------------------------------------------------------

def test_the_monthly_follow_up_is_written_once_a_month_then_updated(cast, client_for):
    city = _own_city(cast)
    plan = WorkplanFactory(city=city)
    contact = client_for(cast.home.city_contact)
    url = f"{BASE}/workplans/{plan.pk}/progress/"
    contact.post(url, {"summary": "Draft sent to legal.", "next_steps": "Consult."})
    contact.post(url, {"summary": "Draft sent to legal and to the mayor."})
    with scopes_disabled():
        entries = list(WorkplanProgress.objects.filter(workplan=plan))
    assert len(entries) == 1
    assert entries[0].summary == "Draft sent to legal and to the mayor."
    assert entries[0].month == _today().replace(day=1)
    page = contact.get(f"{BASE}/workplans/{plan.pk}/").content.decode()
    assert "Update this month's follow-up" in page


def test_the_page_shows_the_months_without_a_follow_up(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region),
                           created_at=timezone.now() - datetime.timedelta(days=75))
    this_month = _today().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    before = (last_month - datetime.timedelta(days=1)).replace(day=1)
    WorkplanProgressFactory(workplan=plan, month=before)
    page = secretariat.get(f"{BASE}/workplans/{plan.pk}/").content.decode()
    gaps = page[page.index("No follow-up for:"):]
    gaps = gaps[:gaps.index("</p>")]
    assert last_month.strftime("%B %Y") in gaps
    assert this_month.strftime("%B %Y") not in gaps  # this month's is still to write
    assert before.strftime("%B %Y") not in gaps


def test_an_empty_follow_up_is_refused_and_nothing_is_written(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
    secretariat.post(f"{BASE}/workplans/{plan.pk}/progress/", {"summary": "  "})
    with scopes_disabled():
        assert not WorkplanProgress.objects.exists()


# -- who may do what --------------------------------------------------------------------------

def test_a_city_contact_edits_their_own_citys_workplan(cast, client_for):
    plan = WorkplanFactory(city=_own_city(cast))
    contact = client_for(cast.home.city_contact)
    response = contact.post(f"{BASE}/workplans/{plan.pk}/edit/", {
        "goals": "Adopt it by March.", "responsible": "Ms. Sato", "status": "active"})
    assert response.status_code == 302
    assert _plan(plan.pk).responsible == "Ms. Sato"
    response = contact.post(f"{BASE}/workplans/{plan.pk}/milestones/new/", {
        "title": "Council vote", "due_on": "2027-03-01", "status": "not_started"})
    assert response.status_code == 302
    assert _plan(plan.pk).milestones_total == 1
    assert "Maebashi" in contact.get(f"{BASE}/mine/").content.decode()


def test_a_city_contact_cannot_see_or_edit_another_citys_workplan(cast, client_for):
    _own_city(cast)
    other = WorkplanFactory(city=CityFactory(region=cast.home.region, name="Takamatsu"))
    milestone = WorkplanMilestoneFactory(workplan=other)
    contact = client_for(cast.home.city_contact)
    assert contact.get(f"{BASE}/workplans/{other.pk}/").status_code == 403
    assert contact.post(f"{BASE}/workplans/{other.pk}/edit/", {
        "goals": "x", "responsible": "x", "status": "active"}).status_code == 403
    assert contact.post(f"{BASE}/workplans/{other.pk}/milestones/{milestone.pk}/status/",
                        {"status": "done"}).status_code == 403
    assert contact.post(f"{BASE}/workplans/{other.pk}/progress/",
                        {"summary": "x"}).status_code == 403
    assert contact.get(f"{BASE}/").status_code == 403  # the region's list is the secretariat's
    assert "Takamatsu" not in contact.get(f"{BASE}/mine/").content.decode()
    assert _plan(other.pk).goals != "x"


def test_a_city_contact_does_not_name_advisors(cast, client_for):
    plan = WorkplanFactory(city=_own_city(cast))
    expert = ExpertFactory(region=cast.home.region, stage=Stage.ACTIVE)
    contact = client_for(cast.home.city_contact)
    response = contact.post(f"{BASE}/workplans/{plan.pk}/advisors/", {"expert": expert.pk})
    assert response.status_code == 403
    with scopes_disabled():
        assert not plan.advisors.exists()


def test_the_secretariat_names_a_confirmed_expert_as_advisor(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
    expert = ExpertFactory(region=cast.home.region, stage=Stage.CONFIRMED, name="Ana Ruiz")
    candidate = ExpertFactory(region=cast.home.region, stage=Stage.CANDIDATE)
    secretariat.post(f"{BASE}/workplans/{plan.pk}/advisors/", {"expert": expert.pk})
    secretariat.post(f"{BASE}/workplans/{plan.pk}/advisors/", {"expert": candidate.pk})
    with scopes_disabled():
        assert list(plan.advisors.all()) == [expert]
    secretariat.post(f"{BASE}/workplans/{plan.pk}/advisors/", {"remove": expert.pk})
    with scopes_disabled():
        assert not plan.advisors.exists()
        assert AuditEntry.objects.filter(action="events.workplan.advisors_set").count() == 2


def test_an_expert_named_advisor_is_told_once(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region, name="Sanda"))
    expert = ExpertFactory(region=cast.home.region, user=cast.home.expert, stage=Stage.ACTIVE)
    url = f"{BASE}/workplans/{plan.pk}/advisors/"
    secretariat.post(url, {"expert": expert.pk})
    secretariat.post(url, {"remove": expert.pk})
    secretariat.post(url, {"expert": expert.pk})
    with scopes_disabled():
        notices = list(Notification.objects.filter(recipient=cast.home.expert))
    assert len(notices) == 1
    assert "You advise the workplan of Sanda" in notices[0].subject
    assert notices[0].url == f"{BASE}/workplans/{plan.pk}/"


def test_an_expert_comments_only_on_the_workplans_they_advise(cast, client_for):
    advised = WorkplanFactory(city=CityFactory(region=cast.home.region, name="Sanda"))
    other = WorkplanFactory(city=CityFactory(region=cast.home.region, name="Chino"))
    _advisor(cast, advised)
    expert = client_for(cast.home.expert)
    response = expert.post(f"{BASE}/workplans/{advised.pk}/comments/",
                           {"body": "Start with the data inventory."})
    assert response.status_code == 302
    assert expert.post(f"{BASE}/workplans/{other.pk}/comments/",
                       {"body": "Hello"}).status_code == 403
    assert expert.get(f"{BASE}/workplans/{other.pk}/").status_code == 403
    with scopes_disabled():
        assert list(WorkplanComment.objects.values_list("workplan_id", flat=True)) == [
            advised.pk]
    page = expert.get(f"{BASE}/workplans/{advised.pk}/").content.decode()
    assert "Start with the data inventory." in page and "Edit the workplan" not in page
    assert expert.post(f"{BASE}/workplans/{advised.pk}/progress/",
                       {"summary": "x"}).status_code == 403
    mine = expert.get(f"{BASE}/mine/").content.decode()
    assert "Sanda" in mine and "Chino" not in mine


def test_a_forum_reviewer_reads_but_does_not_write(cast, client_for):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region, name="Sanda"))
    reviewer = client_for(cast.home.forum_reviewer)
    assert "Sanda" in reviewer.get(f"{BASE}/").content.decode()
    page = reviewer.get(f"{BASE}/workplans/{plan.pk}/").content.decode()
    assert "Edit the workplan" not in page and "Add comment" not in page
    assert reviewer.post(f"{BASE}/workplans/{plan.pk}/comments/",
                         {"body": "x"}).status_code == 403
    assert reviewer.get(f"{BASE}/workplans/new/").status_code == 403


def test_another_regions_workplan_is_not_found(cast, secretariat):
    foreign = WorkplanFactory(city=CityFactory(region=cast.foreign.region))
    assert secretariat.get(f"{BASE}/workplans/{foreign.pk}/").status_code == 404


def test_the_dashboards_show_the_regions_figures_and_ones_own_workplans(cast, secretariat,
                                                                        client_for):
    plan = WorkplanFactory(city=_own_city(cast), status="active")
    WorkplanMilestoneFactory(workplan=plan, due_on=_today() - datetime.timedelta(days=9),
                             title="Late step")
    with scopes_disabled():
        from events.services.workplans import _recount
        _recount(plan)
    page = dashboard_of(secretariat, cast.home.region)
    assert "Workplans under way" in page and "Maebashi" in page
    contact_page = client_for(cast.home.city_contact).get("/r/aurora/").content.decode()
    assert "My workplans" in contact_page and "Late step" in contact_page


def test_every_change_is_told_in_a_sentence(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
    secretariat.post(f"{BASE}/workplans/{plan.pk}/milestones/new/", {
        "title": "Council vote", "status": "not_started"})
    with scopes_disabled():
        milestone = WorkplanMilestone.objects.get(workplan=plan)
    secretariat.post(f"{BASE}/workplans/{plan.pk}/milestones/{milestone.pk}/", {
        "title": "Council vote", "status": "in_progress", "responsible": "Mayor's office"})
    page = secretariat.get(f"{BASE}/workplans/{plan.pk}/").content.decode()
    assert "added the milestone “Council vote”" in page
    assert "changed the milestone “Council vote”" in page


# -- the city's merge --------------------------------------------------------------------------

def test_a_merged_duplicate_brings_its_workplans_along(cast, secretariat):
    keep = CityFactory(region=cast.home.region, name="Bogotá")
    duplicate = CityFactory(region=cast.home.region, name="Bogota")
    plan = WorkplanFactory(city=duplicate)
    secretariat.post(f"/r/aurora/cities/{keep.pk}/merge/",
                     {"duplicate": duplicate.pk, "confirm": "yes"})
    assert _plan(plan.pk).city_id == keep.pk


def test_a_merge_of_two_workplans_for_one_policy_is_refused(cast, secretariat):
    keep = CityFactory(region=cast.home.region, name="Bogotá")
    duplicate = CityFactory(region=cast.home.region, name="Bogota")
    kept = WorkplanFactory(city=keep)
    WorkplanFactory(city=duplicate, model_policy=kept.model_policy)
    response = secretariat.post(f"/r/aurora/cities/{keep.pk}/merge/",
                                {"duplicate": duplicate.pk, "confirm": "yes"})
    assert "Both cities have a workplan for" in response.content.decode()
    with scopes_disabled():
        assert Workplan.objects.filter(city=duplicate).exists()


def test_a_bad_status_in_place_says_so_in_the_row_and_changes_nothing(cast, secretariat):
    plan = WorkplanFactory(city=CityFactory(region=cast.home.region))
    milestone = WorkplanMilestoneFactory(workplan=plan)
    response = secretariat.post(
        f"{BASE}/workplans/{plan.pk}/milestones/{milestone.pk}/status/",
        {"status": "finished"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'role="alert">Choose a status' in body
    with scopes_disabled():
        assert WorkplanMilestone.objects.get(pk=milestone.pk).status == "not_started"

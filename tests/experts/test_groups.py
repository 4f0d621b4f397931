"""Working groups: the secretariat creates them and names a lead; the lead's delegation is
written down (role, scope, start, review date) and grants them the management of that
group's members and sessions, and of no other group; changing the lead ends it."""

import datetime
import zoneinfo

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_scopes import scopes_disabled

from alliance import permissions
from alliance.models import Delegation, DelegationNote, Notification
from assessments.models import ModelPolicy
from experts.models import GroupMember, GroupSession, Stage, WorkingGroup
from tests.assessments.factories import ModelPolicyFactory
from tests.factories import CityFactory, ContactFactory
from tests.querycount import assert_flat_queries

from .factories import (
    ExpertFactory,
    GroupMemberFactory,
    GroupSessionFactory,
    WorkingGroupFactory,
)

BASE = "/r/aurora/experts/groups"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")  # the home region's zone
SOON = timezone.localdate() + datetime.timedelta(days=120)


def _today():
    return timezone.localdate(timezone=TOKYO)


def _fresh(user):
    """The user again: guardian and the roles cache remember answers per user object."""
    return get_user_model().objects.get(pk=user.pk)


def _create(secretariat, **data):
    return secretariat.post(f"{BASE}/new/", {"name": "Data governance", "cadence": "yearly",
                                             "theme": "Open data", **data})


def _group(**filters) -> WorkingGroup:
    with scopes_disabled():
        return WorkingGroup.objects.select_related("lead").get(**filters)


def _led_group(cast, secretariat, name="Mobility data"):
    response = _create(secretariat, name=name, lead=cast.home.expert.pk,
                       lead_scope="Members and sessions", lead_review_on=SOON.isoformat())
    assert response.status_code == 302, response.content.decode()
    return _group(name=name)


def test_the_secretariat_creates_a_group_and_hands_it_to_a_lead_in_writing(cast, secretariat):
    policy = ModelPolicyFactory(title="Open Data")
    response = _create(secretariat, model_policy=policy.pk, purpose="Share practice.",
                       lead=cast.home.expert.email, lead_scope="Members and sessions",
                       lead_review_on=SOON.isoformat())
    group = _group()
    assert response["Location"] == f"{BASE}/{group.pk}/"
    assert (group.name, group.model_policy, group.lead) == (
        "Data governance", policy, cast.home.expert)
    with scopes_disabled():
        delegation = Delegation.objects.get()
        notification = Notification.objects.get(recipient=cast.home.expert)
    assert (delegation.role, delegation.scope, delegation.review_on, delegation.ended_on) == (
        "Working group lead", "Members and sessions", SOON, None)
    assert "You lead the working group “Data governance”" in notification.subject
    page = secretariat.get(f"{BASE}/{group.pk}/").content.decode()
    assert "The lead&#x27;s delegation" in page or "The lead's delegation" in page
    assert "Members and sessions" in page and "Open Data" in page
    assert "made" in page and "the group&#x27;s lead" in page  # its history
    listing = secretariat.get(f"{BASE}/").content.decode()
    assert "Data governance" in listing and str(cast.home.expert) in listing


def test_bad_input_is_refused_with_field_errors_and_nothing_saved(cast, secretariat):
    proposed = ModelPolicyFactory(status=ModelPolicy.Status.PROPOSED)
    WorkingGroupFactory(region=cast.home.region, name="Mobility")
    page = _create(secretariat, name="mobility", model_policy=proposed.pk, cadence="weekly",
                   lead="nobody@example.org",
                   lead_review_on=(timezone.localdate() - datetime.timedelta(days=1))
                   .isoformat())
    text = page.content.decode()
    assert page.status_code == 200
    assert "Select a valid choice." in text  # the proposed policy and the cadence
    assert "Nothing here is called “nobody@example.org”" in text
    assert "The review date must be in the future." in text
    page = _create(secretariat, name="mobility")
    assert "already has a group with this name" in page.content.decode()
    outsider_lead = _create(secretariat, name="Energy", lead=cast.foreign.expert.pk)
    assert "Choose from the list." in outsider_lead.content.decode()
    with scopes_disabled():
        assert WorkingGroup.objects.count() == 1 and not Delegation.objects.exists()


def test_the_lead_manages_their_group_and_no_other(cast, secretariat, client_for):
    group = _led_group(cast, secretariat)
    other = WorkingGroupFactory(region=cast.home.region, name="Energy")
    expert = ExpertFactory(region=cast.home.region, name="Ana Lima", stage=Stage.ACTIVE)
    lead = client_for(cast.home.expert)
    assert lead.get(f"{BASE}/{group.pk}/").status_code == 200
    added = lead.post(f"{BASE}/{group.pk}/members/add/", {"expert": expert.pk})
    assert added.status_code == 302
    planned = lead.post(f"{BASE}/{group.pk}/sessions/new/", {
        "title": "Spring session", "starts_at": "2027-04-14T10:00", "location": "Online"})
    assert planned.status_code == 302
    with scopes_disabled():
        session = GroupSession.objects.get(group=group)
        assert GroupMember.objects.get(group=group).expert == expert
    # Entered in the region's zone (Asia/Tokyo): 10:00 there is 01:00 UTC.
    assert session.starts_at == datetime.datetime(2027, 4, 14, 1, 0, tzinfo=datetime.UTC)
    suggestions = lead.get(f"{BASE}/{group.pk}/pick/experts/?q=Ana").content.decode()
    assert "Ana Lima" in suggestions
    for url in (f"{BASE}/{other.pk}/", f"{BASE}/{other.pk}/sessions/new/",
                f"{BASE}/{other.pk}/pick/experts/", f"{BASE}/{group.pk}/edit/", f"{BASE}/"):
        assert lead.get(url).status_code == 403, url
    refused = lead.post(f"{BASE}/{other.pk}/members/add/", {"expert": expert.pk})
    assert refused.status_code == 403
    with scopes_disabled():
        assert not GroupMember.objects.filter(group=other).exists()


def test_changing_the_lead_ends_the_former_leads_delegation_and_rights(cast, secretariat,
                                                                         client_for):
    group = _led_group(cast, secretariat)
    secretariat.post(f"{BASE}/{group.pk}/edit/", {
        "name": group.name, "cadence": "yearly", "lead": cast.home.regional_secretariat.pk,
        "lead_scope": "Run it until a member takes over", "lead_review_on": SOON.isoformat()})
    with scopes_disabled():
        former, current = Delegation.objects.order_by("pk")
    assert former.ended_on == _today() and current.ended_on is None
    assert current.delegate == cast.home.regional_secretariat
    assert _group(pk=group.pk).lead == cast.home.regional_secretariat
    assert not permissions.has_grant(_fresh(cast.home.expert), "experts.manage_group", group)
    former_lead = client_for(cast.home.expert)
    assert former_lead.get(f"{BASE}/{group.pk}/").status_code == 403
    assert former_lead.post(f"{BASE}/{group.pk}/sessions/new/", {
        "title": "x", "starts_at": "2027-04-14T10:00"}).status_code == 403


def test_removing_the_lead_leaves_the_group_without_one(cast, secretariat):
    group = _led_group(cast, secretariat)
    secretariat.post(f"{BASE}/{group.pk}/edit/", {"name": group.name, "cadence": "yearly",
                                                  "lead": ""})
    assert _group(pk=group.pk).lead is None
    with scopes_disabled():
        assert Delegation.objects.get().ended_on == _today()
    page = secretariat.get(f"{BASE}/{group.pk}/").content.decode()
    assert "No lead yet" in page


def test_the_secretariat_changes_the_review_date_after_a_review(cast, secretariat):
    group = _led_group(cast, secretariat)
    later = SOON + datetime.timedelta(days=180)
    secretariat.post(f"{BASE}/{group.pk}/edit/", {
        "name": group.name, "cadence": "yearly", "lead": cast.home.expert.pk,
        "lead_scope": "Members and sessions", "lead_review_on": later.isoformat()})
    with scopes_disabled():
        delegation = Delegation.objects.get()
    assert (delegation.review_on, delegation.ended_on) == (later, None)


def test_the_lead_and_the_secretariat_write_update_notes(cast, secretariat, client_for):
    group = _led_group(cast, secretariat)
    with scopes_disabled():
        delegation = Delegation.objects.get()
    url = f"{BASE}/{group.pk}/delegations/{delegation.pk}/notes/"
    lead = client_for(cast.home.expert)
    lead.post(url, {"body": "Spring session set; two members joined."})
    empty = lead.post(url, {"body": ""}, follow=True).content.decode()
    assert "Write the note" in empty
    page = lead.get(f"{BASE}/{group.pk}/").content.decode()
    assert "Spring session set; two members joined." in page
    reviewer = client_for(cast.home.forum_reviewer)
    assert reviewer.post(url, {"body": "Not mine."}).status_code == 403
    with scopes_disabled():
        assert list(DelegationNote.objects.values_list("body", flat=True)) == [
            "Spring session set; two members joined."]


def test_an_overdue_review_is_highlighted_on_the_group_page(cast, secretariat):
    group = _led_group(cast, secretariat)
    with scopes_disabled():
        Delegation.objects.update(starts_on=datetime.date(2025, 1, 1),
                                  review_on=datetime.date(2025, 6, 1))
    assert "Review overdue" in secretariat.get(f"{BASE}/{group.pk}/").content.decode()
    # Overdue, the group's other changes still go through.
    renamed = secretariat.post(f"{BASE}/{group.pk}/edit/", {
        "name": "Mobility and data", "cadence": "yearly", "lead": cast.home.expert.pk,
        "lead_scope": "Members and sessions", "lead_review_on": "2025-06-01"})
    assert renamed.status_code == 302 and _group(pk=group.pk).name == "Mobility and data"
    listing = secretariat.get(f"{BASE}/").content.decode()
    assert "1 Jun 2025" in listing and "Overdue" in listing


def test_members_are_working_experts_or_city_contacts_once_each(cast, secretariat):
    group = WorkingGroupFactory(region=cast.home.region)
    candidate = ExpertFactory(region=cast.home.region, name="Still a candidate")
    confirmed = ExpertFactory(region=cast.home.region, stage=Stage.CONFIRMED)
    ContactFactory(city=CityFactory(region=cast.home.region, name="Maebashi"),
               name="Kenji Sato")
    url = f"{BASE}/{group.pk}/members/add/"
    refused = secretariat.post(url, {"expert": candidate.pk}).content.decode()
    assert "Choose from the list." in refused  # the picker offers working experts only
    assert "Choose an expert or a city contact" in secretariat.post(url, {}).content.decode()
    assert secretariat.post(url, {"expert": confirmed.pk}).status_code == 302
    twice = secretariat.post(url, {"expert": confirmed.pk}).content.decode()
    assert "is already a member" in twice
    assert secretariat.post(url, {"contact_text": "Kenji Sato"}).status_code == 302
    page = secretariat.get(f"{BASE}/{group.pk}/").content.decode()
    assert "Kenji Sato" in page and "Maebashi" in page
    with scopes_disabled():
        member = GroupMember.objects.get(expert=confirmed)
    secretariat.post(f"{BASE}/{group.pk}/members/{member.pk}/remove/")
    with scopes_disabled():
        member.refresh_from_db()
        assert member.left_on == _today()
        assert GroupMember.objects.filter(group=group, left_on=None).count() == 1


def test_sessions_are_edited_and_deleted_and_bad_times_refused(cast, secretariat):
    group = WorkingGroupFactory(region=cast.home.region)
    session = GroupSessionFactory(group=group, title="Spring")
    bad = secretariat.post(f"{BASE}/{group.pk}/sessions/new/", {"title": "",
                                                                "starts_at": "tomorrow"})
    assert bad.status_code == 200 and "Enter a valid date/time." in bad.content.decode()
    secretariat.post(f"{BASE}/{group.pk}/sessions/{session.pk}/", {
        "title": "Spring workshop", "starts_at": "2027-03-01T14:30", "location": "Kyoto"})
    with scopes_disabled():
        session.refresh_from_db()
    assert (session.title, session.location) == ("Spring workshop", "Kyoto")
    secretariat.post(f"{BASE}/{group.pk}/sessions/{session.pk}/delete/")
    with scopes_disabled():
        assert not GroupSession.objects.exists()
    history = secretariat.get(f"{BASE}/{group.pk}/").content.decode()
    assert "deleted the session “Spring workshop”" in history


def test_a_forum_reviewer_reads_groups_but_does_not_change_them(cast, client_for):
    group = WorkingGroupFactory(region=cast.home.region)
    reviewer = client_for(cast.home.forum_reviewer)
    assert reviewer.get(f"{BASE}/{group.pk}/").status_code == 200
    assert reviewer.get(f"{BASE}/new/").status_code == 403
    assert reviewer.post(f"{BASE}/{group.pk}/sessions/new/", {
        "title": "x", "starts_at": "2027-04-14T10:00"}).status_code == 403
    city_contact = client_for(cast.home.city_contact)
    assert city_contact.get(f"{BASE}/{group.pk}/").status_code == 403


def test_another_regions_group_is_not_found(cast, secretariat):
    foreign = WorkingGroupFactory(region=cast.foreign.region)
    assert secretariat.get(f"{BASE}/{foreign.pk}/").status_code == 404


def test_the_list_and_the_group_page_do_not_grow_their_queries(cast, secretariat):
    group = WorkingGroupFactory(region=cast.home.region, lead=cast.home.expert)
    region = cast.home.region
    contact_city = CityFactory(region=region)
    GroupMemberFactory(group=group, expert=ExpertFactory(region=region, stage=Stage.ACTIVE))

    def grow():
        for n in range(4):
            other = WorkingGroupFactory(region=region, lead=cast.home.regional_secretariat)
            GroupMemberFactory(group=other)
            GroupSessionFactory(group=other)
            GroupMemberFactory(group=group, expert=ExpertFactory(region=region,
                                                                 stage=Stage.ACTIVE))
            GroupMemberFactory(group=group, expert=None,
                               contact=ContactFactory(city=contact_city))
            GroupSessionFactory(group=group)
            GroupSessionFactory(group=group, starts_at=timezone.now() - datetime.timedelta(
                days=30 * (n + 1)))

    secretariat.get(f"{BASE}/")  # the session is saved once, on the first request
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/{group.pk}/"), grow)
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/"), grow)


def test_the_demo_group_is_led_by_the_demo_expert_and_runs_twice(db):
    from django_scopes import scope

    from alliance.models import Role
    from experts import demo, demo_groups
    from tests.factories import MembershipFactory, RegionFactory, UserFactory

    japan = RegionFactory(slug="japan", name="Japan", default_language="ja")
    secretariat = MembershipFactory(region=japan, role=Role.REGIONAL_SECRETARIAT).user
    lead = UserFactory(email=demo_groups.DEMO_EXPERT)
    MembershipFactory(region=japan, role=Role.EXPERT, user=lead)
    ContactFactory(city=CityFactory(region=japan, name="Maebashi"), is_key=True)
    with scope(region=japan):
        demo.seed(japan, secretariat)
        demo_groups.seed(japan, secretariat)
        demo_groups.seed(japan, secretariat)
        group = WorkingGroup.objects.get(region=japan)
        assert group.lead == lead and permissions.can(
            _fresh(lead), "experts.manage_groups", region=japan, obj=group)
        assert group.members.filter(contact__isnull=False).count() == 1
        assert group.sessions.count() == 2
        assert Delegation.objects.get().notes.count() == 1


def test_every_form_page_opens_with_what_it_edits(cast, secretariat):
    group = _led_group(cast, secretariat)
    session = GroupSessionFactory(group=group, title="Autumn plenary", location="Kyoto")
    pages = {f"{BASE}/new/": "New working group",
             f"{BASE}/{group.pk}/edit/": "Members and sessions",
             f"{BASE}/{group.pk}/members/add/": "Add a member to Mobility data",
             f"{BASE}/{group.pk}/sessions/new/": "Asia/Tokyo",
             f"{BASE}/{group.pk}/sessions/{session.pk}/": "Autumn plenary"}
    for url, shown in pages.items():
        response = secretariat.get(url)
        assert response.status_code == 200 and shown in response.content.decode(), url


def test_a_long_member_list_is_paged_with_its_count(cast, secretariat):
    group = WorkingGroupFactory(region=cast.home.region)
    for n in range(32):
        GroupMemberFactory(group=group, expert=ExpertFactory(
            region=cast.home.region, name=f"Member {n:02d}", stage=Stage.ACTIVE))
    first = secretariat.get(f"{BASE}/{group.pk}/").content.decode()
    second = secretariat.get(f"{BASE}/{group.pk}/?page=2").content.decode()
    assert '<span class="pill">32</span>' in first
    assert "Member 00" in first and "Member 31" not in first
    assert "Member 31" in second and "Page 2 of 2" in second

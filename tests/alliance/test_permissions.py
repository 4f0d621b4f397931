import pytest
from django_scopes import scope

from alliance import permissions
from alliance.models import Role
from alliance.permissions import ACTIONS, can
from tests.factories import ApprovalRequestFactory

# The whole role x action table, written out: a change to alliance/permissions.py that
# widens or narrows a right must change this table too.
EXPECTED = {
    "alliance.view_region": {"global_secretariat", "regional_secretariat", "forum_reviewer",
                             "city_contact", "expert"},
    "alliance.view_members": {"global_secretariat", "regional_secretariat"},
    "alliance.manage_members": {"global_secretariat", "regional_secretariat"},
    "alliance.edit_region": {"global_secretariat", "regional_secretariat"},
    "alliance.invite_member": {"global_secretariat", "regional_secretariat"},
    "alliance.view_approvals": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    "alliance.view_all_approvals": {"global_secretariat", "regional_secretariat"},
    "alliance.decide_approval": {"global_secretariat", "forum_reviewer"},
    "alliance.decide_any_approval": {"global_secretariat"},
    "alliance.view_audit": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    # Asked with no region (the /global/ pages): only roles held across regions count there.
    "alliance.view_global": {"global_secretariat", "forum_reviewer"},
    "cities.view": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    "cities.view_own": {"city_contact"},
    "cities.edit": {"global_secretariat", "regional_secretariat"},
    "cities.move_stage": {"global_secretariat", "regional_secretariat"},
    "cities.import": {"global_secretariat", "regional_secretariat"},
    "cities.manage_criteria": {"global_secretariat", "regional_secretariat"},
    "cities.view_dialogues": {"global_secretariat", "regional_secretariat"},
    "cities.log_dialogue": {"global_secretariat", "regional_secretariat"},
    "outreach.view": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    "outreach.edit": {"global_secretariat", "regional_secretariat"},
    "outreach.send": {"global_secretariat", "regional_secretariat"},
    "outreach.view_materials": {"global_secretariat", "regional_secretariat", "forum_reviewer",
                                "city_contact", "expert"},
    "outreach.manage_materials": {"global_secretariat", "regional_secretariat"},
    "assessments.view_roadmap": {"global_secretariat", "regional_secretariat",
                                 "forum_reviewer", "city_contact", "expert"},
    "assessments.propose_policy": {"global_secretariat", "regional_secretariat"},
    "assessments.manage_roadmap": {"global_secretariat"},
    "assessments.view_questionnaires": {"global_secretariat", "regional_secretariat",
                                        "forum_reviewer"},
    "assessments.manage_questionnaires": {"global_secretariat"},
    "assessments.view_campaigns": {"global_secretariat", "regional_secretariat",
                                   "forum_reviewer"},
    "assessments.manage_campaigns": {"global_secretariat", "regional_secretariat"},
    "assessments.review": {"global_secretariat", "regional_secretariat"},
    "assessments.answer": {"city_contact"},
    "assessments.view_benchmarks": {"global_secretariat", "regional_secretariat",
                                    "forum_reviewer"},
    "assessments.view_global_benchmark": {"global_secretariat"},
    "assessments.view_case_studies": {"global_secretariat", "regional_secretariat",
                                      "forum_reviewer", "city_contact", "expert"},
    "assessments.manage_case_studies": {"global_secretariat", "regional_secretariat"},
    "assessments.write_own_case_study": {"city_contact"},
    "experts.view": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    "experts.edit": {"global_secretariat", "regional_secretariat"},
    "experts.decide_conflicts": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    "experts.view_directory": {"global_secretariat", "regional_secretariat", "forum_reviewer",
                               "city_contact", "expert"},
    "experts.own_record": {"expert"},
    "experts.manage_terms": {"global_secretariat", "regional_secretariat"},
    "experts.view_stakeholders": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    "experts.manage_stakeholders": {"global_secretariat", "regional_secretariat"},
    "experts.view_groups": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    "experts.manage_groups": {"global_secretariat", "regional_secretariat"},
    "experts.view_board": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    "experts.manage_board": {"global_secretariat", "regional_secretariat"},
    "events.view": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    "events.manage": {"global_secretariat", "regional_secretariat"},
    "events.manage_settings": {"global_secretariat", "regional_secretariat"},
    "events.view_own": {"city_contact", "expert"},
    "events.rsvp": {"city_contact", "expert"},
    "events.view_workplans": {"global_secretariat", "regional_secretariat", "forum_reviewer"},
    "events.manage_workplans": {"global_secretariat", "regional_secretariat"},
    "events.edit_own_workplans": {"city_contact"},
    "events.advise_workplans": {"expert"},
    "events.manage_support": {"global_secretariat", "regional_secretariat"},
}


def test_the_table_covers_every_action():
    assert set(ACTIONS) == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.GLOBAL_SECRETARIAT])
def test_each_regional_role_has_exactly_its_rights(cast, action, role):
    user = cast.home.by_role(role)
    assert can(user, action, region=cast.home.region) == (role in EXPECTED[action])
    # ...and none of them in another region.
    assert not can(user, action, region=cast.foreign.region)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_the_global_secretariat_acts_in_every_region(cast, action):
    for region in (cast.home.region, cast.foreign.region, None):
        assert can(cast.global_secretariat, action, region=region) == (
            "global_secretariat" in EXPECTED[action])


def test_an_outsider_and_an_anonymous_visitor_have_no_rights(cast):
    from django.contrib.auth.models import AnonymousUser

    for user in (cast.outsider, AnonymousUser()):
        assert not any(can(user, a, region=cast.home.region) for a in ACTIONS)


def test_a_superuser_may_do_everything(cast, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.org",
                                                       password="x" * 20)
    assert all(can(admin, a, region=cast.foreign.region) for a in ACTIONS)


def test_a_guardian_grant_lets_one_person_decide_one_request(cast):
    granted, other = ApprovalRequestFactory(region=cast.home.region), ApprovalRequestFactory(
        region=cast.home.region)
    expert = cast.home.expert
    perm = "alliance.decide_approvalrequest"
    with scope(region=cast.home.region):
        assert not can(expert, "alliance.decide_approval", region=cast.home.region, obj=granted)
        permissions.grant(expert, perm, granted)
        assert permissions.has_grant(expert, perm, granted)
        assert can(expert, "alliance.decide_approval", region=cast.home.region, obj=granted)
        assert not can(expert, "alliance.decide_approval", region=cast.home.region, obj=other)
        permissions.revoke(expert, perm, granted)
        assert not permissions.has_grant(expert, perm, granted)


def test_invitable_roles_follow_the_inviters_role(cast):
    home = cast.home.region
    assert Role.GLOBAL_SECRETARIAT not in permissions.invitable_roles(
        cast.home.regional_secretariat, home)
    assert Role.EXPERT in permissions.invitable_roles(cast.home.regional_secretariat, home)
    assert permissions.invitable_roles(cast.home.expert, home) == frozenset()
    assert Role.GLOBAL_SECRETARIAT in permissions.invitable_roles(cast.global_secretariat, None)


def test_only_cross_region_roles_enter_the_global_pages(cast):
    assert permissions.may_enter_global(cast.global_secretariat)
    assert permissions.may_enter_global(cast.global_reviewer)
    assert not permissions.may_enter_global(cast.home.forum_reviewer)
    assert not permissions.may_enter_global(cast.home.regional_secretariat)
    assert not permissions.may_enter_global(cast.outsider)

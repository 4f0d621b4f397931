"""Approvers are told, see what they decide, and find their way back; history reads as
sentences."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django_scopes import scope

from alliance import approvals as approval_kinds
from alliance.models import ApprovalRequest, Invitation, Notification, Role
from alliance.services import approvals
from tests.factories import ApprovalRequestFactory, InvitationFactory, UserFactory

State = ApprovalRequest.State


@pytest.fixture
def reviewer_kind():
    """A kind routed to Forum reviewers, as engagement clearance is."""
    kind = approval_kinds.ApprovalKind(code="test_review", label="Test review",
                                       route_role=Role.FORUM_REVIEWER)
    approval_kinds.register(kind)
    yield kind
    approval_kinds.KINDS.pop(kind.code)


def _ask(actor, target, kind, region):
    with scope(region=region):
        return approvals.request_approval(actor=actor, target=target, kind=kind,
                                          summary="Approach Director Abe", region=region)


def test_a_request_tells_the_routed_role_in_its_region_and_across_regions_once(
        cast, reviewer_kind, django_capture_on_commit_callbacks):
    region = cast.home.region
    target = InvitationFactory(region=region)
    with django_capture_on_commit_callbacks(execute=True):
        approval = _ask(cast.home.regional_secretariat, target, "test_review", region)
        again = _ask(cast.home.regional_secretariat, target, "test_review", region)
    assert again.pk == approval.pk
    told = {n.recipient: n for n in Notification.objects.filter(key__startswith="approval:")}
    # The region's reviewer and the cross-region reviewer; not another region's reviewer,
    # not the Global Secretariat (not routed to them), not the requester.
    assert set(told) == {cast.home.forum_reviewer, cast.global_reviewer}
    assert told[cast.home.forum_reviewer].url == f"/r/{region.slug}/approvals/{approval.pk}/"
    # Someone who works across regions decides from /global/, in their own menus.
    assert told[cast.global_reviewer].url == f"/global/approvals/{approval.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.home.forum_reviewer.email, cast.global_reviewer.email])
    assert "Approach Director Abe" in mail.outbox[0].subject


def test_global_secretariat_routing_tells_the_global_secretariat_but_never_the_requester(
        cast, django_capture_on_commit_callbacks):
    other_gs = UserFactory()
    other_gs.memberships.create(role=Role.GLOBAL_SECRETARIAT, region=None)
    target = InvitationFactory(region=cast.home.region, role=Role.FORUM_REVIEWER,
                               state=Invitation.State.AWAITING_APPROVAL)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(cast.global_secretariat, target, "reviewer_invitation", cast.home.region)
    recipients = {n.recipient for n in Notification.objects.all()}
    assert recipients == {other_gs}
    assert [m.to for m in mail.outbox] == [[other_gs.email]]


def test_two_pending_requests_about_one_object_cannot_exist(cast):
    pending = ApprovalRequestFactory(region=cast.home.region)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequestFactory(region=cast.home.region, target=pending.target)
    # Once decided, a new request about the same object is allowed.
    with scope(region=cast.home.region):
        ApprovalRequest.objects.filter(pk=pending.pk).update(state=State.CHANGES_REQUESTED)
    ApprovalRequestFactory(region=cast.home.region, target=pending.target)


def test_a_request_racing_another_gets_the_row_the_other_wrote(cast, monkeypatch):
    pending = ApprovalRequestFactory(region=cast.home.region)
    calls = []
    real = approvals._pending_about

    def not_yet_seen(target, kind):
        # The first look happens before the other request commits: it sees nothing.
        calls.append(kind)
        return None if len(calls) == 1 else real(target, kind)

    monkeypatch.setattr(approvals, "_pending_about", not_yet_seen)
    again = _ask(cast.home.regional_secretariat, pending.target, "reviewer_invitation",
                 cast.home.region)
    assert again.pk == pending.pk and len(calls) == 2
    with scope(region=cast.home.region):
        assert ApprovalRequest.objects.count() == 1


# -- the decision page -----------------------------------------------------------------------

def test_the_decision_page_shows_what_is_decided_above_the_form_and_a_way_back(cast, client):
    inviter = UserFactory(full_name="Paola Herrera")
    target = InvitationFactory(region=cast.home.region, email="new.reviewer@example.org",
                               role=Role.FORUM_REVIEWER, invited_by=inviter,
                               state=Invitation.State.AWAITING_APPROVAL)
    approval = ApprovalRequestFactory(region=cast.home.region, target=target)
    client.force_login(cast.global_secretariat)
    url = f"/global/approvals/{approval.pk}/"
    page = client.get(url).content.decode()
    subject = page.index("What you are asked to decide")
    assert subject < page.index("new.reviewer@example.org") < page.index("Record decision")
    assert "Paola Herrera" in page and "Forum reviewer" in page and "Aurora" in page
    assert 'href="/global/approvals/"' in page  # back to the inbox
    link = (f"/r/{cast.home.region.slug}/invitations/{target.pk}/"
            f"?next=%2Fglobal%2Fapprovals%2F{approval.pk}%2F")
    assert f'href="{link}"' in page
    # The object's page leads back to the request.
    target_page = client.get(link).content.decode()
    assert f'href="/global/approvals/{approval.pk}/"' in target_page
    assert "Back to the approval" in target_page


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x",
                                      "/no/such/page/", "javascript:alert(1)"])
def test_a_back_link_goes_only_to_a_page_of_this_site(cast, client, next_url):
    client.force_login(cast.global_secretariat)
    page = client.get("/global/approvals/", {"next": next_url}).content.decode()
    assert f'href="{next_url}"' not in page and "Back to the approval" not in page
    assert 'class="breadcrumb" aria-label="Back"' not in page


def test_pending_items_on_the_global_dashboard_link_to_the_request(cast, client):
    approval = ApprovalRequestFactory(region=cast.home.region, summary="Invite Ana")
    client.force_login(cast.global_secretariat)
    page = client.get("/global/").content.decode()
    assert f'<a href="/global/approvals/{approval.pk}/">Invite Ana</a>' in page


def test_history_lines_are_sentences_with_the_actor_never_codes(
        cast, client, django_capture_on_commit_callbacks):
    requester = cast.home.regional_secretariat
    requester.full_name = "Paola Herrera"
    requester.save()
    target = InvitationFactory(region=cast.home.region, role=Role.FORUM_REVIEWER,
                               state=Invitation.State.AWAITING_APPROVAL)
    approval = _ask(requester, target, "reviewer_invitation", cast.home.region)
    with scope(region=cast.home.region):
        approvals.decide(actor=cast.global_secretariat, approval=approval,
                         decision=State.CHANGES_REQUESTED, comment="Add a CV.")
    client.force_login(cast.global_secretariat)
    page = client.get(f"/global/approvals/{approval.pk}/").content.decode()
    assert "Paola Herrera asked to invite a Forum reviewer: Approach Director Abe" in page
    assert f"{cast.global_secretariat} decided: Changes requested" in page
    assert "Add a CV." in page
    assert "alliance.approval." not in page

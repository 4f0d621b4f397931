import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django_scopes import scope

from alliance.errors import DomainError, InvalidTransition
from alliance.models import ApprovalRequest, AuditEntry, Invitation, Notification, Role
from alliance.services import approvals
from tests.factories import ApprovalRequestFactory

State = ApprovalRequest.State


@pytest.fixture
def pending(cast):
    return ApprovalRequestFactory(region=cast.home.region,
                                  requested_by=cast.home.regional_secretariat)


def _decide(user, approval, decision, comment=""):
    with scope(region=approval.region):
        return approvals.decide(actor=user, approval=approval, decision=decision,
                                comment=comment)


@pytest.mark.parametrize("decision", [State.APPROVED, State.REJECTED, State.CHANGES_REQUESTED])
def test_a_pending_request_can_be_decided_once(cast, pending, decision,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decided = _decide(cast.global_secretariat, pending, decision, comment="Looks fine.")
    assert decided.state == decision
    assert decided.decided_by == cast.global_secretariat and decided.decided_at
    with pytest.raises(InvalidTransition):
        _decide(cast.global_secretariat, pending, State.APPROVED)
    note = Notification.objects.get(recipient=cast.home.regional_secretariat)
    assert note.delivered_at is not None
    assert mail.outbox[0].to == [cast.home.regional_secretariat.email]


def test_rejecting_without_a_reason_is_refused_and_changes_nothing(cast, pending):
    with pytest.raises(DomainError) as error:
        _decide(cast.global_secretariat, pending, State.REJECTED, comment="  ")
    assert error.value.field == "comment"
    pending.refresh_from_db()
    assert pending.state == State.PENDING


def test_only_the_routed_role_decides(cast, pending):
    # Routed to the Global Secretariat: the region's reviewer and secretariat may not.
    for user in (cast.home.forum_reviewer, cast.home.expert, cast.foreign.regional_secretariat):
        with pytest.raises(PermissionDenied):
            _decide(user, pending, State.APPROVED)


def test_nobody_clears_their_own_request(cast):
    own = ApprovalRequestFactory(region=cast.home.region, requested_by=cast.global_secretariat)
    with pytest.raises(PermissionDenied):
        _decide(cast.global_secretariat, own, State.APPROVED)


def test_is_approved_answers_the_guarded_action(cast, pending):
    invitation = pending.target
    with scope(region=cast.home.region):
        assert not approvals.is_approved(invitation, kind="reviewer_invitation")
    _decide(cast.global_secretariat, pending, State.APPROVED)
    with scope(region=cast.home.region):
        assert approvals.is_approved(invitation, kind="reviewer_invitation")


def test_a_second_request_while_one_is_pending_reuses_it(cast, pending):
    with scope(region=cast.home.region):
        again = approvals.request_approval(actor=cast.home.regional_secretariat,
                                           target=pending.target, kind="reviewer_invitation",
                                           summary="again", region=cast.home.region)
    assert again.pk == pending.pk


def test_an_unknown_kind_is_refused(cast, pending):
    with scope(region=cast.home.region), pytest.raises(DomainError):
        approvals.request_approval(actor=cast.home.regional_secretariat, target=pending.target,
                                   kind="no_such_kind", summary="x", region=cast.home.region)


def test_the_decision_is_on_the_audit_trail_of_the_request_page(cast, client, pending):
    _decide(cast.global_secretariat, pending, State.CHANGES_REQUESTED, comment="Add a CV.")
    client.force_login(cast.home.regional_secretariat)
    page = client.get(f"/r/{cast.home.region.slug}/approvals/{pending.pk}/").content.decode()
    assert f"{cast.global_secretariat} decided: Changes requested" in page
    assert "Add a CV." in page and "alliance.approval.decided" not in page
    with scope(region=cast.home.region):
        entry = AuditEntry.objects.get(action="alliance.approval.decided")
    assert entry.data["old"] == "pending" and entry.data["new"] == "changes_requested"


def test_the_inbox_filters_by_kind_and_state(cast, client, pending):
    decided = ApprovalRequestFactory(region=cast.home.region, summary="Already approved",
                                     state=State.APPROVED)
    client.force_login(cast.home.regional_secretariat)
    url = f"/r/{cast.home.region.slug}/approvals/"
    page = client.get(url, {"state": "pending", "kind": "reviewer_invitation"}).content.decode()
    assert pending.summary in page and decided.summary not in page
    page = client.get(url, {"state": "approved"}).content.decode()
    assert decided.summary in page and pending.summary not in page


def test_a_reviewer_sees_only_what_is_routed_to_reviewers(cast, client, pending):
    routed = ApprovalRequestFactory(region=cast.home.region, route_role=Role.FORUM_REVIEWER,
                                    summary="Clear approach to a Forum Partner")
    client.force_login(cast.home.forum_reviewer)
    page = client.get(f"/r/{cast.home.region.slug}/approvals/").content.decode()
    assert routed.summary in page and pending.summary not in page


def test_deciding_through_the_page_with_a_missing_reason_shows_a_field_error(cast, client,
                                                                            pending):
    client.force_login(cast.global_secretariat)
    response = client.post(f"/global/approvals/{pending.pk}/",
                           {"decision": "rejected", "comment": ""})
    assert response.status_code == 200
    assert b"Say why" in response.content
    pending.refresh_from_db()
    assert pending.state == State.PENDING


def test_a_reviewer_invitation_rejected_is_never_sent(cast, pending):
    _decide(cast.global_secretariat, pending, State.REJECTED, comment="Not a Forum staff member")
    invitation = pending.target
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REJECTED
    assert mail.outbox == []


def test_the_inbox_pages_by_25_and_keeps_its_filters(cast, client):
    ApprovalRequestFactory.create_batch(30, region=cast.home.region)
    client.force_login(cast.home.regional_secretariat)
    page = client.get("/r/aurora/approvals/", {"state": "pending"}).content.decode()
    assert page.count('class="state state-pending"') == 25
    assert 'href="?state=pending&amp;page=2"' in page
    second = client.get("/r/aurora/approvals/", {"state": "pending", "page": 2}).content.decode()
    assert second.count('class="state state-pending"') == 5

"""The vetting gate: a private-sector expert or a Forum Partner cannot be invited until a Forum
reviewer approves their vetting (and a Forum Partner's engagement clearance), in the services
and on the pages; an expert who needs no approval is marked vetted by the secretariat."""

import pytest
from django_scopes import scope

from alliance.errors import DomainError, InvalidTransition
from alliance.models import ApprovalRequest, AuditEntry, Invitation, Role
from alliance.services import approvals
from alliance.services.audit import describe
from experts.models import Expert, Sector, Stage
from experts.services import pipeline, vetting
from experts.services.pipeline import EXPERT_CLEARANCE, EXPERT_VETTING
from tests.experts.factories import ExpertFactory, InterviewFactory

BASE = "/r/aurora/experts"


def _expert(cast, **kwargs):
    return ExpertFactory(region=cast.home.region, **kwargs)


def _approve(cast, approval):
    with scope(region=cast.home.region):
        approvals.decide(actor=cast.home.forum_reviewer, approval=approval,
                         decision=ApprovalRequest.State.APPROVED)


def _request(cast, expert):
    with scope(region=cast.home.region):
        return vetting.request_vetting(actor=cast.home.regional_secretariat, expert=expert)


def test_a_private_sector_expert_is_invited_only_after_a_forum_reviewer_approves(cast):
    expert = _expert(cast, sector=Sector.PRIVATE, stage=Stage.INTERVIEWED)
    InterviewFactory(expert=expert, red_flags={"sales": {"raised": True, "note": "Pitched"}})
    secretariat = cast.home.regional_secretariat
    with scope(region=cast.home.region), pytest.raises(DomainError):
        vetting.move_stage(actor=secretariat, expert=expert, to=Stage.VETTED)
    approval = _request(cast, expert)
    assert approval.route_role == Role.FORUM_REVIEWER
    _approve(cast, approval)
    expert.refresh_from_db()
    assert expert.stage == Stage.VETTED  # the approval vetted the interviewed expert
    with scope(region=cast.home.region):
        assert pipeline.invite_refusal(expert) is None
        pipeline.invite(actor=secretariat, expert=expert)
        expert.refresh_from_db()
        assert expert.stage == Stage.INVITED
        assert Invitation.objects.get(pk=expert.invitation_id).email == expert.email
        actions = set(AuditEntry.objects.filter(object_id=expert.pk)
                      .values_list("action", flat=True))
    assert {"experts.vetting.requested", "experts.vetting.decided",
            "experts.expert.stage_changed"} <= actions


def test_the_invitation_service_refuses_before_the_approval(cast):
    expert = _expert(cast, sector=Sector.PRIVATE, stage=Stage.VETTED)
    with scope(region=cast.home.region), pytest.raises(InvalidTransition) as refused:
        pipeline.invite(actor=cast.home.regional_secretariat, expert=expert)
    assert "Forum reviewer must approve" in refused.value.message
    expert.refresh_from_db()
    assert expert.stage == Stage.VETTED and expert.invitation_id is None


def test_a_rejected_vetting_keeps_the_expert_interviewed(cast):
    expert = _expert(cast, sector=Sector.PRIVATE, stage=Stage.INTERVIEWED)
    approval = _request(cast, expert)
    with scope(region=cast.home.region):
        approvals.decide(actor=cast.home.forum_reviewer, approval=approval,
                         decision=ApprovalRequest.State.REJECTED, comment="Sales focus")
    expert.refresh_from_db()
    assert expert.stage == Stage.INTERVIEWED
    with scope(region=cast.home.region):
        entry = AuditEntry.objects.get(action="experts.vetting.decided")
    assert "Rejected" in describe(entry)


def test_a_forum_partner_also_needs_the_engagement_clearance(cast):
    expert = _expert(cast, sector=Sector.ACADEMIC, is_forum_partner=True,
                     stage=Stage.INTERVIEWED)
    _approve(cast, _request(cast, expert))
    expert.refresh_from_db()
    with scope(region=cast.home.region):
        assert "engagement clearance" in pipeline.invite_refusal(expert)
        clearance = vetting.request_clearance(actor=cast.home.regional_secretariat,
                                              expert=expert)
    assert clearance.kind == EXPERT_CLEARANCE
    _approve(cast, clearance)
    with scope(region=cast.home.region):
        assert pipeline.invite_refusal(expert) is None


def test_an_academic_is_vetted_by_the_secretariat_without_a_request(cast):
    expert = _expert(cast, sector=Sector.ACADEMIC, stage=Stage.INTERVIEWED)
    with scope(region=cast.home.region):
        with pytest.raises(DomainError):
            vetting.request_vetting(actor=cast.home.regional_secretariat, expert=expert)
        expert = vetting.move_stage(actor=cast.home.regional_secretariat, expert=expert,
                                    to=Stage.VETTED)
        assert pipeline.invite_refusal(expert) is None


def test_vetting_is_asked_only_after_the_interview_and_once(cast):
    expert = _expert(cast, sector=Sector.PRIVATE, stage=Stage.CANDIDATE)
    with scope(region=cast.home.region), pytest.raises(DomainError):
        vetting.request_vetting(actor=cast.home.regional_secretariat, expert=expert)
    Expert._base_manager.filter(pk=expert.pk).update(stage=Stage.INTERVIEWED)
    first, again = _request(cast, expert), _request(cast, expert)
    assert first.pk == again.pk


def test_the_page_shows_why_invite_is_refused_then_invites_after_approval(cast, secretariat):
    expert = _expert(cast, sector=Sector.PRIVATE, stage=Stage.INTERVIEWED)
    InterviewFactory(expert=expert)
    page = secretariat.get(f"{BASE}/{expert.pk}/").content.decode()
    assert "Ask a Forum reviewer to vet" in page
    # The stage control offers no "vetted" for this expert, and refuses it when sent.
    assert 'value="vetted"' not in page
    secretariat.post(f"{BASE}/{expert.pk}/move/", {"to": "vetted"})
    expert.refresh_from_db()
    assert expert.stage == Stage.INTERVIEWED
    secretariat.post(f"{BASE}/{expert.pk}/vetting/")
    with scope(region=cast.home.region):
        approval = ApprovalRequest.objects.get(kind=EXPERT_VETTING)
    Expert._base_manager.filter(pk=expert.pk).update(stage=Stage.VETTED)
    page = secretariat.get(f"{BASE}/{expert.pk}/").content.decode()
    assert "A Forum reviewer must approve the vetting" in page
    response = secretariat.post(f"{BASE}/{expert.pk}/invite/", follow=True)
    assert "A Forum reviewer must approve the vetting" in response.content.decode()
    expert.refresh_from_db()
    assert expert.stage == Stage.VETTED
    _approve(cast, approval)
    secretariat.post(f"{BASE}/{expert.pk}/invite/")
    expert.refresh_from_db()
    assert expert.stage == Stage.INVITED and expert.invitation_id


def test_the_reviewer_decides_on_the_approval_page_with_the_interview_and_ties(
        cast, client_for):
    expert = _expert(cast, sector=Sector.PRIVATE, stage=Stage.INTERVIEWED,
                     name="Kenji Watanabe", declared_interests="Board of Osaka Rail")
    InterviewFactory(expert=expert, red_flags={"sales": {"raised": True,
                                                         "note": "Pitched the product"}})
    approval = _request(cast, expert)
    client = client_for(cast.home.forum_reviewer)
    page = client.get(f"/r/aurora/approvals/{approval.pk}/").content.decode()
    assert "Kenji Watanabe" in page
    assert "Pitched the product" in page
    assert "Board of Osaka Rail" in page
    response = client.post(f"/r/aurora/approvals/{approval.pk}/",
                           {"decision": "approved", "comment": ""})
    assert response.status_code in (200, 302)
    expert.refresh_from_db()
    assert expert.stage == Stage.VETTED


def test_an_accepted_invitation_links_the_expert_account(cast):
    expert = _expert(cast, sector=Sector.ACADEMIC, stage=Stage.VETTED)
    with scope(region=cast.home.region):
        invitation = pipeline.invite(actor=cast.home.regional_secretariat, expert=expert)
    from alliance.signals import invitation_accepted

    user = cast.outsider
    invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    expert.refresh_from_db()
    assert expert.user == user

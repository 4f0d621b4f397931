"""No view, API route or admin page shows one region's data to another region's user."""

import datetime

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from alliance.models import Delegation, DelegationNote, Invitation, Role
from alliance.services.invitations import token_for
from alliance.tenancy import unscoped
from assessments.models import (
    CaseStudy,
    Clarification,
    ModelPolicy,
    Report,
    SectionAssignment,
)
from cities.models import SavedView
from experts.models import ConflictCheck
from tests.assessments.factories import (
    AnswerFactory,
    AssessmentFactory,
    CampaignFactory,
    ModelPolicyFactory,
    QuestionFactory,
)
from tests.events.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    DialogueFactory,
    DialogueFollowUpFactory,
    EventFactory,
    EventInvitationFactory,
    MeetingSeriesFactory,
    SupportActivityFactory,
    WorkplanCommentFactory,
    WorkplanFactory,
    WorkplanMilestoneFactory,
    WorkplanProgressFactory,
    WorkplanTemplateFactory,
)
from tests.experts.factories import (
    AdvisorCandidateFactory,
    ExpertFactory,
    GroupMemberFactory,
    GroupSessionFactory,
    InterviewFactory,
    StakeholderFactory,
    TermsAcceptanceFactory,
    TermsVersionFactory,
    WorkingGroupFactory,
)
from tests.factories import (
    ApiTokenFactory,
    ApprovalRequestFactory,
    AuditEntryFactory,
    CityFactory,
    ContactFactory,
    CriterionFactory,
    InvitationFactory,
    LetterFactory,
    LetterOfIntentFactory,
    LetterTemplateFactory,
    MaterialFactory,
    NotificationFactory,
    PartnerNetworkFactory,
)
from tests.isolation import check_isolation, rows_of

SECRET = "BOREALIS-SECRET"


@pytest.fixture
def foreign_world(cast):
    """Objects of the foreign region, each carrying a marker that must never show."""
    team = cast.foreign
    invitation = InvitationFactory(region=team.region, email="borealis-secret@example.org",
                                   invited_by=team.regional_secretariat)
    approval = ApprovalRequestFactory(region=team.region, summary=f"{SECRET} approval",
                                      requested_by=team.regional_secretariat)
    notification = NotificationFactory(recipient=team.regional_secretariat,
                                       subject=f"{SECRET} notification", region=team.region)
    token, _secret = ApiTokenFactory(user=team.regional_secretariat, name=f"{SECRET} token")
    AuditEntryFactory(region=team.region, actor=team.regional_secretariat,
                      action="alliance.secret", data={"note": SECRET})
    city = CityFactory(region=team.region, name=f"{SECRET} City")
    contact = ContactFactory(city=city, name=f"{SECRET} Contact", email="secret@borealis.org")
    criterion = CriterionFactory(region=team.region, name=f"{SECRET} criterion")
    letter = LetterFactory(city=city, contact=contact, subject=f"{SECRET} letter",
                           owner=team.regional_secretariat)
    LetterOfIntentFactory(letter=LetterFactory(city=city, contact=contact,
                                               kind="letter_of_intent",
                                               subject=f"{SECRET} intent"))
    template = LetterTemplateFactory(region=team.region, name=f"{SECRET} template")
    partner = PartnerNetworkFactory(region=team.region, name=f"{SECRET} network")
    material = MaterialFactory(region=team.region, title=f"{SECRET} brochure")
    saved_view = SavedView.objects.create(region=team.region, user=team.regional_secretariat,
                                          name=f"{SECRET} view", query="stage=member")
    assessment_world = _foreign_assessments(team, city)
    foreign_values = {
        "region_slug": team.region.slug,
        "approval_id": str(approval.pk),
        "invitation_id": str(invitation.pk),
        "notification_id": str(notification.pk),
        "token_key": token.token_key,
        "token": "not-a-valid-invitation-token",
        "action": "revoke",
        # Django admin and allauth keywords.
        "object_id": str(invitation.pk),
        "id": str(team.regional_secretariat.pk),
        "app_label": "alliance",
        "content_type_id": "1",
        "url": "no-such-admin-page/",
        "object_pk": str(approval.pk),
        "user_id": str(team.regional_secretariat.pk),
        "group_id": "1",
        "key": "not-a-key",
        "uidb36": "zz",
        "city_id": str(city.pk),
        "membership_id": str(team.expert.memberships.get().pk),
        "contact_id": str(contact.pk),
        "criterion_id": str(criterion.pk),
        "letter_id": str(letter.pk),
        "template_id": str(template.pk),
        "partner_id": str(partner.pk),
        "material_id": str(material.pk),
        "saved_view_id": str(saved_view.pk),
        "panel_name": "dialogues",
        **assessment_world,
        **_foreign_experts(team, contact),
        **_foreign_events(team, city, contact),
    }
    markers = [SECRET, team.region.name, "borealis-secret@example.org",
               *(u.email for u in (team.regional_secretariat, team.forum_reviewer,
                                   team.city_contact, team.expert))]
    return foreign_values, markers


def _foreign_assessments(team, city) -> dict:
    """The foreign region's proposal, campaign, assessment and what hangs off it; the
    questionnaire is the network's own (global), so its ids name shared rows."""
    proposal = ModelPolicyFactory(title=f"{SECRET} policy", proposed_by_region=team.region,
                                  status=ModelPolicy.Status.PROPOSED)
    question = QuestionFactory(text=f"Shared question for {city.pk}")
    version = question.section.version
    campaign = CampaignFactory(region=team.region, version=version)
    assessment = AssessmentFactory(campaign=campaign, city=city)
    AnswerFactory(assessment=assessment, question=question, choice="yes",
                  text=f"{SECRET} answer")
    assignment = SectionAssignment.objects.create(
        region=team.region, assessment=assessment, section=question.section,
        email="borealis-colleague@example.org", name=f"{SECRET} colleague")
    message = Clarification.objects.create(region=team.region, assessment=assessment,
                                           question=question, body=f"{SECRET} clarification")
    report = Report.objects.create(region=team.region, kind=Report.Kind.CITY, campaign=campaign,
                                   assessment=assessment, language="en", fingerprint="x")
    case_study = CaseStudy.objects.create(region=team.region, city=city,
                                          title=f"{SECRET} case study", summary="Ready.",
                                          state=CaseStudy.State.READY)
    return {"policy_id": str(proposal.pk), "questionnaire_id": str(version.questionnaire_id),
            "version_id": str(version.pk), "section_id": str(question.section_id),
            "question_id": str(question.pk), "campaign_id": str(campaign.pk),
            "assessment_id": str(assessment.pk), "assignment_id": str(assignment.pk),
            "message_id": str(message.pk), "report_id": str(report.pk),
            "case_study_id": str(case_study.pk)}


def _foreign_experts(team, contact) -> dict:
    """The foreign region's expert and what hangs off them, its stakeholder, its own Terms of
    Reference, working group (with a member, a session and its lead's delegation) and
    advisory board candidate."""
    expert = ExpertFactory(region=team.region, name=f"{SECRET} expert", user=team.expert)
    interview = InterviewFactory(expert=expert, strengths=f"{SECRET} strengths")
    check = ConflictCheck.objects.create(region=team.region, expert=expert, tie="interest:x",
                                         described=f"{SECRET} tie", decision="no_conflict")
    stakeholder = StakeholderFactory(region=team.region, name=f"{SECRET} agency")
    terms = TermsVersionFactory(region=team.region, title=f"{SECRET} terms")
    acceptance = TermsAcceptanceFactory(expert=expert, terms=terms)
    group = WorkingGroupFactory(region=team.region, name=f"{SECRET} group")
    member = GroupMemberFactory(group=group, expert=expert)
    session = GroupSessionFactory(group=group, title=f"{SECRET} session")
    candidate = AdvisorCandidateFactory(region=team.region, name=f"{SECRET} advisor")
    delegation = Delegation.objects.create(
        region=team.region, target=group, delegate=team.expert,
        permission="experts.manage_group", role=f"{SECRET} lead",
        review_on=datetime.date(2027, 1, 1))
    note = DelegationNote.objects.create(region=team.region, delegation=delegation,
                                         body=f"{SECRET} note")
    GroupMemberFactory(group=group, expert=None, contact=contact)
    return {"expert_id": str(expert.pk), "interview_id": str(interview.pk),
            "check_id": str(check.pk), "stakeholder_id": str(stakeholder.pk),
            "terms_id": str(terms.pk), "acceptance_id": str(acceptance.pk),
            "working_group_id": str(group.pk), "member_id": str(member.pk),
            "session_id": str(session.pk), "candidate_id": str(candidate.pk),
            "delegation_id": str(delegation.pk), "note_id": str(note.pk)}


def _foreign_events(team, city, contact) -> dict:
    """The foreign region's meeting series and event (with an agenda item, an invitation, an
    action item), a dialogue with its follow-up, a workplan template and a workplan (with a
    milestone, a comment, a monthly entry) and a support activity."""
    series = MeetingSeriesFactory(region=team.region, title=f"{SECRET} series")
    event = EventFactory(region=team.region, series=series, title=f"{SECRET} meeting",
                         organizer=team.regional_secretariat)
    workplan = WorkplanFactory(city=city, goals=f"{SECRET} goals")
    agenda_item = AgendaItemFactory(event=event, title=f"{SECRET} item", speaker_contact=contact,
                                    workplan=workplan)
    invitee = EventInvitationFactory(event=event, city=city)
    action_item = ActionItemFactory(event=event, title=f"{SECRET} action")
    dialogue = DialogueFactory(city=city, summary=f"{SECRET} dialogue")
    follow_up = DialogueFollowUpFactory(dialogue=dialogue, title=f"{SECRET} follow-up")
    template = WorkplanTemplateFactory(region=team.region, title=f"{SECRET} workplan template")
    milestone = WorkplanMilestoneFactory(workplan=workplan, title=f"{SECRET} milestone")
    comment = WorkplanCommentFactory(workplan=workplan, body=f"{SECRET} advice")
    progress = WorkplanProgressFactory(workplan=workplan, summary=f"{SECRET} progress")
    activity = SupportActivityFactory(city=city, workplan=workplan,
                                      description=f"{SECRET} support")
    return {"series_id": str(series.pk), "event_id": str(event.pk),
            "agenda_item_id": str(agenda_item.pk), "invitee_id": str(invitee.pk),
            "action_item_id": str(action_item.pk), "dialogue_id": str(dialogue.pk),
            "follow_up_id": str(follow_up.pk), "workplan_template_id": str(template.pk),
            "workplan_id": str(workplan.pk), "milestone_id": str(milestone.pk),
            "workplan_comment_id": str(comment.pk), "progress_id": str(progress.pk),
            "activity_id": str(activity.pk)}


def _visitors(cast):
    home = cast.home
    return {**{role: home.by_role(role) for role in
               (Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER, Role.CITY_CONTACT, Role.EXPERT)},
            "outsider": cast.outsider, "anonymous": None}


def _run(cast, foreign_world):
    foreign_values, markers = foreign_world
    team = cast.foreign
    users = [team.regional_secretariat, team.forum_reviewer, team.city_contact, team.expert]
    return check_isolation(
        visitors=_visitors(cast), foreign_values=foreign_values,
        home_values={"region_slug": cast.home.region.slug}, markers=markers,
        foreign_rows=lambda: rows_of(team.region, users))


@pytest.mark.django_db(transaction=True)
def test_no_url_shows_another_regions_data_to_any_role(cast, foreign_world):
    findings = _run(cast, foreign_world)
    assert not findings, "\n".join(map(str, findings))


def leaky_invitation(request, invitation_id, region_slug=None):
    with unscoped(reason="deliberately leaky view for the isolation self-test"):
        invitation = Invitation.objects.get(pk=invitation_id)
    return HttpResponse(f"{invitation.email} {invitation.region.name}")


urlpatterns = [
    path("leak/<int:invitation_id>/", leaky_invitation),
    path("", include("alliance.urls")),
]


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=__name__)
def test_the_check_catches_a_view_added_without_scoping(cast, foreign_world):
    findings = _run(cast, foreign_world)
    leaks = [f for f in findings if "/leak/" in f.path]
    assert leaks, "the isolation check missed a view that shows another region's invitation"
    assert "shows foreign data" in leaks[0].problem


def test_an_invitation_link_is_not_a_way_into_another_region(cast, client):
    invitation = InvitationFactory(region=cast.foreign.region, role=Role.EXPERT)
    client.force_login(cast.home.regional_secretariat)
    response = client.get(f"/r/{cast.foreign.region.slug}/invitations/{invitation.pk}/")
    assert response.status_code == 404
    assert token_for(invitation)  # the link itself is a bearer secret held by the invitee

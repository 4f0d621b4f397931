"""The city contact answers their city's assessment: who may open it, autosave with conflict
detection, bad input, the no-script section forms, conditional questions and submitting."""

import html
import re

import pytest
from django_scopes import scope

from alliance.models import AuditEntry, Notification, Role
from assessments.models import Answer, Assessment
from tests.conftest import member
from tests.factories import CityFactory, ContactFactory

from .answering_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return build(cast)


@pytest.fixture
def contact(world, cast, client_for):
    return client_for(cast.home.city_contact)


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode())))


def answer_of(world, question):
    with scope(region=world.region):
        return Answer.objects.filter(assessment=world.assessment, question=question).first()


def test_the_contact_sees_their_assessment_with_every_question_in_their_language(
        world, contact, cast):
    world.has_policy.translations = {"ja": {"text": "データポリシーはありますか？"}}
    world.has_policy.save()
    cast.home.city_contact.language = "ja"
    cast.home.city_contact.save()
    page = contact.get(world.url).content.decode()
    assert "データポリシーはありますか？" in page
    # Not translated: read in English rather than blank.
    page = contact.get(world.section_url(world.security)).content.decode()
    assert "How mature is security?" in page
    assert 'name="q%s-choice"' % world.maturity.pk in page
    cast.home.city_contact.language = "en"
    cast.home.city_contact.save()
    assert "0 of 3 required questions answered" in text_of(contact.get(world.url))


def test_the_page_shows_a_section_at_a_time_from_the_first_with_answers_to_give(
        world, contact):
    page = contact.get(world.url).content.decode()
    assert "Does the city have a data policy?" in page
    assert "How mature is security?" not in page
    assert f'href="{world.section_url(world.security)}" rel="next"' in page
    assert "0 of 1" in text_of(contact.get(world.url))  # Governance: has_policy only
    contact.post(world.answer_url(world.has_policy), {"choice": "no", "revision": 0})
    page = contact.get(world.url).content.decode()
    assert "How mature is security?" in page
    assert f'href="{world.section_url(world.governance)}" rel="prev"' in page
    asked = contact.get(world.section_url(world.governance)).content.decode()
    assert "Does the city have a data policy?" in asked
    assert f'<a href="{world.section_url(world.governance)}" aria-current="page">' in asked


def test_anyone_else_gets_404_and_the_secretariat_reads(world, cast, client_for):
    other_contact = member(Role.CITY_CONTACT, world.region)
    ContactFactory(city=CityFactory(region=world.region), user=other_contact)
    assert client_for(other_contact).get(world.url).status_code == 404
    assert client_for(cast.home.expert).get(world.url).status_code == 404
    assert client_for(cast.foreign.city_contact).get(world.url).status_code in (403, 404)
    reviewer = client_for(cast.home.forum_reviewer).get(world.url)
    assert reviewer.status_code == 200
    assert "<fieldset class=\"answer\" disabled" in reviewer.content.decode()
    response = client_for(cast.home.forum_reviewer).post(
        world.answer_url(world.has_policy), {"choice": "yes", "revision": 0})
    assert response.status_code == 404
    assert answer_of(world, world.has_policy) is None


def test_an_autosave_stores_the_answer_starts_the_assessment_and_weighs_it(world, contact,
                                                                           cast):
    response = contact.post(world.answer_url(world.has_policy),
                            {"choice": "yes", "revision": 0})
    assert response.status_code == 200, response.content
    assert response.json()["revision"] == 1
    assert response.json()["progress"]["answered"] == 1
    answer = answer_of(world, world.has_policy)
    assert (answer.choice, answer.points, answer.answered_by) == ("yes", 2.0,
                                                                 cast.home.city_contact)
    assessment = world.fresh()
    assert assessment.state == Assessment.State.IN_PROGRESS
    assert assessment.last_activity_at is not None
    contact.post(world.answer_url(world.note), {"text": "Adopted", "revision": 0})
    contact.post(world.answer_url(world.note), {"text": "Adopted in 2024", "revision": 1})
    with scope(region=world.region):
        actions = list(AuditEntry.objects.filter(object_id=assessment.pk).values_list(
            "action", flat=True))
    # The history attributes answers without an entry per keystroke.
    assert sorted(actions) == ["assessments.assessment.answered",
                               "assessments.assessment.started"]
    assert answer_of(world, world.note).text == "Adopted in 2024"


def test_a_second_person_saving_in_between_is_warned_not_overwritten(world, contact, cast,
                                                                     client_for):
    colleague = member(Role.CITY_CONTACT, world.region, full_name="Kenji Sato")
    ContactFactory(city=world.city, user=colleague)
    first = client_for(colleague).post(world.answer_url(world.note),
                                       {"text": "Kenji's words", "revision": 0})
    assert first.json()["revision"] == 1
    contact.force_login(cast.home.city_contact)
    stale = contact.post(world.answer_url(world.note), {"text": "Mine", "revision": 0})
    assert stale.status_code == 409
    body = stale.json()
    assert body["answered_by"] == "Kenji Sato"
    assert body["value"]["text"] == "Kenji's words"
    assert body["revision"] == 1
    assert answer_of(world, world.note).text == "Kenji's words"
    # "Keep mine": saved again over the revision the warning showed.
    kept = contact.post(world.answer_url(world.note), {"text": "Mine", "revision": 1})
    assert kept.status_code == 200
    assert answer_of(world, world.note).text == "Mine"
    assert answer_of(world, world.note).revision == 2


@pytest.mark.parametrize(("question", "data", "field"), [
    ("has_policy", {"choice": "maybe"}, "choice"),
    ("maturity", {"choice": "7"}, "choice"),
    ("incidents", {"number": "a dozen"}, "number"),
    ("incidents", {"number": "1e30"}, "number"),
    ("policy_link", {"evidence_url": "javascript:alert(1)"}, "evidence_url"),
])
def test_bad_input_is_refused_with_its_field_and_nothing_changes(world, contact, question,
                                                                 data, field):
    question = getattr(world, question)
    response = contact.post(world.answer_url(question), {**data, "revision": 0})
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert answer_of(world, question) is None
    assert world.fresh().state == Assessment.State.NOT_STARTED


def test_an_evidence_file_of_an_unsafe_type_is_refused(world, contact):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("policy.html", b"<script>alert(1)</script>",
                                content_type="text/html")
    response = contact.post(world.answer_url(world.policy_link),
                            {"revision": 0, "evidence_file": upload})
    assert response.status_code == 400
    assert response.json()["field"] == "evidence_file"
    assert answer_of(world, world.policy_link) is None


def test_a_submitted_assessment_refuses_changes_clearly(world, contact):
    with scope(region=world.region):
        Assessment.objects.filter(pk=world.assessment.pk).update(
            state=Assessment.State.SUBMITTED)
    response = contact.post(world.answer_url(world.has_policy),
                            {"choice": "no", "revision": 0})
    assert response.status_code == 400
    assert "can no longer be changed" in response.json()["error"]
    assert answer_of(world, world.has_policy) is None


def test_without_script_a_section_is_saved_by_its_form(world, contact):
    prefix = f"q{world.maturity.pk}-"
    response = contact.post(f"{world.url}sections/{world.security.pk}/", {
        prefix + "choice": "3", prefix + "revision": "0",
        f"q{world.incidents.pk}-number": "12", f"q{world.incidents.pk}-revision": "0"})
    assert response.status_code == 302
    assert answer_of(world, world.maturity).choice == "3"
    assert answer_of(world, world.incidents).number == 12
    # A field left as it was is not saved again.
    response = contact.post(f"{world.url}sections/{world.security.pk}/", {
        prefix + "choice": "3", prefix + "revision": "0",
        f"q{world.incidents.pk}-number": "not a number",
        f"q{world.incidents.pk}-revision": "1"})
    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()
    assert answer_of(world, world.maturity).revision == 1


def test_a_follow_up_question_is_hidden_until_its_rule_matches(world, contact):
    page = contact.get(world.url).content.decode()
    assert f'id="question-{world.policy_link.pk}"' in page
    assert (f'data-shown-if="{world.has_policy.pk}" data-operator="equals" data-value="yes" '
            f'hidden') in page
    contact.post(world.answer_url(world.has_policy), {"choice": "yes", "revision": 0})
    page = contact.get(world.url).content.decode()
    assert 'data-value="yes" hidden' not in page
    assert "1 of 4 required questions answered" in text_of(contact.get(world.url))


def answer_all_but_the_follow_up(world, contact, has_policy="no"):
    answers = [(world.maturity, {"choice": "2"}), (world.incidents, {"number": "3"})]
    if has_policy:
        answers.append((world.has_policy, {"choice": has_policy}))
    for question, data in answers:
        assert contact.post(world.answer_url(question),
                            {**data, "revision": 0}).status_code == 200


def missing_link(world, question) -> str:
    return f"{world.url}?section={question.section_id}#question-{question.pk}"


def test_submit_lists_each_missing_question_with_a_link_and_changes_nothing(world, contact):
    contact.post(world.answer_url(world.has_policy), {"choice": "yes", "revision": 0})
    response = contact.post(f"{world.url}submit/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "3 required questions are not answered" in page
    for question in (world.policy_link, world.maturity, world.incidents):
        assert f'<a href="{missing_link(world, question)}">' in page
    assert f'<a href="{missing_link(world, world.note)}">' not in page  # optional
    assert world.fresh().state == Assessment.State.IN_PROGRESS


def test_a_hidden_required_question_is_not_required_and_the_rule_is_checked_again(
        world, contact, cast):
    # Answered while shown, then hidden by a changed answer: it does not count.
    contact.post(world.answer_url(world.has_policy), {"choice": "yes", "revision": 0})
    contact.post(world.answer_url(world.policy_link),
                 {"evidence_url": "https://city.example.org/policy", "revision": 0})
    answer_all_but_the_follow_up(world, contact, has_policy=None)
    # has_policy was answered once: a save from revision 0 conflicts; from 1 it goes through.
    assert contact.post(world.answer_url(world.has_policy),
                        {"choice": "no", "revision": 1}).status_code == 200
    with scope(region=world.region):
        Answer.objects.filter(question=world.policy_link).update(evidence_url="")
    response = contact.post(f"{world.url}submit/")
    assert response.status_code == 302
    assessment = world.fresh()
    assert assessment.state == Assessment.State.SUBMITTED
    assert assessment.submitted_at is not None
    # no (0 of 2) and maturity 2 (2 of 4): 2 points of 6.
    assert assessment.overall_score == pytest.approx(100 * 2 / 6)
    assert Notification.objects.filter(recipient=cast.home.regional_secretariat,
                                       subject__contains="Maebashi submitted").exists()


def test_an_answered_follow_up_counts_only_while_its_rule_holds(world, contact):
    answer_all_but_the_follow_up(world, contact, has_policy="yes")
    response = contact.post(f"{world.url}submit/")
    assert response.status_code == 400
    assert f'<a href="{missing_link(world, world.policy_link)}">' in response.content.decode()


def test_clarifications_reach_the_other_side(world, contact, cast, client_for):
    response = contact.post(f"{world.url}questions/{world.maturity.pk}/clarify/",
                            {"body": "Does level 3 need an external audit?"})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=cast.home.regional_secretariat,
                                       body__contains="external audit").exists()
    secretariat = client_for(cast.home.regional_secretariat)
    secretariat.post(f"{world.url}questions/{world.maturity.pk}/clarify/",
                     {"body": "No: an internal review is enough."})
    assert Notification.objects.filter(recipient=cast.home.city_contact,
                                       body__contains="internal review").exists()
    contact.force_login(cast.home.city_contact)
    page = contact.get(world.section_url(world.security)).content.decode()
    assert "Does level 3 need an external audit?" in page
    assert "No: an internal review is enough." in page
    assert contact.post(f"{world.url}questions/{world.maturity.pk}/clarify/",
                        {"body": "  "}).status_code == 302
    with scope(region=world.region):
        assert world.assessment.clarifications.count() == 2


def test_a_long_discussion_shows_its_latest_messages_and_the_rest_on_the_question_s_page(
        world, contact, cast, client_for):
    from assessments.models import Clarification, ReviewComment

    secretariat = cast.home.regional_secretariat
    with scope(region=world.region):
        for n in range(1, 6):
            Clarification.objects.create(
                region=world.region, assessment=world.assessment, question=world.maturity,
                author=secretariat, from_secretariat=True, body=f"Message number {n}")
            ReviewComment.objects.create(
                region=world.region, assessment=world.assessment, question=world.maturity,
                round=n, author=secretariat, body=f"Comment of round {n}")
    page = contact.get(world.section_url(world.security)).content.decode()
    question_url = f"{world.url}questions/{world.maturity.pk}/"
    assert "Message number 5" in page and "Message number 3" in page
    assert "Message number 2" not in page
    assert f'<a href="{question_url}">2 earlier messages</a>' in page
    assert "Comment of round 5" in page and "Comment of round 2" not in page
    assert f'<a href="{question_url}">2 earlier comments</a>' in page

    whole = contact.get(question_url)
    assert whole.status_code == 200
    shown = text_of(whole)
    assert "How mature is security?" in shown
    assert all(f"Message number {n}" in shown for n in range(1, 6))
    assert all(f"round {n}" in shown for n in range(1, 6))
    assert shown.index("Message number 1") < shown.index("Message number 5")
    reviewer = client_for(secretariat)
    assert reviewer.get(question_url).status_code == 200


def test_a_question_s_page_is_only_for_the_assessment_s_questions(world, contact):
    from .factories import QuestionFactory

    other = QuestionFactory(text="A question of another questionnaire")
    assert contact.get(f"{world.url}questions/{other.pk}/").status_code == 404


def test_the_contact_s_home_shows_the_open_assessment_and_what_waits(world, contact, cast,
                                                                     client_for):
    contact.post(world.answer_url(world.has_policy), {"choice": "no", "revision": 0})
    secretariat = client_for(cast.home.regional_secretariat)
    secretariat.post(f"{world.url}questions/{world.maturity.pk}/clarify/",
                     {"body": "Level 2 means a written plan."})
    contact.force_login(cast.home.city_contact)
    page = text_of(contact.get(f"/r/{world.region.slug}/"))
    assert "Policy assessment" in page and "Maebashi" in page
    assert "1 of 3 required questions answered" in page
    assert "How mature is security? · the secretariat replied" in page
    assert "Continue answering" in page


def test_a_colleague_s_home_lists_their_sections(world, cast, client_for):
    from alliance import permissions
    from assessments.models import SectionAssignment
    from assessments.services.assignments import GRANT

    colleague = member(Role.CITY_CONTACT, world.region)
    with scope(region=world.region):
        assignment = SectionAssignment.objects.create(
            region=world.region, assessment=world.assessment, section=world.security,
            email=colleague.email, assignee=colleague)
    permissions.grant(colleague, GRANT, assignment)
    page = text_of(client_for(colleague).get(f"/r/{world.region.slug}/"))
    assert "Sections assigned to you" in page and "Security · Maebashi" in page


def test_the_city_page_lists_the_city_s_assessments_for_the_secretariat(world, contact,
                                                                       secretariat):
    with scope(region=world.region):
        Assessment.objects.filter(pk=world.assessment.pk).update(
            state=Assessment.State.ACCEPTED, overall_score=72.4)
    page = text_of(secretariat.get(f"/r/{world.region.slug}/cities/{world.city.pk}/"))
    assert "Policy assessments" in page
    assert f"{world.assessment.campaign.year} · Accepted · overall score 72" in page


def test_a_closed_campaign_takes_no_more_answers(world, contact):
    from assessments.models import Campaign

    with scope(region=world.region):
        Campaign.objects.filter(pk=world.assessment.campaign_id).update(
            state=Campaign.State.CLOSED)
    response = contact.post(world.answer_url(world.has_policy), {"choice": "no", "revision": 0})
    assert response.status_code == 400
    assert "campaign is closed" in response.json()["error"]
    page = contact.get(world.url).content.decode()
    assert "assessment.js" not in page and "Submit the assessment" not in page


def test_evidence_is_uploaded_and_downloaded_only_by_those_who_see_its_question(
        world, contact, cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.outreach.helpers import pdf_bytes

    contact.post(world.answer_url(world.has_policy), {"choice": "yes", "revision": 0})
    upload = SimpleUploadedFile("Data policy 2024.pdf", pdf_bytes(), content_type="application/pdf")
    response = contact.post(world.answer_url(world.policy_link),
                            {"revision": 0, "evidence_file": upload})
    assert response.status_code == 200, response.content
    assert response.json()["evidence_name"] == "Data policy 2024.pdf"
    download = contact.get(f"{world.url}evidence/{world.policy_link.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # A colleague of the other section does not see this question, nor its file.
    from alliance import permissions
    from assessments.models import SectionAssignment
    from assessments.services.assignments import GRANT

    colleague = member(Role.CITY_CONTACT, world.region)
    with scope(region=world.region):
        assignment = SectionAssignment.objects.create(
            region=world.region, assessment=world.assessment, section=world.security,
            email=colleague.email, assignee=colleague)
    permissions.grant(colleague, GRANT, assignment)
    browser = client_for(colleague)
    assert browser.get(f"{world.url}evidence/{world.policy_link.pk}/").status_code == 404

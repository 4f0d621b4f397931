"""The secretariat reviews a submitted assessment: returns it with comments on particular
questions (rounds kept) or accepts it; the city fixes and resubmits; the history shows it."""

import html
import re

import pytest
from django_scopes import scope

from alliance.models import Notification
from assessments.models import Assessment, ReviewComment

from .answering_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return build(cast)


@pytest.fixture
def submitted(world, cast, client):
    client.force_login(cast.home.city_contact)
    for question, data in ((world.has_policy, {"choice": "no"}),
                           (world.maturity, {"choice": "2"}),
                           (world.incidents, {"number": "3"})):
        assert client.post(world.answer_url(question),
                           {**data, "revision": 0}).status_code == 200
    assert client.post(f"{world.url}submit/").status_code == 302
    return world


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode())))


def decide(client, world, decision, **comments):
    return client.post(f"{world.url}review/decide/", {
        "decision": decision,
        **{f"comment-{getattr(world, name).pk}": text for name, text in comments.items()}})


def test_the_review_page_shows_every_answer_with_who_answered(submitted, secretariat, cast):
    world = submitted
    page = text_of(secretariat.get(f"{world.url}review/"))
    assert "Does the city have a data policy?" in page
    assert "2 · Started" in page
    assert f"Answered by {cast.home.city_contact}" in page
    assert "Not answered" in page  # the optional note
    assert "hidden by its rule" in page  # the follow-up of a "no"


def test_returning_needs_a_comment_and_changes_nothing_without_one(submitted, secretariat):
    world = submitted
    response = decide(secretariat, world, "return")
    assert response.status_code == 400
    assert "Write a comment on at least one question" in response.content.decode()
    assert world.fresh().state == Assessment.State.SUBMITTED


def test_return_fix_resubmit_and_accept_with_the_history_kept(submitted, secretariat, cast,
                                                              client_for):
    world = submitted
    response = decide(secretariat, world, "return",
                      maturity="Level 2 needs a named security officer: do you have one?")
    assert response.status_code == 302
    assessment = world.fresh()
    assert assessment.state == Assessment.State.RETURNED
    with scope(region=world.region):
        comment = ReviewComment.objects.get()
    assert (comment.question, comment.round) == (world.maturity, 1)
    mail = Notification.objects.get(recipient=cast.home.city_contact,
                                    subject__contains="needs changes")
    assert "named security officer" in mail.body

    contact = client_for(cast.home.city_contact)
    page = text_of(contact.get(world.url))
    assert "To fix (round 1)" in page and "named security officer" in page
    assert "Waiting for you" in text_of(contact.get(f"/r/{world.region.slug}/"))
    assert contact.post(world.answer_url(world.maturity),
                        {"choice": "3", "revision": 1}).status_code == 200
    assert contact.post(f"{world.url}submit/").status_code == 302
    assert world.fresh().state == Assessment.State.SUBMITTED
    # Answered: no longer waiting for the city on its home.
    assert "Waiting for you" not in text_of(contact.get(f"/r/{world.region.slug}/"))
    assert Notification.objects.filter(recipient=cast.home.regional_secretariat,
                                       subject__contains="resubmitted").exists()

    secretariat.force_login(cast.home.regional_secretariat)
    decide(secretariat, world, "return", incidents="Count the phishing incidents too.")
    contact.force_login(cast.home.city_contact)
    page = text_of(contact.get(world.url))
    # The earlier round's comment stays visible beside its question.
    assert "Secretariat's comment, round 1" in page and "To fix (round 2)" in page
    assert contact.post(world.answer_url(world.incidents),
                        {"number": "5", "revision": 1}).status_code == 200
    contact.post(f"{world.url}submit/")

    secretariat.force_login(cast.home.regional_secretariat)
    assert decide(secretariat, world, "accept").status_code == 302
    assessment = world.fresh()
    assert assessment.state == Assessment.State.ACCEPTED
    assert assessment.accepted_at is not None
    # no (0 of 2) and maturity 3 (3 of 4): 3 points of 6.
    assert assessment.overall_score == pytest.approx(50.0)
    history = text_of(secretariat.get(f"{world.url}review/"))
    for sentence in ("Submitted the assessment",
                     "Returned the assessment to the city with 1 comment (round 1)",
                     "Submitted the assessment again", "Accepted the assessment"):
        assert sentence in history
    assert decide(secretariat, world, "accept").status_code == 400


def test_the_city_neither_reads_the_review_page_nor_decides(submitted, cast, client_for):
    world = submitted
    contact = client_for(cast.home.city_contact)
    assert contact.get(f"{world.url}review/").status_code in (403, 404)
    assert decide(contact, world, "accept").status_code in (403, 404)
    reviewer = client_for(cast.home.forum_reviewer)
    assert reviewer.get(f"{world.url}review/").status_code == 200
    assert decide(reviewer, world, "accept").status_code == 403
    assert world.fresh().state == Assessment.State.SUBMITTED


def test_a_comment_on_a_question_outside_the_assessment_is_refused(submitted, secretariat):
    world = submitted
    response = secretariat.post(f"{world.url}review/decide/", {
        "decision": "return", "comment-999999": "Which question?"})
    assert response.status_code == 400
    assert world.fresh().state == Assessment.State.SUBMITTED

"""The answering API: a city contact reaches only their city's assessment and a colleague only
their sections; answers saved with a revision (409 on conflict, 400 on bad input); submit,
return and accept."""

import pytest
from django_scopes import scope

from alliance import permissions
from alliance.models import Role
from assessments.models import Answer, Assessment, SectionAssignment
from assessments.services.assignments import GRANT
from tests.conftest import member

from .answering_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return build(cast)


def base(world) -> str:
    return f"/api/v1/regions/{world.region.slug}/assessments/"


def answer_url(world, question) -> str:
    return f"{base(world)}{world.assessment.pk}/answers/{question.pk}/"


@pytest.fixture
def as_contact(api, cast):
    api.force_authenticate(cast.home.city_contact)
    return api


def test_the_contact_lists_and_reads_their_assessment_with_visible_questions(world, as_contact):
    listed = as_contact.get(base(world)).json()
    assert [row["id"] for row in listed["results"]] == [world.assessment.pk]
    body = as_contact.get(f"{base(world)}{world.assessment.pk}/").json()
    names = [question["name"] for question in body["questions"]]
    # The follow-up is hidden until has_policy = yes.
    assert names == ["has_policy", "note", "maturity", "incidents"]
    assert body["may_submit"] is True
    assert body["progress"] == {"answered": 0, "required": 3}


def test_others_get_404(world, api, cast):
    other = member(Role.CITY_CONTACT, world.region)
    for user in (other, cast.home.expert, cast.foreign.city_contact):
        api.force_authenticate(user)
        assert api.get(f"{base(world)}{world.assessment.pk}/").status_code in (403, 404)
        response = api.put(answer_url(world, world.has_policy),
                           {"revision": 0, "choice": "yes"}, format="json")
        assert response.status_code in (403, 404)
    api.force_authenticate(other)
    assert api.get(base(world)).json()["results"] == []
    with scope(region=world.region):
        assert not Answer.objects.exists()


def test_an_answer_is_saved_with_its_revision_and_a_stale_one_gets_409(world, as_contact,
                                                                       api, cast):
    first = as_contact.put(answer_url(world, world.incidents), {"revision": 0, "number": "4"},
                           format="json")
    assert first.status_code == 200, first.content
    assert (first.json()["number"], first.json()["revision"]) == (4, 1)
    stale = as_contact.patch(answer_url(world, world.incidents),
                             {"revision": 0, "number": "9"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["number"] == 4 and stale.json()["revision"] == 1
    assert stale.json()["answered_by"] == str(cast.home.city_contact)
    with scope(region=world.region):
        assert Answer.objects.get(question=world.incidents).number == 4


@pytest.mark.parametrize(("question", "data", "field"), [
    ("has_policy", {"choice": "sometimes"}, "choice"),
    ("incidents", {"number": "many"}, "number"),
    ("incidents", {"choice": "yes"}, "choice"),
    ("has_policy", {"colour": "blue"}, "colour"),
    ("has_policy", {"choice": "yes"}, "revision"),
])
def test_bad_input_answers_400_with_details(world, as_contact, question, data, field):
    payload = {"revision": 0, **data} if field != "revision" else data
    response = as_contact.put(answer_url(world, getattr(world, question)), payload,
                              format="json")
    assert response.status_code == 400
    assert field in response.json()
    with scope(region=world.region):
        assert not Answer.objects.exists()


def test_a_colleague_reaches_only_their_section(world, api, cast):
    colleague = member(Role.CITY_CONTACT, world.region)
    with scope(region=world.region):
        assignment = SectionAssignment.objects.create(
            region=world.region, assessment=world.assessment, section=world.security,
            email=colleague.email, assignee=colleague)
    permissions.grant(colleague, GRANT, assignment)
    api.force_authenticate(colleague)
    body = api.get(f"{base(world)}{world.assessment.pk}/").json()
    assert [q["name"] for q in body["questions"]] == ["maturity", "incidents"]
    assert body["may_submit"] is False
    assert api.put(answer_url(world, world.maturity), {"revision": 0, "choice": "2"},
                   format="json").status_code == 200
    assert api.put(answer_url(world, world.has_policy), {"revision": 0, "choice": "yes"},
                   format="json").status_code == 404
    assert api.post(f"{base(world)}{world.assessment.pk}/submit/").status_code == 404


def test_submit_return_and_accept(world, as_contact, api, cast):
    url = f"{base(world)}{world.assessment.pk}/"
    missing = as_contact.post(f"{url}submit/")
    assert missing.status_code == 400
    assert {row["name"] for row in missing.json()["missing"]} == {"has_policy", "maturity",
                                                                  "incidents"}
    for question, data in ((world.has_policy, {"choice": "no"}),
                           (world.maturity, {"choice": "4"}),
                           (world.incidents, {"number": "0"})):
        as_contact.put(answer_url(world, question), {"revision": 0, **data}, format="json")
    assert as_contact.post(f"{url}submit/").json()["state"] == Assessment.State.SUBMITTED
    assert as_contact.post(f"{url}accept/").status_code == 403
    api.force_authenticate(cast.home.regional_secretariat)
    assert api.post(f"{url}return/", {"comments": []}, format="json").status_code == 400
    returned = api.post(f"{url}return/", {"comments": [
        {"question": world.maturity.pk, "comment": "Level 4 needs a yearly review."}]},
        format="json")
    assert returned.status_code == 200
    assert returned.json()["state"] == Assessment.State.RETURNED
    api.force_authenticate(cast.home.city_contact)
    assert api.post(f"{url}submit/").status_code == 200
    api.force_authenticate(cast.home.regional_secretariat)
    accepted = api.post(f"{url}accept/")
    assert accepted.json()["state"] == Assessment.State.ACCEPTED
    assert accepted.json()["overall_score"] == pytest.approx(100 * 4 / 6)

"""Requests the portal refuses: "not found" instead of a silent redirect, list filters that
say what is wrong instead of listing everything, the right checked before the form."""

import pytest
from rest_framework.test import APIClient

from alliance.models import ApiToken
from tests.factories import (
    ApiTokenFactory,
    ApprovalRequestFactory,
    InvitationFactory,
    LetterFactory,
)

# -- not found, not a silent redirect -----------------------------------------------------------

def test_revoking_someone_elses_token_is_not_found_and_keeps_it(cast, client_for):
    token, _secret = ApiTokenFactory(user=cast.home.expert)
    response = client_for(cast.home.regional_secretariat).post(
        f"/profile/tokens/{token.token_key}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_revoking_an_unknown_token_is_not_found(cast, client_for):
    response = client_for(cast.home.expert).post("/profile/tokens/nope1234/revoke/")
    assert response.status_code == 404


def test_revoking_ones_own_token_still_works(cast, client_for):
    token, _secret = ApiTokenFactory(user=cast.home.expert)
    response = client_for(cast.home.expert).post(f"/profile/tokens/{token.token_key}/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_an_unknown_invitation_action_is_not_found(cast, client_for):
    invitation = InvitationFactory(region=cast.home.region,
                                   invited_by=cast.home.regional_secretariat)
    response = client_for(cast.home.regional_secretariat).post(
        f"/r/aurora/invitations/{invitation.pk}/explode/")
    assert response.status_code == 404


# -- approvals list filters -----------------------------------------------------------------------

@pytest.fixture
def api(cast):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(cast.home.regional_secretariat)
    return client


@pytest.mark.parametrize("query, field", [("state=evil", "state"), ("kind=nope", "kind")])
def test_an_invalid_approvals_filter_is_a_400_in_the_api(cast, api, query, field):
    ApprovalRequestFactory(region=cast.home.region)
    response = api.get(f"/api/v1/regions/aurora/approvals/?{query}")
    assert response.status_code == 400 and list(response.json()) == [field]


def test_a_valid_approvals_filter_still_filters_in_the_api(cast, api):
    ApprovalRequestFactory(region=cast.home.region)
    assert api.get("/api/v1/regions/aurora/approvals/?state=pending").json()["count"] == 1
    assert api.get("/api/v1/regions/aurora/approvals/?state=approved").json()["count"] == 0


def test_an_invalid_approvals_filter_on_the_page_shows_its_error_and_no_rows(cast, client_for):
    ApprovalRequestFactory(region=cast.home.region, summary="Invite a reviewer")
    response = client_for(cast.home.regional_secretariat).get("/r/aurora/approvals/?state=evil")
    content = response.content.decode()
    assert response.status_code == 200
    assert "evil is not one of the available choices" in content
    assert "Invite a reviewer" not in content


def test_an_invalid_letters_filter_is_a_400_in_the_api(cast, api):
    response = api.get("/api/v1/regions/aurora/letters/?state=evil")
    assert response.status_code == 400 and "state" in response.json()


def test_an_invalid_letters_filter_on_the_page_shows_its_error_and_no_rows(cast, client_for):
    LetterFactory(city__region=cast.home.region, subject="Hello Kobe")
    response = client_for(cast.home.regional_secretariat).get(
        "/r/aurora/outreach/letters/?kind=evil")
    content = response.content.decode()
    assert "evil is not one of the available choices" in content
    assert "Hello Kobe" not in content


# -- the right before the form -------------------------------------------------------------------

def test_a_decision_with_an_unknown_field_is_refused(cast, client_for):
    approval = ApprovalRequestFactory(region=cast.home.region)
    api = APIClient()
    api.force_authenticate(cast.global_secretariat)
    response = api.post(f"/api/v1/global/approvals/{approval.pk}/decide/",
                        {"decision": "approved", "by": "me"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["by"]


@pytest.mark.parametrize("tail", ["", "intent/", "intent/signed-copy/"])
def test_a_reviewer_posting_to_a_letter_gets_403_not_field_errors(cast, client_for, tail):
    letter = LetterFactory(city__region=cast.home.region, kind="letter_of_intent")
    response = client_for(cast.home.forum_reviewer).post(
        f"/r/aurora/outreach/letters/{letter.pk}/{tail}", {})
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["templates/new/", "partners/new/"])
def test_a_reviewer_posting_to_an_outreach_edit_page_gets_403(cast, client_for, path):
    response = client_for(cast.home.forum_reviewer).post(f"/r/aurora/outreach/{path}", {})
    assert response.status_code == 403

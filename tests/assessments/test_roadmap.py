"""The Policy Roadmap: a region's proposal goes to the Global Secretariat and joins the
roadmap once approved; another region never sees it; the Global Secretariat keeps policies."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_scopes import scopes_disabled

from alliance.errors import DomainError
from alliance.models import ApprovalRequest, AuditEntry, Notification
from alliance.services.approvals import decide
from alliance.services.audit import describe
from assessments.models import ModelPolicy, PrincipleKey
from assessments.services import roadmap
from tests.assessments.factories import ModelPolicyFactory, all_principles, principle

Status = ModelPolicy.Status


def _proposal_data(**overrides) -> dict:
    data = {"title": "Open data by default", "summary": "Publish what the city holds.",
            "principles": [principle(PrincipleKey.INTEROPERABILITY).pk],
            "reference_title": "Open Data Charter", "reference_url": "https://opendatacharter.net",
            "task_force": "Japan, Chile and Kenya", "has_geographical_representation": "on",
            "is_proven_model": "on", "is_consistent_with_roadmap": "on",
            "consistency_note": "Complements the privacy policies."}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _propose(cast, actor=None, **overrides) -> ModelPolicy:
    data = {"title": "Open data by default", "summary": "Publish what the city holds.",
            "principles": [principle(PrincipleKey.INTEROPERABILITY)],
            "reference_title": "Open Data Charter", "reference_url": "https://opendatacharter.net",
            "task_force": "Japan, Chile and Kenya", "has_geographical_representation": True,
            "is_proven_model": True, "is_consistent_with_roadmap": True, **overrides}
    return roadmap.propose_policy(actor=actor or cast.home.regional_secretariat,
                                  region=cast.home.region, **data)


@pytest.fixture
def principles(db):
    return all_principles()


def test_the_roadmap_shows_each_principle_with_its_adopted_policies(cast, client_for,
                                                                    principles):
    adopted = ModelPolicyFactory(title="Data protection impact assessments")
    adopted.principles.set([principle(PrincipleKey.PRIVACY)])
    ModelPolicyFactory(title="Retired idea", status=Status.RETIRED).principles.set(principles)
    page = client_for(cast.home.city_contact).get(
        reverse("roadmap", args=[cast.home.region.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    for p in principles:
        assert str(p.label) in text
    assert "Data protection impact assessments" in text
    assert "Retired idea" not in text


def test_a_proposal_waits_for_the_global_secretariat_and_then_joins_the_roadmap(
        cast, client_for, principles):
    browser = client_for(cast.home.regional_secretariat)
    response = browser.post(reverse("model-policy-propose", args=[cast.home.region.slug]),
                            _proposal_data())
    assert response.status_code == 302
    with scopes_disabled():
        policy = ModelPolicy.objects.get(title="Open data by default")
        assert policy.status == Status.PROPOSED
        assert policy.proposed_by_region == cast.home.region
        approval = ApprovalRequest.objects.get(kind=roadmap.MODEL_POLICY)
    assert approval.route_role == "global_secretariat"
    roadmap_page = browser.get(reverse("roadmap", args=[cast.home.region.slug])).content.decode()
    # Listed among the region's proposals, not yet under its principle.
    assert roadmap_page.count("Open data by default") == 1
    assert "Proposed" in roadmap_page

    # The decision page shows the proposal and its checklist.
    decision_page = client_for(cast.global_secretariat).get(
        reverse("global:approval-detail", args=[approval.pk])).content.decode()
    assert "Open Data Charter" in decision_page
    assert "sufficient geographical representation" in decision_page

    with scopes_disabled():
        decide(actor=cast.global_secretariat, approval=approval, decision="approved")
        policy.refresh_from_db()
        assert policy.status == Status.ADOPTED
        assert Notification.objects.filter(recipient=cast.home.regional_secretariat,
                                           key=f"approval:{approval.pk}:decided").exists()
        entry = AuditEntry.objects.get(action="assessments.model_policy.decided")
    assert "Approved" in describe(entry)
    roadmap_page = browser.get(reverse("roadmap", args=[cast.home.region.slug])).content.decode()
    assert roadmap_page.count("Open data by default") == 2  # under its principle too
    # Every region reads the adopted policy.
    foreign = client_for(cast.foreign.city_contact).get(
        reverse("model-policy-detail", args=[cast.foreign.region.slug, policy.pk]))
    assert foreign.status_code == 200


def test_a_rejected_proposal_is_declined(cast, principles):
    policy = _propose(cast)
    with scopes_disabled():
        approval = ApprovalRequest.objects.get(kind=roadmap.MODEL_POLICY)
        decide(actor=cast.global_secretariat, approval=approval, decision="rejected",
               comment="Too close to an existing policy.")
    policy.refresh_from_db()
    assert policy.status == Status.DECLINED


def test_after_changes_are_requested_the_region_can_ask_again(cast, client_for, principles):
    policy = _propose(cast)
    with scopes_disabled():
        approval = ApprovalRequest.objects.get(kind=roadmap.MODEL_POLICY)
        decide(actor=cast.global_secretariat, approval=approval,
               decision="changes_requested", comment="Name a second reference.")
    browser = client_for(cast.home.regional_secretariat)
    page = browser.get(reverse("model-policy-detail", args=[cast.home.region.slug, policy.pk]))
    assert "Send to the Global Secretariat again" in page.content.decode()
    browser.post(reverse("model-policy-ask-again", args=[cast.home.region.slug, policy.pk]))
    with scopes_disabled():
        assert ApprovalRequest.objects.filter(kind=roadmap.MODEL_POLICY,
                                              state="pending").count() == 1


def test_another_regions_proposal_is_not_found(cast, client_for, principles):
    policy = _propose(cast)
    for user in (cast.foreign.regional_secretariat, cast.foreign.city_contact):
        browser = client_for(user)
        detail = browser.get(reverse("model-policy-detail",
                                     args=[cast.foreign.region.slug, policy.pk]))
        assert detail.status_code == 404
        page = browser.get(reverse("roadmap", args=[cast.foreign.region.slug]))
        assert "Open data by default" not in page.content.decode()


def test_the_proposal_form_needs_all_three_conditions_ticked(cast, client_for, principles):
    response = client_for(cast.home.regional_secretariat).post(
        reverse("model-policy-propose", args=[cast.home.region.slug]),
        _proposal_data(is_proven_model=None, is_consistent_with_roadmap=None))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"is_proven_model", "is_consistent_with_roadmap"}
    assert not ModelPolicy.objects.exists()


def test_the_service_refuses_an_unticked_condition_and_a_missing_principle(cast, principles):
    with pytest.raises(DomainError) as refused:
        _propose(cast, has_geographical_representation=False)
    assert refused.value.field == "has_geographical_representation"
    with pytest.raises(DomainError) as refused:
        _propose(cast, principles=[])
    assert refused.value.field == "principles"
    assert not ModelPolicy.objects.exists()


def test_only_secretariats_propose(cast, client_for, principles):
    url = reverse("model-policy-propose", args=[cast.home.region.slug])
    assert client_for(cast.home.city_contact).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        _propose(cast, actor=cast.home.city_contact)


def test_the_detail_speaks_the_readers_language_with_english_fallback(cast, client_for,
                                                                      principles):
    policy = ModelPolicyFactory(title="Open procurement", summary="Buy in the open.",
                                translations={"ja": {"title": "オープン調達"}})
    policy.principles.set([principle()])
    url = reverse("model-policy-detail", args=[cast.home.region.slug, policy.pk])
    browser = client_for(cast.home.city_contact)
    browser.cookies["django_language"] = "ja"
    text = browser.get(url).content.decode()
    assert "オープン調達" in text
    assert "Buy in the open." in text  # no Japanese summary: the English shows
    assert 'href="https://example.org/reference"' in text


def test_the_global_secretariat_adds_edits_translates_and_retires_a_policy(cast, client_for,
                                                                           principles):
    browser = client_for(cast.global_secretariat)
    response = browser.post(reverse("global:model-policy-create"), {
        "title": "Interoperable APIs", "summary": "Open standards for city data.",
        "principles": [principle(PrincipleKey.INTEROPERABILITY).pk],
        "reference_title": "FIWARE", "reference_url": "https://fiware.org",
        "title_es": "APIs interoperables"})
    assert response.status_code == 302
    policy = ModelPolicy.objects.get(title="Interoperable APIs")
    assert policy.status == Status.ADOPTED
    assert policy.translations == {"es": {"title": "APIs interoperables"}}
    response = browser.post(reverse("global:model-policy-edit", args=[policy.pk]), {
        "title": "Interoperable APIs", "summary": "Open standards for city data.",
        "principles": [principle(PrincipleKey.INTEROPERABILITY).pk,
                       principle(PrincipleKey.SECURITY).pk],
        "reference_title": "FIWARE", "reference_url": "https://fiware.org",
        "title_es": "APIs interoperables", "summary_ja": "都市データのオープン標準"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.principles.count() == 2
    assert policy.translations["ja"] == {"summary": "都市データのオープン標準"}
    browser.post(reverse("global:model-policy-retire", args=[policy.pk]))
    policy.refresh_from_db()
    assert policy.status == Status.RETIRED
    listing = browser.get(reverse("global:roadmap")).content.decode()
    assert "Interoperable APIs" in listing and "Retired" in listing


def test_the_global_roadmap_lists_every_regions_proposals(cast, client_for, principles):
    _propose(cast)
    policy = ModelPolicy.objects.get()
    browser = client_for(cast.global_secretariat)
    page = browser.get(reverse("global:roadmap") + "?status=proposed")
    assert "Open data by default" in page.content.decode()
    assert cast.home.region.name in page.content.decode()
    with scopes_disabled():
        approval = ApprovalRequest.objects.get(kind=roadmap.MODEL_POLICY)
    edit = browser.get(reverse("global:model-policy-edit", args=[policy.pk])).content.decode()
    assert reverse("global:approval-detail", args=[approval.pk]) in edit


def test_regions_do_not_reach_the_global_roadmap(cast, client_for):
    for user in (cast.home.regional_secretariat, cast.home.city_contact):
        assert client_for(user).get(reverse("global:roadmap")).status_code == 404

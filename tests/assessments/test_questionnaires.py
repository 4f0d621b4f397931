"""The questionnaire builder: drafts are built, published versions never change, a new draft
copies everything with its rules, rules name earlier questions only, translations fall back to
English, and a region's staff preview published versions."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alliance.errors import DomainError, InvalidTransition
from assessments.models import (
    Condition,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from assessments.services import questionnaires as builder
from tests.assessments.factories import QuestionFactory, SectionFactory, VersionFactory, principle

DRAFT, PUBLISHED = QuestionnaireVersion.State.DRAFT, QuestionnaireVersion.State.PUBLISHED


@pytest.fixture
def gs(cast):
    return cast.global_secretariat


@pytest.fixture
def draft(db):
    """A draft with two sections: has_policy, then details shown if it is yes."""
    version = VersionFactory(state=DRAFT)
    first = SectionFactory(version=version, name="privacy", title="Privacy", position=1)
    second = SectionFactory(version=version, name="security", title="Security", position=2)
    has_policy = QuestionFactory(section=first, name="has_policy", position=1,
                                 text="Does the city have a data protection policy?",
                                 translations={"ja": {"text": "データ保護方針がありますか？"}})
    QuestionFactory(section=first, name="policy_details", position=2, kind=QuestionKind.TEXT,
                    text="Describe it.", hint="Scope and owner.", shown_if=has_policy,
                    operator=Condition.EQUALS, value="yes")
    QuestionFactory(section=second, name="maturity", position=1, kind=QuestionKind.MATURITY,
                    text="How mature is incident response?", in_simplified=False)
    second.shown_if, second.operator, second.value = has_policy, Condition.NOT_EQUALS, "no"
    second.save()
    return version


def _q(version, name) -> Question:
    return Question.objects.get(section__version=version, name=name)


def _s(version, name) -> Section:
    return Section.objects.get(version=version, name=name)


def test_creating_a_questionnaire_gives_an_empty_first_draft(gs):
    questionnaire = builder.create_questionnaire(actor=gs, name="Policy Assessment")
    version = questionnaire.versions.get()
    assert (version.number, version.state) == (1, DRAFT)
    with pytest.raises(DomainError) as refused:
        builder.create_questionnaire(actor=gs, name="policy assessment")
    assert refused.value.field == "name"


def test_every_edit_service_refuses_a_published_version(gs, draft):
    builder.publish_version(actor=gs, version=draft)
    section, question = _s(draft, "privacy"), _q(draft, "has_policy")
    edits = [
        lambda: builder.add_section(actor=gs, version=draft, name="new", title="New"),
        lambda: builder.update_section(actor=gs, section=section, title="Changed"),
        lambda: builder.delete_section(actor=gs, section=_s(draft, "security")),
        lambda: builder.move_section(actor=gs, section=section, direction="down"),
        lambda: builder.add_question(actor=gs, section=section, name="new_q",
                                     kind=QuestionKind.TEXT, text="New?"),
        lambda: builder.update_question(actor=gs, question=question, text="Changed?"),
        lambda: builder.delete_question(actor=gs, question=_q(draft, "maturity")),
        lambda: builder.move_question(actor=gs, question=question, direction="down"),
        lambda: builder.publish_version(actor=gs, version=draft),
        lambda: builder.update_version_note(actor=gs, version=draft, note="x"),
        lambda: builder.save_translations(actor=gs, version=draft, language="es",
                                          sections={}, questions={question.pk: {"text": "¿?"}}),
    ]
    for edit in edits:
        with pytest.raises(InvalidTransition):
            edit()
    assert _s(draft, "privacy").title == "Privacy"
    assert _q(draft, "has_policy").text == "Does the city have a data protection policy?"
    assert Question.objects.filter(section__version=draft).count() == 3


def test_a_published_version_shows_no_edit_controls(gs, client_for, draft):
    browser = client_for(gs)
    url = reverse("global:version-detail", args=[draft.pk])
    page = browser.get(url).content.decode()
    assert reverse("global:question-edit", args=[_q(draft, "has_policy").pk]) in page
    assert reverse("global:version-publish", args=[draft.pk]) in page
    builder.publish_version(actor=gs, version=draft)
    page = browser.get(url).content.decode()
    assert reverse("global:question-edit", args=[_q(draft, "has_policy").pk]) not in page
    assert reverse("global:section-add", args=[draft.pk]) not in page
    assert reverse("global:version-publish", args=[draft.pk]) not in page
    assert "New draft from this version" in page
    # Its edit pages lead back to it.
    edit = browser.get(reverse("global:question-edit", args=[_q(draft, "has_policy").pk]))
    assert edit.status_code == 302


def test_a_new_draft_copies_everything_with_its_rules_pointing_at_the_copies(gs, draft):
    builder.publish_version(actor=gs, version=draft)
    copy = builder.new_draft(actor=gs, version=draft)
    assert (copy.state, copy.based_on, copy.number) == (DRAFT, draft, draft.number + 1)
    details, second = _q(copy, "policy_details"), _s(copy, "security")
    assert details.shown_if == _q(copy, "has_policy")
    assert (details.operator, details.value) == (Condition.EQUALS, "yes")
    assert second.shown_if == _q(copy, "has_policy")
    assert _q(copy, "has_policy").translations["ja"]["text"] == "データ保護方針がありますか？"
    assert _q(copy, "maturity").in_simplified is False
    assert details.hint == "Scope and owner."
    # The copy is editable, the original untouched.
    builder.update_question(actor=gs, question=_q(copy, "has_policy"), text="Changed?")
    assert _q(draft, "has_policy").text == "Does the city have a data protection policy?"


def test_a_rule_must_name_an_earlier_question(gs, draft):
    has_policy, details = _q(draft, "has_policy"), _q(draft, "policy_details")
    with pytest.raises(DomainError) as refused:
        builder.update_question(actor=gs, question=has_policy, shown_if=details,
                                operator=Condition.EQUALS, value="x")
    assert refused.value.field == "shown_if"
    with pytest.raises(DomainError) as refused:
        builder.update_question(actor=gs, question=has_policy, shown_if=has_policy,
                                operator=Condition.EQUALS, value="yes")
    assert refused.value.field == "shown_if"
    # A section's rule names a question of an earlier section only.
    with pytest.raises(DomainError):
        builder.update_section(actor=gs, section=_s(draft, "privacy"), shown_if=has_policy,
                               operator=Condition.EQUALS, value="yes")
    assert _q(draft, "has_policy").shown_if is None


def test_a_rule_is_refused_when_its_question_cannot_answer_it(gs, draft):
    section = _s(draft, "security")
    has_policy = _q(draft, "has_policy")
    with pytest.raises(DomainError) as refused:
        builder.add_question(actor=gs, section=section, name="q2", kind=QuestionKind.TEXT,
                             text="?", shown_if=has_policy, operator=Condition.EQUALS,
                             value="maybe")
    assert refused.value.field == "value"
    with pytest.raises(DomainError) as refused:
        builder.add_question(actor=gs, section=section, name="q2", kind=QuestionKind.TEXT,
                             text="?", shown_if=has_policy, operator=Condition.AT_LEAST,
                             value="1")
    assert refused.value.field == "operator"
    assert not Question.objects.filter(name="q2").exists()


def test_a_move_that_would_put_a_question_before_the_one_its_rule_names_is_refused(gs, draft):
    with pytest.raises(DomainError):
        builder.move_question(actor=gs, question=_q(draft, "policy_details"), direction="up")
    with pytest.raises(DomainError):
        builder.move_section(actor=gs, section=_s(draft, "security"), direction="up")
    assert [q.name for q in Question.objects.filter(section__version=draft).order_by(
        "section__position", "position")] == ["has_policy", "policy_details", "maturity"]


def test_a_refused_move_says_why_in_place(gs, client_for, draft):
    response = client_for(gs).post(
        reverse("global:question-move", args=[_q(draft, "policy_details").pk]),
        {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "A rule can only name an earlier question" in response.content.decode()


def test_moves_reorder_in_place(gs, client_for, draft):
    extra = builder.add_question(actor=gs, section=_s(draft, "security"), name="backups",
                                 kind=QuestionKind.YES_PARTIAL_NO, text="Backups?")
    browser = client_for(gs)
    response = browser.post(reverse("global:question-move", args=[extra.pk]),
                            {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="outline"' in response.content.decode()
    assert [q.name for q in Question.objects.filter(section=_s(draft, "security"))
            .order_by("position")] == ["backups", "maturity"]
    # Without JavaScript: the same form posts and comes back to the builder.
    response = browser.post(reverse("global:question-move", args=[extra.pk]),
                            {"direction": "down"})
    assert response.status_code == 302
    assert [q.name for q in Question.objects.filter(section=_s(draft, "security"))
            .order_by("position")] == ["maturity", "backups"]


def test_names_are_unique_in_the_version(gs, client_for, draft):
    with pytest.raises(DomainError) as refused:
        builder.add_question(actor=gs, section=_s(draft, "security"), name="has_policy",
                             kind=QuestionKind.TEXT, text="Again?")
    assert refused.value.field == "name"
    response = client_for(gs).post(reverse("global:section-add", args=[draft.pk]),
                                   {"title": "Again", "name": "privacy"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_a_question_named_by_a_rule_cannot_be_deleted(gs, draft):
    with pytest.raises(DomainError):
        builder.delete_question(actor=gs, question=_q(draft, "has_policy"))
    builder.delete_question(actor=gs, question=_q(draft, "policy_details"))
    assert not Question.objects.filter(name="policy_details").exists()


def test_the_builder_adds_sections_and_questions_through_its_forms(gs, client_for):
    questionnaire = builder.create_questionnaire(actor=gs, name="Starter")
    version = questionnaire.versions.get()
    browser = client_for(gs)
    response = browser.post(reverse("global:section-add", args=[version.pk]), {
        "title": "Privacy", "name": "privacy", "principle": principle().pk})
    assert response.status_code == 302
    section = _s(version, "privacy")
    response = browser.post(reverse("global:question-add", args=[section.pk]), {
        "text": "Is there a privacy officer?", "name": "officer", "kind": "yes_partial_no",
        "weight": "2", "required": "on", "in_simplified": "on"})
    assert response.status_code == 302
    officer = _q(version, "officer")
    assert officer.weight == Decimal("2.00") and officer.required
    response = browser.post(reverse("global:question-add", args=[section.pk]), {
        "text": "Who?", "name": "officer_name", "kind": "text", "weight": "0",
        "shown_if": officer.pk, "operator": "equals", "value": "perhaps"})
    assert response.status_code == 200
    assert response.context["form"].errors["value"]
    response = browser.post(reverse("global:version-publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.state == PUBLISHED


def test_publishing_needs_a_question(gs, client_for):
    version = VersionFactory(state=DRAFT)
    SectionFactory(version=version)
    with pytest.raises(DomainError):
        builder.publish_version(actor=gs, version=version)
    page = client_for(gs).get(reverse("global:version-detail", args=[version.pk]))
    assert "Add at least one question." in page.content.decode()


def test_translations_are_saved_counted_and_fall_back_to_english(gs, client_for, draft):
    browser = client_for(gs)
    has_policy, details = _q(draft, "has_policy"), _q(draft, "policy_details")
    page = browser.get(reverse("global:version-detail", args=[draft.pk])).content.decode()
    # 2 section titles, 3 question texts and one hint: Japanese has one of six.
    assert "1 of 6 translated" in page
    response = browser.post(
        reverse("global:version-translations", args=[draft.pk]) + "?language=es",
        {f"q{has_policy.pk}-text": "¿Tiene la ciudad una política de protección de datos?",
         f"q{details.pk}-hint": "Alcance y responsable",
         f"s{_s(draft, 'privacy').pk}-title": "Privacidad"})
    assert response.status_code == 302
    progress = {p.language: p.done for p in builder.translation_progress(draft)}
    assert progress == {"ja": 1, "es": 3, "pt-br": 0}
    details.refresh_from_db()
    with translation.override("es"):
        assert details.shown_hint == "Alcance y responsable"
        assert details.shown_text == "Describe it."  # not translated: English
    with translation.override("pt-br"):
        assert _q(draft, "has_policy").shown_text == has_policy.text


def test_the_preview_shows_the_simplified_variant_and_regions_read_published_ones(
        gs, cast, client_for, draft):
    url = reverse("questionnaire-preview", args=[cast.home.region.slug, draft.pk])
    assert client_for(cast.home.regional_secretariat).get(url).status_code == 404  # a draft
    builder.publish_version(actor=gs, version=draft)
    for user in (cast.home.regional_secretariat, cast.home.forum_reviewer):
        page = client_for(user).get(url)
        assert page.status_code == 200
        assert "How mature is incident response?" in page.content.decode()
    simplified = client_for(cast.home.regional_secretariat).get(url + "?variant=simplified")
    assert "How mature is incident response?" not in simplified.content.decode()
    assert "Describe it." in simplified.content.decode()
    assert client_for(cast.home.city_contact).get(url).status_code == 403
    # The region's roadmap page leads to it.
    roadmap = client_for(cast.home.regional_secretariat).get(
        reverse("roadmap", args=[cast.home.region.slug])).content.decode()
    assert url in roadmap


def test_only_the_global_secretariat_reaches_the_builder(cast, client_for, draft):
    for user in (cast.home.regional_secretariat, cast.global_reviewer):
        response = client_for(user).get(reverse("global:version-detail", args=[draft.pk]))
        assert response.status_code in (403, 404)
    assert not Questionnaire.objects.filter(name="x").exists()


def _queries(browser, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


def test_the_builder_and_preview_cost_the_same_queries_with_more_questions(gs, cast, client_for,
                                                                          draft):
    builder_url = reverse("global:version-detail", args=[draft.pk])
    preview_url = reverse("global:version-preview", args=[draft.pk])
    browser = client_for(gs)
    browser.get(builder_url)
    few = (_queries(browser, builder_url), _queries(browser, preview_url))
    section = _s(draft, "security")
    has_policy = _q(draft, "has_policy")
    for n in range(12):
        QuestionFactory(section=section, name=f"extra_{n}", position=10 + n,
                        shown_if=has_policy, operator=Condition.EQUALS, value="yes")
    SectionFactory(version=draft, name="equity", position=3)
    assert (_queries(browser, builder_url), _queries(browser, preview_url)) == few
    assert few[0] <= 15

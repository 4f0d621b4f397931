"""The starter questionnaire (forty questions, three languages, follow-up rules) and the demo
assessments: run twice, nothing doubles; scores exist where cities submitted."""

import pytest
from django.utils import translation
from django_scopes import scope

from alliance.models import Role
from assessments import demo
from assessments.models import (
    Answer,
    Assessment,
    Campaign,
    ModelPolicy,
    PrincipleScore,
    Question,
    QuestionnaireVersion,
    Variant,
)
from assessments.queries import questions_of
from assessments.starter import build_starter
from cities.models import Contact, Stage
from tests.factories import CityFactory, ContactFactory, MembershipFactory, RegionFactory

from .factories import all_principles

pytestmark = pytest.mark.django_db


def test_the_starter_questionnaire_is_published_once_with_its_rules_and_languages():
    all_principles()
    version = build_starter()
    assert build_starter() == version
    assert version.state == QuestionnaireVersion.State.PUBLISHED
    questions = list(questions_of(version))
    assert len(questions) == 40
    assert len(list(questions_of(version, variant=Variant.SIMPLIFIED))) == 10
    follow_up = Question.objects.get(section__version=version, name="pia_maturity")
    assert (follow_up.shown_if.name, follow_up.operator, follow_up.value) == (
        "pia", "not_equals", "no")
    with translation.override("ja"):
        assert follow_up.shown_text == (
            "市のプライバシー影響評価のプロセスはどの程度成熟していますか。")
    with translation.override("pt-br"):  # not translated: English stands in
        assert follow_up.shown_text == "How mature is the city's privacy impact assessment process?"
    assert ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED).count() == 5


def test_the_demo_runs_twice_and_japan_has_a_campaign_at_every_state():
    all_principles()
    japan = RegionFactory(slug="japan", name="Japan", default_language="ja")
    secretariat = MembershipFactory(region=japan, role=Role.REGIONAL_SECRETARIAT).user
    for index, stage in enumerate([Stage.MEMBER, Stage.COMMITTED, Stage.IN_DIALOGUE,
                                   Stage.CONTACTED, Stage.SHORT_LIST, Stage.SHORT_LIST,
                                   Stage.DECLINED]):
        name = "Maebashi" if index == 0 else f"City {index}"
        ContactFactory(city=CityFactory(region=japan, name=name, stage=stage), is_key=True)
    with scope(region=japan):
        demo.seed(japan, secretariat)
        demo.seed(japan, secretariat)
        assert [(c.year, c.state) for c in Campaign.objects.order_by("year")] == [
            (2025, Campaign.State.CLOSED), (2026, Campaign.State.OPEN)]
        this_year = Assessment.objects.filter(campaign__year=2026)
        assert this_year.count() == 6  # the declined city is not asked
        assert set(this_year.values_list("state", flat=True)) == set(Assessment.State.values)
        accepted = this_year.filter(state=Assessment.State.ACCEPTED).first()
        assert accepted.overall_score is not None
        assert PrincipleScore.objects.filter(assessment=accepted).count() == 5
        assert not Answer.objects.filter(assessment__state=Assessment.State.NOT_STARTED).exists()
        assert Contact.objects.filter(is_key=True).count() == 7

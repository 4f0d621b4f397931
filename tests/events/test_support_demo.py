"""The demo's implementation support: workplans for the member cities and the demo official's
city, the demo expert advising one, follow-ups, support activities (one waiting for the Global
Secretariat); seeding twice adds nothing."""

from django_scopes import scope

from alliance.models import ApprovalRequest, Role
from cities.models import Stage
from events import demo_support
from events.models import SupportActivity, SupportState, Workplan, WorkplanComment
from experts.models import Stage as ExpertStage
from tests.assessments.factories import ModelPolicyFactory
from tests.experts.factories import ExpertFactory
from tests.factories import CityFactory, MembershipFactory, RegionFactory, UserFactory


def test_the_demo_workplans_are_seeded_once(db):
    japan = RegionFactory(slug="japan", name="Japan", time_zone="Asia/Tokyo")
    secretariat = MembershipFactory(region=japan, role=Role.REGIONAL_SECRETARIAT).user
    expert_user = UserFactory(email=demo_support.DEMO_EXPERT)
    MembershipFactory(region=japan, role=Role.EXPERT, user=expert_user)
    ModelPolicyFactory(title="Open Data")
    CityFactory(region=japan, name="Aizuwakamatsu", stage=Stage.MEMBER)
    CityFactory(region=japan, name="Maebashi", stage=Stage.CONTACTED)
    ExpertFactory(region=japan, user=expert_user, stage=ExpertStage.CONFIRMED)
    with scope(region=japan):
        demo_support.seed(japan, secretariat)
        demo_support.seed(japan, secretariat)
        plans = list(Workplan.objects.select_related("city").order_by("city__name"))
        assert [p.city.name for p in plans] == ["Aizuwakamatsu", "Maebashi"]
        first = plans[0]
        assert 0 < first.milestones_done < first.milestones_total
        assert first.advisors.get().user == expert_user
        assert WorkplanComment.objects.filter(author=expert_user).count() == 1
        assert first.progress_entries.exists()
        states = sorted(SupportActivity.objects.values_list("state", flat=True))
        assert states.count(SupportState.AWAITING_APPROVAL) == 1
        assert ApprovalRequest.objects.filter(kind="support_activity").count() == 1

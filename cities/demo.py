"""Demo pipeline: the demo cities spread over stages, with owners, scores and key contacts."""

from django.utils.translation import gettext as _

from .models import City, Contact, Criterion, CriterionScore, Stage, StageChange, Tier

# By position in a region's city list (alphabetical): where each demo city stands.
STAGES = [Stage.MEMBER, Stage.COMMITTED, Stage.IN_DIALOGUE, Stage.CONTACTED,
          Stage.SHORT_LIST, Stage.SHORT_LIST, Stage.LONG_LIST, Stage.LONG_LIST, Stage.DECLINED]
SCORES = [(3, 3, 3), (3, 2, 3), (2, 3, 2), (2, 2, 1), (3, 1, 2), (1, 2, 2), (1, 1, 0),
          (0, 1, 1), (1, 0, 0)]


def seed(region, owner) -> None:
    """Idempotent: only cities still untouched (long list, no owner) are arranged."""
    criteria = list(Criterion.objects.filter(region=region)[:3])
    untouched = City.objects.filter(region=region, owner=None, stage=Stage.LONG_LIST)
    for index, city in enumerate(untouched.order_by("name")):
        stage = STAGES[index % len(STAGES)]
        city.stage, city.owner = stage, owner
        city.tier = Tier.PIONEER if stage == Stage.MEMBER else Tier.ACTIVE
        city.save()
        if stage != Stage.LONG_LIST:
            StageChange.objects.create(region=region, city=city, from_stage=Stage.LONG_LIST,
                                       to_stage=stage, actor=owner,
                                       note=_("Demo data: arranged on the pipeline."))
        for criterion, score in zip(criteria, SCORES[index % len(SCORES)]):
            CriterionScore.objects.create(region=region, city=city, criterion=criterion,
                                          score=score, scored_by=owner)
        Contact.objects.create(region=region, city=city, is_key=True,
                               name=_("Smart city office, %(city)s") % {"city": city.name},
                               position=Contact.Position.KEY_CONTACT,
                               department=_("Digital transformation"),
                               email=f"smartcity@{city.name.lower().replace(' ', '')}.example",
                               language=region.default_language)

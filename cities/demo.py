"""Demo pipeline: the demo cities spread over stages, with owners, scores and key contacts."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .models import City, Contact, Criterion, CriterionScore, Stage, StageChange, Tier
from .services.scoring import recompute_priorities

# By position in a region's city list (alphabetical): where each demo city stands.
STAGES = [Stage.MEMBER, Stage.COMMITTED, Stage.IN_DIALOGUE, Stage.CONTACTED,
          Stage.SHORT_LIST, Stage.SHORT_LIST, Stage.LONG_LIST, Stage.LONG_LIST, Stage.DECLINED]
SCORES = [(3, 3, 3), (3, 2, 3), (2, 3, 2), (2, 2, 1), (3, 1, 2), (1, 2, 2), (1, 1, 0),
          (0, 1, 1), (1, 0, 0)]


# The demo city official's city and login, by region slug (alliance/demo.py creates them).
CITY_OFFICIALS = {"japan": ("Maebashi", "maebashi@demo.alliance.example")}
# By region slug: name, local name, country, population.
CITIES = {
    "japan": [
        ("Maebashi", "前橋市", "JP", 332_000), ("Takamatsu", "高松市", "JP", 417_000),
        ("Sanda", "三田市", "JP", 109_000), ("Mishima", "三島市", "JP", 107_000),
        ("Shimonoseki", "下関市", "JP", 251_000), ("Chino", "茅野市", "JP", 56_000),
        ("Aizuwakamatsu", "会津若松市", "JP", 116_000), ("Miyakonojo", "都城市", "JP", 160_000),
        ("Kibichuo", "吉備中央町", "JP", 10_000),
    ],
    "india": [
        ("Pune", "पुणे", "IN", 3_124_000), ("Indore", "इंदौर", "IN", 1_994_000),
        ("Surat", "સુરત", "IN", 4_467_000), ("Bhubaneswar", "ଭୁବନେଶ୍ୱର", "IN", 837_000),
        ("Visakhapatnam", "విశాఖపట్నం", "IN", 1_730_000),
    ],
    "latin-america": [
        ("Medellín", "Medellín", "CO", 2_569_000), ("Montevideo", "Montevideo", "UY", 1_319_000),
        ("Curitiba", "Curitiba", "BR", 1_773_000), ("Guadalajara", "Guadalajara", "MX", 1_385_000),
        ("Santiago", "Santiago", "CL", 6_269_000), ("Quito", "Quito", "EC", 2_011_000),
    ],
}


def seed(region, owner) -> None:
    """Idempotent: the region's demo cities exist once; only cities still untouched (long
    list, no owner) are arranged."""
    for name, local_name, country, population in CITIES.get(region.slug, []):
        City.objects.update_or_create(
            region=region, name=name, country=country,
            defaults={"local_name": local_name, "population": population})
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
    _link_city_official(region)
    recompute_priorities(region)


def _link_city_official(region) -> None:
    """The demo city official speaks for their city: its key contact is their account."""
    if region.slug not in CITY_OFFICIALS:
        return
    city_name, email = CITY_OFFICIALS[region.slug]
    official = get_user_model().objects.filter(email=email).first()
    if official is not None:
        Contact.objects.filter(region=region, city__name=city_name, is_key=True,
                               user=None).update(user=official)

"""The demo world: the Global Secretariat, three regions with real cities, a login per role."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from cities import demo as cities_demo
from outreach import demo as outreach_demo
from cities.models import City

from .models import Membership, Phase, Region, Role
from .tenancy import region_scope

DEMO_PASSWORD = "alliance-demo-2026"

REGIONS = [
    # slug, name, language, time zone, phase
    ("japan", "Japan", "ja", "Asia/Tokyo", Phase.OPERATION),
    ("india", "India", "en", "Asia/Kolkata", Phase.LAUNCH),
    ("latin-america", "Latin America", "es", "America/Bogota", Phase.PREPARATION),
]

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

# email, full name, role, region slug (None: all regions)
USERS = [
    ("admin@demo.alliance.example", "Platform Admin", None, None),
    ("global@demo.alliance.example", "Rushi Rama", Role.GLOBAL_SECRETARIAT, None),
    ("japan@demo.alliance.example", "Yuta Hirayama", Role.REGIONAL_SECRETARIAT, "japan"),
    ("india@demo.alliance.example", "Shefali Rai", Role.REGIONAL_SECRETARIAT, "india"),
    ("latam@demo.alliance.example", "Paola Herrera", Role.REGIONAL_SECRETARIAT, "latin-america"),
    ("reviewer@demo.alliance.example", "Forum Reviewer", Role.FORUM_REVIEWER, None),
    ("maebashi@demo.alliance.example", "Maebashi City Official", Role.CITY_CONTACT, "japan"),
    ("expert@demo.alliance.example", "Policy Expert", Role.EXPERT, "japan"),
]


@transaction.atomic
def seed() -> list[tuple[str, str]]:
    """Create or refresh the demo world. Safe to run again: nothing is duplicated."""
    regions = {}
    for slug, name, language, tz, phase in REGIONS:
        regions[slug], _ = Region.objects.update_or_create(
            slug=slug, defaults={"name": name, "default_language": language, "time_zone": tz,
                                 "phase": phase})
    for slug, cities in CITIES.items():
        with region_scope(regions[slug]):
            for name, local_name, country, population in cities:
                City.objects.update_or_create(
                    region=regions[slug], name=name, country=country,
                    defaults={"local_name": local_name, "population": population})
    logins, users = [], {}
    for email, full_name, role, region_slug in USERS:
        user = users[email] = _demo_user(email, full_name, superuser=role is None)
        if role:
            Membership.objects.get_or_create(user=user, role=role,
                                             region=regions.get(region_slug))
        logins.append((email, role.label if role else "Platform admin"))
    for email, _name, role, slug in USERS:
        if role == Role.REGIONAL_SECRETARIAT:
            with region_scope(regions[slug]):
                cities_demo.seed(regions[slug], users[email])
                outreach_demo.seed(regions[slug], users[email])
    return logins


def _demo_user(email, full_name, *, superuser):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=DEMO_PASSWORD, full_name=full_name)
    EmailAddress.objects.get_or_create(user=user, email=email,
                                       defaults={"verified": True, "primary": True})
    return user

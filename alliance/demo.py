"""The demo world: the Global Secretariat, three regions, a login per role; each app adds its
part of every region (its seeder registered with `add_seeder` from its AppConfig.ready())."""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Phase, Region, Role
from .tenancy import region_scope

DEMO_PASSWORD = "alliance-demo-2026"
# seeder(region, regional_secretariat_user): idempotent, runs inside the region's scope.
SEEDERS: list[Callable] = []


def add_seeder(seeder: Callable) -> None:
    SEEDERS.append(seeder)


REGIONS = [
    # slug, name, language, time zone, phase
    ("japan", "Japan", "ja", "Asia/Tokyo", Phase.OPERATION),
    ("india", "India", "en", "Asia/Kolkata", Phase.LAUNCH),
    ("latin-america", "Latin America", "es", "America/Bogota", Phase.PREPARATION),
]
# Each region's name in the other interface languages.
REGION_NAMES = {
    "japan": {"ja": "日本", "es": "Japón", "pt-br": "Japão"},
    "india": {"ja": "インド", "es": "India", "pt-br": "Índia"},
    "latin-america": {"ja": "ラテンアメリカ", "es": "América Latina",
                      "pt-br": "América Latina"},
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
            slug=slug, defaults={"name": name, "name_translations": REGION_NAMES[slug],
                                 "default_language": language, "time_zone": tz,
                                 "phase": phase})
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
                for seeder in SEEDERS:
                    seeder(regions[slug], users[email])
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

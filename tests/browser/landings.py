"""Where each role lands after signing in, and what it sees there: a forum reviewer lands on
what waits for their decision, everyone else on a dashboard."""

from dataclasses import dataclass

from alliance import navigation, permissions
from alliance.models import Role
from tests.conftest import with_totp
from tests.factories import UserFactory

ALL_REGIONS = ["Global", "Aurora", "Borealis"]


@dataclass(frozen=True)
class Landing:
    role: str
    path: str
    heading: str
    shows: list[str]  # links nav[aria-label=Main] must have
    hides: list[str]  # links it must not have
    regions: list[str]  # what the header's region switcher offers
    two_factor: bool
    current: str = "Dashboard"  # the menu item it lands on

    def nav(self) -> list[str]:
        """The whole menu the permissions table promises this role where it lands."""
        items = navigation.GLOBAL_ITEMS if self.path.startswith("/global/") else [
            *navigation.REGION_FIRST, *navigation.APP_ITEMS, *navigation.REGION_LAST]
        role = self.role.removeprefix("cross-region ")

        def allowed(action: str) -> bool:
            return role == "platform_admin" or role in permissions.ACTIONS[action]

        return [str(item.label) for item in items
                if allowed(item.action) and not (item.unless and allowed(item.unless))]


LANDINGS = [
    Landing("platform_admin", "/global/", "Global Secretariat dashboard",
            ["Global dashboard", "Approvals", "Invitations"], ["Dashboard"], ALL_REGIONS,
            two_factor=True, current="Global dashboard"),
    Landing(Role.GLOBAL_SECRETARIAT, "/global/", "Global Secretariat dashboard",
            ["Global dashboard", "Approvals", "Invitations"], ["Dashboard"], ALL_REGIONS,
            two_factor=True, current="Global dashboard"),
    Landing(Role.REGIONAL_SECRETARIAT, "/r/aurora/", "Aurora dashboard",
            ["Dashboard", "Approvals", "Invitations"], ["Global dashboard"], ["Aurora"],
            two_factor=True),
    Landing(Role.FORUM_REVIEWER, "/r/aurora/approvals/?state=pending", "Approvals",
            ["Dashboard", "Approvals"], ["Invitations", "Global dashboard"], ["Aurora"],
            two_factor=True, current="Approvals"),
    Landing("cross-region forum_reviewer", "/global/approvals/?state=pending", "Approvals",
            ["Global dashboard", "Approvals"], ["Invitations", "Dashboard"], ALL_REGIONS,
            two_factor=True, current="Approvals"),
    Landing(Role.CITY_CONTACT, "/r/aurora/", "Aurora dashboard", ["Dashboard"],
            ["Approvals", "Invitations", "Global dashboard"], ["Aurora"], two_factor=False),
    Landing(Role.EXPERT, "/r/aurora/", "Aurora dashboard", ["Dashboard"],
            ["Approvals", "Invitations", "Global dashboard"], ["Aurora"], two_factor=False),
]
LANDING_IDS = [str(landing.role) for landing in LANDINGS]


def person(cast, role):
    """The cast member holding `role` (in the home region, Aurora, when it is regional)."""
    if role == "platform_admin":
        return with_totp(UserFactory(is_superuser=True, is_staff=True))
    if role == Role.GLOBAL_SECRETARIAT:
        return cast.global_secretariat
    if role == "cross-region forum_reviewer":
        return cast.global_reviewer
    return cast.home.by_role(role)

"""Cities and their stages: create, edit, move, assign, tag, and the same in bulk."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.services import audit
from alliance.services.changes import locked, save_changes, save_locked

from .. import stages
from ..models import City, Stage, StageChange, Tag
from ..names import name_key, tidy_name

EDITABLE = ("name", "local_name", "country", "population", "website", "tier", "owner",
            "engagement_channel", "partner_network", "notes")


class DuplicateCity(DomainError):
    """The region already lists this city, or one whose name differs only in case, accents
    or spacing. A near-duplicate may be created anyway (`allow_duplicate`); the same name
    in the same country may not."""

    def __init__(self, existing: City, *, same_name: bool):
        if same_name:
            message = _("%(name)s (%(country)s) is already in this region's list.")
        else:
            message = _("%(name)s (%(country)s) is already in this region's list and looks "
                        "like the same city.")
        super().__init__(message % {"name": existing.name, "country": existing.country.name},
                         field="name")
        self.existing = existing
        self.same_name = same_name


def find_duplicate(*, region, name: str, country: str, exclude=None) -> City | None:
    """A city of the region in the same country whose name differs at most in case, accents
    and spacing (cities.names.name_key), the exact same name first."""
    matches = City.objects.filter(region=region, name_key=name_key(name),
                                  country__iexact=str(country).strip())
    if exclude is not None:
        matches = matches.exclude(pk=exclude.pk)
    found = list(matches.only("pk", "name", "country")[:10])
    return next((c for c in found if c.name == tidy_name(name)), found[0] if found else None)


def check_duplicate(*, region, name: str, country: str, allow_duplicate: bool = False,
                    exclude=None) -> None:
    """Refuse a near-duplicate unless allowed, and the same name always."""
    duplicate = find_duplicate(region=region, name=name, country=country, exclude=exclude)
    if duplicate is None:
        return
    same_name = duplicate.name == tidy_name(name)
    if same_name or not allow_duplicate:
        raise DuplicateCity(duplicate, same_name=same_name)


def create_city(*, actor, region, name: str, country: str, allow_duplicate: bool = False,
                **fields) -> City:
    permissions.require(actor, "cities.edit", region=region)
    check_duplicate(region=region, name=name, country=country,
                    allow_duplicate=allow_duplicate)
    tags = fields.pop("tags", None)
    with transaction.atomic():
        city = City.objects.create(region=region, name=tidy_name(name),
                                   country=country.strip().upper(), **fields)
        if tags:
            city.tags.set(tags)
        audit.record(actor=actor, action="cities.city.created", target=city, region=region,
                     name=city.name, stage=city.stage)
    return city


def update_city(*, actor, city: City, allow_duplicate: bool = False, **changes) -> City:
    """Change the city's details (not its stage: `advance_stage`); only what differs is saved
    and audited with its old and new value. A rename into a near-duplicate needs
    `allow_duplicate`, as a new city does."""
    permissions.require(actor, "cities.edit", region=city.region)
    tags = changes.pop("tags", None)
    if "name" in changes:
        changes["name"] = tidy_name(changes["name"])
    with transaction.atomic():
        # Lock first: a stage move at the same moment must survive this edit.
        city = locked(city, "region")
        # Only a new name or country is checked: a pair kept on purpose stays editable.
        if any(f in changes and changes[f] != getattr(city, f) for f in ("name", "country")):
            check_duplicate(region=city.region, name=changes.get("name", city.name),
                            country=changes.get("country", city.country),
                            allow_duplicate=allow_duplicate, exclude=city)
        also = _retag(city, tags) if tags is not None else {}
        city, _changed = save_locked(actor=actor, row=city, changes=changes,
                                     editable=EDITABLE, action="cities.city.changed",
                                     also=also)
    return city


def _retag(city: City, tags) -> dict:
    """Give the city exactly these tags; their names before and after when they differ."""
    old = sorted(city.tags.values_list("name", flat=True))
    new = sorted(tag.name for tag in tags)
    if old == new:
        return {}
    city.tags.set(tags)
    return {"tags": {"old": old, "new": new}}


def advance_stage(*, actor, city: City, to: str, note: str = "") -> City:
    """Move a city to another stage, refusing moves the pipeline does not allow."""
    permissions.require(actor, "cities.move_stage", region=city.region)
    with transaction.atomic():
        # Lock first: two secretariat users can move the same card at once.
        city = City.objects.select_for_update().select_related("region").get(pk=city.pk)
        _checked_move(actor=actor, city=city, to=to, note=note)
    return city


def _checked_move(*, actor, city: City, to: str, note: str) -> None:
    reason = stages.refusal(city.stage, to)
    if reason:
        raise InvalidTransition(reason, field="stage")
    if to in stages.NEEDS_REASON and not note.strip():
        raise InvalidTransition(_("Say why the city moves to “%(stage)s”.")
                                % {"stage": Stage(to).label}, field="note")
    _move(actor=actor, city=city, to=to, note=note)


def _move(*, actor, city: City, to: str, note: str) -> None:
    old = city.stage
    city.stage = to
    city.stage_changed_at = timezone.now()
    city.save(update_fields=["stage", "stage_changed_at"])
    StageChange.objects.create(region=city.region, city=city, from_stage=old, to_stage=to,
                               actor=actor, note=note.strip())
    audit.record(actor=actor, action="cities.city.stage_changed", target=city,
                 region=city.region, old=old, new=to, note=note.strip())


def advance_if_behind(*, actor, city: City, to: str, note: str) -> bool:
    """Move forward along the pipeline when an outreach event shows the city got there
    (a letter sent, an answer, a signed letter of intent); never backwards or sideways."""
    with transaction.atomic():
        city = City.objects.select_for_update().get(pk=city.pk)
        order = stages.ACTIVE
        if city.stage not in order or order.index(city.stage) >= order.index(to):
            return False
        path = order[order.index(city.stage) + 1:order.index(to) + 1]
        for step in path:
            _move(actor=actor, city=city, to=step, note=note)
    return True


def assign_owner(*, actor, city: City, owner) -> City:
    permissions.require(actor, "cities.edit", region=city.region)
    with transaction.atomic():
        city, _changed = save_changes(actor=actor, obj=city, changes={"owner": owner},
                                      editable=("owner",), related=("region",),
                                      action="cities.city.owner_assigned")
    return city


def tag_cities(*, actor, cities: list[City], names: list[str]) -> None:
    region = cities[0].region
    permissions.require(actor, "cities.edit", region=region)
    with transaction.atomic():
        tags = tags_named(region, names)
        for city in cities:
            city.tags.add(*tags)
            audit.record(actor=actor, action="cities.city.tagged", target=city, region=region,
                         tags=[t.name for t in tags])


def tags_named(region, names) -> list[Tag]:
    """The region's tags with these names (trimmed, blanks dropped), creating the missing
    ones: the one way forms, the API, bulk tagging and the import find tags, in two queries.

    Conflicts are ignored: a tag someone else creates at the same moment is reused."""
    wanted = sorted({n.strip() for n in names if n.strip()})
    if not wanted:
        return []
    Tag.objects.bulk_create([Tag(region=region, name=n) for n in wanted], ignore_conflicts=True)
    return list(Tag.objects.filter(region=region, name__in=wanted))


BULK_ACTIONS = ("move_stage", "assign_owner", "tag")


def apply_bulk(*, actor, region, city_ids: list[int], action: str, value, note: str = ""
               ) -> list[City]:
    """Apply one action to many cities, all or nothing, each checked as its own page would.

    A city of another region (or one that does not exist) refuses the whole request."""
    if action not in BULK_ACTIONS:
        raise DomainError(_("Unknown bulk action."), field="action")
    permissions.require(actor, "cities.move_stage" if action == "move_stage" else "cities.edit",
                        region=region)
    ids = sorted(set(city_ids))
    with transaction.atomic():
        # Lock before reading, all at once and in id order: each city is checked as it is
        # now, and two bulk actions over the same cities cannot deadlock.
        cities = list(City.objects.select_for_update(of=("self",)).filter(
            region=region, pk__in=ids).select_related("region").order_by("pk"))
        missing = sorted(set(ids) - {c.pk for c in cities})
        if missing:
            raise DomainError(_("Nothing was changed: cities %(ids)s are not in this region.")
                              % {"ids": ", ".join(map(str, missing))}, field="cities")
        if not cities:
            raise DomainError(_("Choose at least one city."), field="cities")
        if action == "tag":
            tag_cities(actor=actor, cities=cities, names=str(value).split(","))
            return cities
        for city in cities:
            try:
                if action == "move_stage":
                    _checked_move(actor=actor, city=city, to=value, note=note)
                else:
                    save_locked(actor=actor, row=city, changes={"owner": value},
                                editable=("owner",), action="cities.city.owner_assigned")
            except DomainError as error:
                raise DomainError(_("Nothing was changed: %(city)s: %(reason)s")
                                  % {"city": city.name, "reason": error.message},
                                  field=error.field) from error
    return cities

"""Two people changing the same city at once: neither change is lost."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from alliance.models import AuditEntry
from cities.models import City, Contact, Stage
from cities.services import contacts, merging, pipeline
from tests.concurrency import on_postgresql, race
from tests.factories import CityFactory, ContactFactory


def _fresh(model, pk, region):
    with scope(region=region):
        return model.objects.get(pk=pk)


@on_postgresql
def test_an_edit_of_the_name_keeps_a_stage_move_made_at_the_same_moment(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    city = CityFactory(region=region, name="Sanda", stage=Stage.LONG_LIST)
    # The edit page read the city before the move.
    stale = _fresh(City, city.pk, region)
    race(region,
         lambda: pipeline.advance_stage(actor=rs, city=city, to=Stage.SHORT_LIST),
         lambda: pipeline.update_city(actor=rs, city=stale, name="Sanda-shi"))
    city = _fresh(City, city.pk, region)
    assert (city.name, city.stage) == ("Sanda-shi", Stage.SHORT_LIST)


@on_postgresql
def test_a_merge_keeps_a_stage_move_of_the_kept_city(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    keep = CityFactory(region=region, name="Kobe", stage=Stage.LONG_LIST, population=None)
    duplicate = CityFactory(region=region, name="Kobe City", population=1_500_000)
    stale = _fresh(City, keep.pk, region)
    race(region,
         lambda: pipeline.advance_stage(actor=rs, city=keep, to=Stage.SHORT_LIST),
         lambda: merging.merge_cities(actor=rs, keep=stale, duplicate=duplicate))
    keep = _fresh(City, keep.pk, region)
    assert (keep.stage, keep.population) == (Stage.SHORT_LIST, 1_500_000)
    with scope(region=region):
        assert not City.objects.filter(pk=duplicate.pk).exists()


@on_postgresql
def test_an_edit_of_a_contact_keeps_the_invitation_sent_at_the_same_moment(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    contact = ContactFactory(city=CityFactory(region=region), name="Aiko Tanaka",
                             email="aiko@example.org")
    stale = _fresh(Contact, contact.pk, region)
    race(region,
         lambda: contacts.invite_contact(actor=rs, contact=contact),
         lambda: contacts.save_contact(actor=rs, city=stale.city, contact=stale,
                                       name="Aiko Tanaka-Sato"))
    contact = _fresh(Contact, contact.pk, region)
    assert contact.name == "Aiko Tanaka-Sato"
    assert contact.invitation_id is not None


@on_postgresql
def test_a_bulk_move_waits_for_an_edit_and_keeps_it(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    city = CityFactory(region=region, name="Akashi", stage=Stage.LONG_LIST)
    race(region,
         lambda: pipeline.update_city(actor=rs, city=city, name="Akashi-shi"),
         lambda: pipeline.apply_bulk(actor=rs, region=region, city_ids=[city.pk],
                                     action="move_stage", value=Stage.SHORT_LIST))
    city = _fresh(City, city.pk, region)
    assert (city.name, city.stage) == ("Akashi-shi", Stage.SHORT_LIST)


def test_an_edit_saves_only_the_fields_it_changes(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    city = CityFactory(region=region, name="Sanda", population=100_000)
    with scope(region=region), CaptureQueriesContext(connection) as queries:
        pipeline.update_city(actor=rs, city=city, name="Sanda-shi", population=100_000)
    updates = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith('UPDATE "cities_city"')]
    assert len(updates) == 1
    assert '"name"' in updates[0]
    assert '"stage"' not in updates[0] and '"population"' not in updates[0]


def test_an_edit_is_audited_with_old_and_new_values(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    city = CityFactory(region=region, name="Sanda", population=100_000, notes="")
    with scope(region=region):
        pipeline.update_city(actor=rs, city=city, name="Sanda-shi", population=109_000,
                             notes="")
        entry = AuditEntry.objects.get(action="cities.city.changed", object_id=city.pk)
    assert entry.actor == rs
    assert entry.data["name"] == {"old": "Sanda", "new": "Sanda-shi"}
    assert entry.data["population"] == {"old": 100_000, "new": 109_000}
    assert "notes" not in entry.data


def test_an_edit_that_changes_nothing_writes_nothing(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    city = CityFactory(region=region, name="Sanda")
    with scope(region=region):
        pipeline.update_city(actor=rs, city=city, name="Sanda")
        assert not AuditEntry.objects.filter(action="cities.city.changed").exists()


def test_an_edit_from_a_stale_page_does_not_undo_a_stage_move(cast):
    """The same interleaving as the threaded test, one after the other (any database)."""
    region, rs = cast.home.region, cast.home.regional_secretariat
    city = CityFactory(region=region, name="Sanda", stage=Stage.LONG_LIST)
    with scope(region=region):
        stale = City.objects.get(pk=city.pk)
        pipeline.advance_stage(actor=rs, city=city, to=Stage.SHORT_LIST)
        pipeline.update_city(actor=rs, city=stale, name="Sanda-shi")
        city = City.objects.get(pk=city.pk)
    assert (city.name, city.stage) == ("Sanda-shi", Stage.SHORT_LIST)

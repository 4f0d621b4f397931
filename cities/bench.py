"""The cities app in `manage.py bench` (registry: alliance/bench.py): a region's pipeline in a
real region's proportions, and the table, board and city pages measured on it."""

import itertools

from django.contrib.contenttypes.models import ContentType

from alliance.bench import (
    MANY_TAGS,
    Batch,
    Bench,
    BenchPage,
    add_background,
    add_history,
    ago,
    cycle,
    owners_of,
    register,
)
from alliance.models import AuditEntry, Role

from .models import (
    City,
    Contact,
    Criterion,
    CriterionScore,
    PartnerNetwork,
    Stage,
    StageChange,
    Tag,
    Tier,
)
from .queries import BOARD_CARDS
from .services.scoring import recompute_priorities
from .stages import ACTIVE

_serial = itertools.count(1)  # city, tag and network names stay unique across rounds
# Twenty cities as a region spreads them, interleaved so that even a small round has cities
# at several stages: most still on the long and short lists.
LL, SL, C = Stage.LONG_LIST, Stage.SHORT_LIST, Stage.CONTACTED
STAGES = [LL, SL, C, LL, Stage.IN_DIALOGUE, SL, LL, C, Stage.COMMITTED, LL,
          SL, Stage.MEMBER, LL, C, Stage.DECLINED, LL, SL, Stage.IN_DIALOGUE, Stage.PAUSED, LL]
# Every tenth city's name starts with the same word: a search for "Puerto" finds a tenth.
PREFIXES = ["San", "Puerto", "Villa", "Nueva", "Santa", "Río", "Monte", "Valle", "Bahía",
            "Campo"]
COUNTRIES = ["BR", "MX", "CO", "AR", "CL", "PE", "EC", "UY", "CR", "PA", "BO", "PY"]
TOPICS = ["mobility", "energy", "water", "health", "housing", "data", "safety", "waste",
          "tourism", "education"]
POSITIONS = [Contact.Position.KEY_CONTACT, Contact.Position.MAYOR,
             Contact.Position.DEPARTMENT_HEAD, Contact.Position.SECTION_CHIEF,
             Contact.Position.OTHER]
CONTACTS_PER_CITY = len(POSITIONS)


def add_pipeline(batch: Batch) -> None:
    """Cities with owners, 0-3 tags, partner networks, five contacts (one key), scores on
    most, and the history that got them to their stage."""
    region, size = batch.region, batch.size
    Tag.objects.bulk_create(Tag(region=region, name=f"{TOPICS[n % len(TOPICS)]}-{n}")
                            for n in itertools.islice(_serial, size.tags))
    PartnerNetwork.objects.bulk_create(
        PartnerNetwork(region=region, name=f"Network {n}")
        for n in itertools.islice(_serial, size.per(100)))
    cities = batch.added[City] = City.objects.bulk_create(_cities(batch))
    _tag(region, cities)
    contacts = batch.added[Contact] = Contact.objects.bulk_create(
        _contact(city, position, n) for n, city in enumerate(cities)
        for position in POSITIONS)
    _score(region, cities)
    _history(region, cities, contacts)


def _cities(batch: Batch):
    region = batch.region
    owners = owners_of(region)
    networks = list(PartnerNetwork.objects.filter(region=region))
    for i, n in enumerate(itertools.islice(_serial, batch.size.cities)):
        stage = STAGES[i % len(STAGES)]
        yield City(region=region, name=f"{PREFIXES[i % len(PREFIXES)]} {n}",
                   local_name=f"Ciudad {n}",
                   country=COUNTRIES[n % len(COUNTRIES)], population=5_000 + n * 733 % 3_000_000,
                   stage=stage, tier=Tier.PIONEER if stage == Stage.MEMBER else Tier.ACTIVE,
                   owner=None if n % 7 == 0 else owners[n % len(owners)],
                   partner_network=networks[n % len(networks)] if n % 5 == 0 else None,
                   notes="Met at the regional forum." if n % 3 == 0 else "",
                   created_at=ago(n), stage_changed_at=ago(n // 2))


def _tag(region, cities) -> None:
    tags = list(Tag.objects.filter(region=region))
    City.tags.through.objects.bulk_create(
        City.tags.through(city=city, tag=tags[(n * 7 + k) % len(tags)])
        for n, city in enumerate(cities) for k in range(min(n % 4, len(tags))))


def _contact(city, position, n) -> Contact:
    return Contact(region=city.region, city=city, name=f"{position.label} of {city.name}",
                   position=position, is_key=position == Contact.Position.KEY_CONTACT,
                   email=f"contact{next(_serial)}@example.org", language="es",
                   is_national_government=position == Contact.Position.OTHER and n % 25 == 0,
                   is_forum_partner=position == Contact.Position.SECTION_CHIEF and n % 50 == 0)


def _score(region, cities) -> None:
    """Seven cities in ten scored on every criterion of the region."""
    criteria = list(Criterion.objects.filter(region=region))
    CriterionScore.objects.bulk_create(
        CriterionScore(region=region, city=city, criterion=criterion, score=(n + k) % 4,
                       scored_by=city.owner, scored_at=ago(n))
        for n, city in enumerate(cities) if n % 10 < 7
        for k, criterion in enumerate(criteria))
    recompute_priorities(region)


def _path(stage: str) -> list[str]:
    """The stages a city went through to reach `stage`."""
    if stage in ACTIVE:
        return ACTIVE[:ACTIVE.index(stage) + 1]
    return [Stage.LONG_LIST, Stage.SHORT_LIST, stage]


def _history(region, cities, contacts) -> None:
    """Stage changes and the audit entries the services write: added, moved, contacts."""
    changes = StageChange.objects.bulk_create(
        StageChange(region=region, city=city, from_stage=old, to_stage=new, actor=city.owner,
                    at=ago(n))
        for n, city in enumerate(cities)
        for old, new in itertools.pairwise(_path(city.stage)))
    city_type = ContentType.objects.get_for_model(City)

    def entry(city, action, n, **data):
        return AuditEntry(region=region, actor=city.owner, action=action,
                          content_type=city_type, object_id=city.pk, created_at=ago(n),
                          data=data)

    AuditEntry.objects.bulk_create(itertools.chain(
        (entry(city, "cities.city.created", n) for n, city in enumerate(cities)),
        (entry(c.city, "cities.city.stage_changed", n, old=c.from_stage, new=c.to_stage)
         for n, c in enumerate(changes)),
        (entry(c.city, "cities.contact.added", n, contact=c.name)
         for n, c in enumerate(contacts))))


add_background(add_pipeline)


def a_city(bench: Bench) -> dict:
    owner = owners_of(bench.region)[0]
    bench.subject = City.objects.create(
        region=bench.region, name=f"Bench City {next(_serial)}", country="CO",
        population=2_500_000, stage=Stage.IN_DIALOGUE, owner=owner)
    bench.subject.tags.set(Tag.objects.filter(region=bench.region)[:3])
    return {"region_slug": bench.region.slug, "city_id": bench.subject.pk}


def add_city_history(bench: Bench, rows: int) -> None:
    """A busy city: a contact for every ten timeline entries, all by the region's owners."""
    city = bench.subject
    Contact.objects.bulk_create(
        _contact(city, position, 1)
        for position in cycle(POSITIONS[1:], max(1, rows // 10)))
    add_history(bench, rows)


RS, FR = Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER
register(
    BenchPage("city-list", RS),
    BenchPage("city-list", RS, query="q=Puerto&stage=short_list"),
    BenchPage("city-list", FR),
    BenchPage("city-board", RS, max_ratio=8.0),
    BenchPage("city-detail", RS, a_city, add_city_history),
    BenchPage("city-list", RS, background=MANY_TAGS),
    BenchPage("city-board", RS, background=MANY_TAGS, max_ratio=8.0),
    BenchPage("city-detail", RS, a_city, add_city_history, background=MANY_TAGS),
    BenchPage("api:city-list", RS),
    BenchPage("city-scoring", RS),
    BenchPage("city-scoring", RS, query="q=Puerto&stage=short_list"),
    # The board's "show more": the next cards of its longest column.
    BenchPage("city-board-more", RS, query=f"stage={LL}&offset={BOARD_CARDS}"),
)

# The monthly dialogues: a year of them with the region's member cities, and their pages.
from .bench_dialogues import register_pages as register_dialogue_pages  # noqa: E402

register_dialogue_pages()

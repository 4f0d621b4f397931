"""The city table and the board in `manage.py bench` (registry: alliance/bench.py)."""

import itertools

from alliance.bench import Bench, BenchPage, add_history, people, register
from alliance.models import Role

from .models import City, Contact, Criterion, CriterionScore, Stage, Tag

_serial = itertools.count(1)  # city and tag names stay unique across seedings
STAGES = list(Stage)


def add_cities(bench: Bench, rows: int) -> None:
    """Cities in every stage, each with its own owner, tag, key contact and scores."""
    region = bench.region
    numbers = list(itertools.islice(_serial, rows))
    cities = City.objects.bulk_create(
        City(region=region, name=f"Bench City {n}", country="JP", population=1000 * n,
             stage=STAGES[n % len(STAGES)], owner=owner)
        for n, owner in zip(numbers, people(rows)))
    tags = Tag.objects.bulk_create(Tag(region=region, name=f"bench-{n}") for n in numbers)
    City.tags.through.objects.bulk_create(
        City.tags.through(city=city, tag=tag) for city, tag in zip(cities, tags))
    Contact.objects.bulk_create(
        Contact(region=region, city=city, name=f"Contact of {city.name}", is_key=True)
        for city in cities)
    criteria = list(Criterion.objects.filter(region=region))
    CriterionScore.objects.bulk_create(
        CriterionScore(region=region, city=city, criterion=criterion, score=(n + i) % 4)
        for n, city in zip(numbers, cities) for i, criterion in enumerate(criteria))


def a_city(bench: Bench) -> dict:
    bench.subject = City.objects.create(region=bench.region, name=f"Bench City {next(_serial)}",
                                        country="JP")
    return {"region_slug": bench.region.slug, "city_id": bench.subject.pk}


def add_city_history(bench: Bench, rows: int) -> None:
    """Contacts and timeline entries on the page's city, each by its own person."""
    city = bench.subject
    Contact.objects.bulk_create(
        Contact(region=city.region, city=city, name=f"Contact {n}") for n in range(rows))
    add_history(bench, rows)


RS, FR = Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER
register(
    BenchPage("city-list", RS, add_cities),
    BenchPage("city-list", FR, add_cities),
    BenchPage("city-board", RS, add_cities),
    BenchPage("city-detail", RS, add_city_history, prepare=a_city),
)

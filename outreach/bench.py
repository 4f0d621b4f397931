"""Outreach pages in `make bench` (alliance/bench.py): rows of what each page lists, each with
its own city, recipient and people, as real data has."""

import itertools

from alliance.bench import Bench, BenchPage, add_history, in_region, people, register
from alliance.models import Role
from cities.bench import a_city
from cities.models import City, Contact, PartnerNetwork

from .models import Letter, LetterKind, LetterTemplate, Material

_serial = itertools.count(1)  # keeps names unique across seedings


def _city(bench: Bench, **fields) -> City:
    return City(region=bench.region, name=f"Bench Outreach City {next(_serial)}", country="JP",
                **fields)


def _cities(bench: Bench, rows: int) -> list[City]:
    return City.objects.bulk_create(_city(bench) for _ in range(rows))


def add_letters(bench: Bench, rows: int) -> None:
    cities = _cities(bench, rows)
    contacts = Contact.objects.bulk_create(
        Contact(region=bench.region, city=city, name=f"Contact of {city.name}") for city in cities)
    Letter.objects.bulk_create(
        Letter(region=bench.region, city=city, contact=contact, owner=owner,
               kind=LetterKind.INQUIRY, subject=f"Inquiry to {city.name}", body="Dear ...")
        for city, contact, owner in zip(cities, contacts, people(rows)))


def add_city_letters(bench: Bench, rows: int) -> None:
    """Letters to the page's city (its letters section), each with its own recipient and owner."""
    city = bench.subject
    contacts = Contact.objects.bulk_create(
        Contact(region=city.region, city=city, name=f"Contact {n}") for n in range(rows))
    Letter.objects.bulk_create(
        Letter(region=city.region, city=city, contact=contact, kind=LetterKind.INQUIRY,
               owner=owner, subject=f"Inquiry {n}")
        for n, (contact, owner) in enumerate(zip(contacts, people(rows))))
    add_history(bench, rows)


def add_templates(bench: Bench, rows: int) -> None:
    LetterTemplate.objects.bulk_create(
        LetterTemplate(region=bench.region, kind=LetterKind.INQUIRY, language="en",
                       name=f"Bench template {next(_serial)}", subject="Joining {{ region }}",
                       body="Dear {{ contact }}, ...") for _ in range(rows))


def add_partners(bench: Bench, rows: int) -> None:
    partners = PartnerNetwork.objects.bulk_create(
        PartnerNetwork(region=bench.region, name=f"Bench network {next(_serial)}")
        for _ in range(rows))
    City.objects.bulk_create(_city(bench, partner_network=partner)
                             for partner in partners for _ in range(2))


def add_materials(bench: Bench, rows: int) -> None:
    Material.objects.bulk_create(
        Material(region=bench.region, title=f"Bench brochure {next(_serial)}", language="en",
                 file=f"materials/{bench.region.pk}/bench.pdf", size=1000, uploaded_by=person)
        for person in people(rows))


def a_letter(bench: Bench) -> dict:
    [city] = _cities(bench, 1)
    contact = Contact.objects.create(region=bench.region, city=city, name="Minister's office",
                                     is_national_government=True)
    bench.subject = Letter.objects.create(
        region=bench.region, city=city, contact=contact, owner=bench.user,
        kind=LetterKind.INVITATION, subject="Invitation", body="Dear ...", char_limit=500)
    return {**in_region(bench), "letter_id": bench.subject.pk}


RS = Role.REGIONAL_SECRETARIAT
register(
    # The city page as a reviewer reads it before clearing an approach: many letters.
    BenchPage("city-detail", Role.FORUM_REVIEWER, add_city_letters, prepare=a_city),
    BenchPage("letter-list", RS, add_letters),
    BenchPage("letter-detail", RS, add_history, prepare=a_letter),
    BenchPage("template-list", RS, add_templates),
    BenchPage("partner-list", RS, add_partners),
    BenchPage("material-list", RS, add_materials),
    BenchPage("material-list", Role.CITY_CONTACT, add_materials),
)

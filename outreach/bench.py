"""Outreach in `make bench` (registry: alliance/bench.py): the letters, approvals, templates,
partners and materials of a region in real proportions, and the pages measured on them."""

import itertools

from django.contrib.contenttypes.models import ContentType

from alliance.bench import (
    Batch,
    Bench,
    BenchPage,
    add_background,
    add_history,
    ago,
    approval,
    cycle,
    in_region,
    owners_of,
    register,
)
from alliance.models import ApprovalRequest, AuditEntry, Role
from cities.bench import a_city
from cities.models import City, Contact, Stage

from .models import Letter, LetterKind, LetterOfIntent, LetterTemplate, Material
from .services.letters import ENGAGEMENT_CLEARANCE, LEGAL_DOCUMENT

_serial = itertools.count(1)  # keeps names unique across rounds
State = Letter.State
BODY = "Dear colleague,\n\n" + "The Regional Alliance brings cities together. " * 12
# The letters a city at each stage has had, oldest first: (kind, state).
INQUIRY_SENT = (LetterKind.INQUIRY, State.SENT)
ANSWERED = (LetterKind.INQUIRY, State.ANSWERED)
INVITED = (LetterKind.INVITATION, State.SENT)
LETTERS_AT = {
    Stage.SHORT_LIST: [(LetterKind.INQUIRY, State.DRAFT)],
    Stage.CONTACTED: [INQUIRY_SENT],
    Stage.IN_DIALOGUE: [ANSWERED, (LetterKind.INVITATION, State.DRAFT)],
    Stage.COMMITTED: [ANSWERED, INVITED, (LetterKind.LETTER_OF_INTENT, State.DRAFT)],
    Stage.MEMBER: [ANSWERED, INVITED, (LetterKind.LETTER_OF_INTENT, State.ANSWERED)],
    Stage.DECLINED: [(LetterKind.INQUIRY, State.NO_ANSWER)],
    Stage.PAUSED: [INQUIRY_SENT, (LetterKind.FOLLOW_UP, State.SENT)],
}


def add_outreach(batch: Batch) -> None:
    """Templates, materials, the letters each city's stage implies (to its key contact, by
    its owner), their intents, history and approvals, and clearances of sensitive contacts."""
    region, size = batch.region, batch.size
    LetterTemplate.objects.bulk_create(_template(region, n) for n in range(size.per(100)))
    owners = owners_of(region)
    Material.objects.bulk_create(
        Material(region=region, title=f"Brochure {next(_serial)}", language="es",
                 file=f"materials/{region.pk}/bench.pdf", size=250_000, uploaded_by=person)
        for person in cycle(owners, size.per(100)))
    contacts = batch.added[Contact]
    key_contacts = {c.city_id: c for c in contacts if c.is_key}
    letters = Letter.objects.bulk_create(
        _letter(city, key_contacts[city.pk], kind, state, n)
        for n, city in enumerate(batch.added[City])
        for kind, state in LETTERS_AT.get(city.stage, []))
    LetterOfIntent.objects.bulk_create(_intent(letter) for letter in letters
                                       if letter.kind == LetterKind.LETTER_OF_INTENT)
    _letter_history(region, letters)
    _approvals(batch, letters, [c for c in contacts if c.needs_clearance], owners[0])


def _template(region, n) -> LetterTemplate:
    kind = LetterKind.values[n % len(LetterKind.values)]
    return LetterTemplate(region=region, kind=kind, language=["es", "en", "ja"][n % 3],
                          name=f"Template {next(_serial)}", subject="Joining {{ region }}",
                          body="Dear {{ contact }}, ...")


def _letter(city, contact, kind, state, n) -> Letter:
    sent = None if state == State.DRAFT else ago(n)
    return Letter(region=city.region, city=city, contact=contact, owner=city.owner, kind=kind,
                  state=state, language="es", subject=f"{LetterKind(kind).label}: {city.name}",
                  body=BODY, created_at=ago(n + 48), sent_at=sent,
                  answered_at=ago(n) if state == State.ANSWERED else None)


def _intent(letter) -> LetterOfIntent:
    terms = dict.fromkeys(LetterOfIntent.CONTENT, f"As agreed with {letter.city.name}.")
    return LetterOfIntent(region=letter.region, letter=letter,
                          **{**terms, "validity_period": "Two years"})


def _letter_history(region, letters) -> None:
    letter_type = ContentType.objects.get_for_model(Letter)
    AuditEntry.objects.bulk_create(
        AuditEntry(region=region, actor=letter.owner, action=action, content_type=letter_type,
                   object_id=letter.pk, created_at=letter.created_at, data={})
        for letter in letters
        for action in ["outreach.letter.drafted"]
        + ([] if letter.is_draft else ["outreach.letter.sent"]))


def _approvals(batch: Batch, letters, sensitive_contacts, secretary) -> None:
    """Legal approval of every Forum-issued letter (pending while it is a draft) and a
    clearance of every sensitive contact (every other one still pending)."""
    region, users = batch.region, batch.bench.users
    letter_type, contact_type = (ContentType.objects.get_for_model(m) for m in (Letter, Contact))
    legal = (approval(region, LEGAL_DOCUMENT, Role.GLOBAL_SECRETARIAT, letter_type, letter.pk,
                      letter.subject, letter.owner or secretary,
                      decided_by=None if letter.is_draft else users[Role.GLOBAL_SECRETARIAT])
             for letter in letters if letter.is_forum_issued)
    clearances = (approval(region, ENGAGEMENT_CLEARANCE, Role.FORUM_REVIEWER, contact_type,
                           contact.pk, f"Approach {contact.name}", secretary,
                           decided_by=users[Role.FORUM_REVIEWER] if n % 2 else None)
                  for n, contact in enumerate(sensitive_contacts))
    ApprovalRequest.objects.bulk_create(itertools.chain(legal, clearances))


add_background(add_outreach)


def a_letter(bench: Bench) -> dict:
    """An invitation to a national government official, waiting for its approvals."""
    a_city(bench)
    city = bench.subject
    contact = Contact.objects.create(region=bench.region, city=city, name="Minister's office",
                                     is_national_government=True)
    bench.subject = Letter.objects.create(
        region=bench.region, city=city, contact=contact, owner=city.owner,
        kind=LetterKind.INVITATION, subject="Invitation", body=BODY, char_limit=2000)
    return {**in_region(bench), "letter_id": bench.subject.pk}


def add_city_letters(bench: Bench, rows: int) -> None:
    """Letters to the page's city (its letters section) from its owners, and its history."""
    city = bench.subject
    contact = Contact.objects.create(region=city.region, city=city, name="Planning office")
    Letter.objects.bulk_create(
        _letter(city, contact, LetterKind.INQUIRY, State.SENT, n) for n in range(rows))
    add_history(bench, rows)


def a_clearance(bench: Bench) -> dict:
    """A reviewer's decision page: clearance to approach a Forum Partner's employee."""
    a_city(bench)
    contact = Contact.objects.create(region=bench.region, city=bench.subject,
                                     name="Partner liaison", is_forum_partner=True)
    return _pending(bench, ENGAGEMENT_CLEARANCE, Role.FORUM_REVIEWER, contact)


def a_legal_approval(bench: Bench) -> dict:
    """The Global Secretariat's decision page: a letter of intent with its terms and PDF."""
    a_letter(bench)
    letter = bench.subject
    letter.kind = LetterKind.LETTER_OF_INTENT
    letter.save(update_fields=["kind"])
    LetterOfIntent.objects.bulk_create([_intent(letter)])
    return _pending(bench, LEGAL_DOCUMENT, Role.GLOBAL_SECRETARIAT, letter)


def _pending(bench: Bench, kind, route_role, target) -> dict:
    content_type = ContentType.objects.get_for_model(target)
    [bench.subject] = ApprovalRequest.objects.bulk_create([approval(
        bench.region, kind, route_role, content_type, target.pk, f"Bench {kind}",
        owners_of(bench.region)[0], decided_by=None)])
    return {**in_region(bench), "approval_id": bench.subject.pk}


RS, FR, GS = Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER, Role.GLOBAL_SECRETARIAT
register(
    # The city page as a reviewer reads it before clearing an approach: many letters.
    BenchPage("city-detail", FR, a_city, add_city_letters),
    BenchPage("letter-list", RS),
    BenchPage("letter-detail", RS, a_letter, add_history),
    BenchPage("approval-detail", FR, a_clearance, add_history),
    BenchPage("approval-detail", GS, a_legal_approval, add_history),
    BenchPage("api:letter-list", RS),
    BenchPage("template-list", RS),
    BenchPage("partner-list", RS),
    BenchPage("material-list", RS),
    BenchPage("material-list", Role.CITY_CONTACT),
)

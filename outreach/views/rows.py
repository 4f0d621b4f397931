"""The letter list's rows and the city page's letter lines, written once per page (as the
city table's rows: cities.views.rows).

Through the template engine a row's link, labels and date cost several times the rest of
the page; here each is a dict lookup or a string operation."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alliance.labels import labels_of
from alliance.views import url_prefix

from ..models import Letter, LetterKind

NOTHING = "—"
ROW = ('<tr><td><a href="{letter_url}{id}/">{subject}</a></td><td>{city}</td>'
       '<td>{recipient}</td><td>{kind}</td>'
       '<td><span class="state state-{state}">{state_label}</span></td>'
       '<td>{owner}</td><td>{sent}</td></tr>')


# A line of the city page's letters section (outreach/_city_letters.html).
LINE = ('<li><a href="{letter_url}{id}/">{subject}</a> · {kind} · '
        '<span class="state state-{state}">{state_label}</span>{recipient}</li>')


class _Words:
    """The letter URL's prefix and the kind and state labels, escaped once per page."""

    def __init__(self, region):
        self.letter_url = escape(url_prefix("letter-detail", "letter_id",
                                            region_slug=region.slug))
        self.kinds = {key: escape(label) for key, label in labels_of(LetterKind).items()}
        self.states = {key: escape(label) for key, label in labels_of(Letter.State).items()}


def letter_rows(letters, *, region) -> SafeString:
    """The `<tr>`s of `letters` (with their city, contact and owner selected)."""
    words = _Words(region)
    kinds, states = words.kinds, words.states
    return mark_safe("".join(ROW.format(
        letter_url=words.letter_url, id=letter.pk, subject=escape(letter.subject),
        city=escape(letter.city.name),
        recipient=escape(letter.contact.name) if letter.contact else NOTHING,
        kind=kinds[letter.kind], state=letter.state, state_label=states[letter.state],
        owner=escape(str(letter.owner)) if letter.owner else NOTHING,
        # The day in the region's time zone, as written in every language: year-month-day.
        sent=timezone.localtime(letter.sent_at).date().isoformat() if letter.sent_at
        else NOTHING,
    ) for letter in letters))


def letter_lines(letters, *, region) -> SafeString:
    """The `<li>`s of a city's `letters` (with their contact's name selected)."""
    words = _Words(region)
    return mark_safe("".join(LINE.format(
        letter_url=words.letter_url, id=letter.pk, subject=escape(letter.subject),
        kind=words.kinds[letter.kind], state=letter.state,
        state_label=words.states[letter.state],
        recipient=f" · {escape(letter.contact.name)}" if letter.contact else "",
    ) for letter in letters))

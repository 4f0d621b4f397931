"""What a table row or a board card shows, prepared once per page.

A board draws a couple of hundred cards and a table page up to a hundred rows. Per row, a
`{% url %}`, a translated label, a country name or a localized number each cost more than
the rest of the row; built once per page here, each is a dict lookup or a string operation.
Rows and cards are filled-in template strings: through the template engine, their dozen
fields each cost more than the whole row does here.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import get_format, number_format
from django.utils.html import conditional_escape, escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_countries import countries

from alliance.labels import labels_of
from alliance.templatetags.portal import icon

from ..models import City, Stage, Tier
from ..templatetags.city_page import priority

NOTHING = "—"


def url_prefix(url_name: str, **kwargs) -> str:
    """The URL of `url_name` for object 0, cut before the 0: a row appends its id and "/"."""
    url = reverse(url_name, kwargs={**kwargs, "city_id": 0})
    return url[:url.rindex("/0/") + 1]


class RowFacts:
    """Labels, names and number formats of the current language, looked up once."""

    def __init__(self, region):
        self.city_url = url_prefix("city-detail", region_slug=region.slug)
        self.stage_labels = labels_of(Stage)
        self.tier_labels = labels_of(Tier)
        self.thousands = get_format("THOUSAND_SEPARATOR")
        self.decimal = get_format("DECIMAL_SEPARATOR")
        # Groups of three, as every shipped language writes them, take the quick way; any
        # other grouping (lakhs, say) goes through Django's formatter.
        self.by_thousands = get_format("NUMBER_GROUPING") == 3
        self._country_names: dict[str, str] = {}

    def whole(self, number: int | None) -> str:
        """A whole number grouped as the language writes it, the same as `floatformat:"0g"`."""
        if number is None:
            return NOTHING
        if self.by_thousands:
            return f"{number:,}".replace(",", self.thousands)
        return number_format(number, force_grouping=True)

    def one_decimal(self, number: float | None) -> str:
        return NOTHING if number is None else f"{number:.1f}".replace(".", self.decimal)

    def country_name(self, code: str) -> str:
        if code not in self._country_names:
            self._country_names[code] = countries.name(code)
        return self._country_names[code]


# A board card. Its fixed parts are filled in once per page and each card fills in its own
# fields: static/js/board.js and cities.css read this markup.
CARD = ('<li class="board-card" id="card-{id}"{draggable}>'
        '<a class="card-title" id="card-title-{id}" href="{city_url}{id}/" draggable="false">'
        '{name}</a>{menu}<p class="card-facts">{country} · {tier}</p>'
        '<p class="card-facts">{priority_label} {priority} · '
        '<span class="visually-hidden">{owner_label}: </span>{owner}</p></li>')
# The card's menu (board.js opens the move dialog); aria-describedby names the city.
MENU = ('<button type="button" class="card-menu btn btn-sm" aria-haspopup="dialog" '
        'aria-describedby="card-title-{id}" title="{move_label}">{menu_icon}'
        '<span class="visually-hidden">{move_label}</span></button>')


class _LaterFields(dict):
    """For str.format_map: a field with no value yet stays a field, for the second pass."""

    def __missing__(self, key):
        return f"{{{key}}}"


def _fixed(text) -> str:
    """A fixed part of the card: escaped once, its braces doubled for the second pass."""
    return str(conditional_escape(text)).replace("{", "{{").replace("}", "}}")


class BoardCards:
    """Board cards as HTML, from `queries.board` rows. A board draws a couple of hundred
    cards: through the template engine, or format_html per card, they cost several times
    the rest of the page; a template string filled in per card costs a few microseconds."""

    def __init__(self, facts: RowFacts, *, may_move: bool):
        self.facts = facts
        self.may_move = may_move
        self.tier_labels = {key: escape(label) for key, label in facts.tier_labels.items()}
        fixed = {"city_url": _fixed(facts.city_url), "priority_label": _fixed(_("Priority")),
                 "owner_label": _fixed(_("Owner")), "menu": "", "draggable": ""}
        if may_move:
            fixed["draggable"] = ' draggable="true"'
            fixed["menu"] = MENU.format_map(_LaterFields(
                move_label=_fixed(_("Move")), menu_icon=_fixed(icon("three-dots-vertical"))))
        self.template = CARD.format_map(_LaterFields(fixed))

    def html(self, cards) -> SafeString:
        return mark_safe("".join(self.template.format(
            id=card["pk"], name=escape(card["name"]),
            country=escape(self.facts.country_name(card["country"])),
            tier=self.tier_labels[card["tier"]], priority=self.facts.one_decimal(card["priority"]),
            owner=escape(card["owner__full_name"] or card["owner__email"] or NOTHING),
        ) for card in cards))


# A row of the city table (cities/templates/cities/city_list.html; static/js/city_table.js
# reads its ticks). The name links to the city's page with the table's query (`?from=`),
# so that the page's previous and next city follow this list.
ROW = ('<tr>{tick}<th scope="row"><a href="{city_url}{id}/{from_table}">{name}</a></th>'
       '<td>{local_name}</td><td>{country}</td><td class="number">{population}</td>'
       '<td>{tier}</td><td><span class="state state-{stage}">{stage_label}</span></td>'
       '<td>{owner}</td><td class="number">{priority}</td><td>{tags}</td>'
       '<td>{key_contact}</td></tr>')
TICK = ('<td><input type="checkbox" class="form-check-input" name="cities" value="{id}" '
        'aria-label="{label}"{checked}></td>')
TAG = '<span class="pill">{}</span> '


class TableRows:
    """City table rows as HTML, from `queries.table_rows` values. `ticked` is None when the
    person may not tick rows (no tick column), else the ids to show ticked (after a
    refusal)."""

    def __init__(self, facts: RowFacts, *, table_query: str, ticked: set[str] | None):
        self.facts = facts
        self.ticked = ticked
        self.city_url = escape(facts.city_url)
        self.from_table = escape(f"?{urlencode({'from': table_query})}")
        self.select_label = _("Select %(name)s")
        self.tier_labels = {key: escape(label) for key, label in facts.tier_labels.items()}
        self.stage_labels = {key: escape(label) for key, label in facts.stage_labels.items()}

    def html(self, cities: list[dict], *, tags: dict[int, list[str]],
             key_contacts: dict[int, str]) -> SafeString:
        """The rows of `cities`, with their `tags` and `key_contacts` by city id."""
        return mark_safe("".join(self._row(city, tags.get(city["pk"], ()),
                                           key_contacts.get(city["pk"]))
                                 for city in cities))

    def _row(self, city: dict, tags, key_contact: str | None) -> str:
        facts = self.facts
        return ROW.format(
            tick=self._tick(city), city_url=self.city_url, id=city["pk"],
            from_table=self.from_table, name=escape(city["name"]),
            local_name=escape(city["local_name"]),
            country=escape(facts.country_name(city["country"])),
            population=facts.whole(city["population"]), tier=self.tier_labels[city["tier"]],
            stage=city["stage"], stage_label=self.stage_labels[city["stage"]],
            owner=escape(city["owner__full_name"] or city["owner__email"] or NOTHING),
            priority=facts.one_decimal(city["priority"]),
            tags="".join(TAG.format(escape(name)) for name in tags) or NOTHING,
            key_contact=escape(key_contact) if key_contact else NOTHING)

    def _tick(self, city: dict) -> str:
        if self.ticked is None:
            return ""
        return TICK.format(id=city["pk"],
                           label=escape(self.select_label % {"name": city["name"]}),
                           checked=" checked" if str(city["pk"]) in self.ticked else "")


# A row of the scoring grid (cities/templates/cities/scoring_grid.html; static/js/scoring.js
# reads its cells, their saved mark and error, and the priority).
GRID_ROW = ('<tr data-city="{id}"><th scope="row" id="city-{id}">'
            '<a href="{city_url}{id}/{from_table}">{name}</a> '
            '<span class="state state-{stage}">{stage_label}</span></th>{cells}'
            '<td class="number" data-priority>{priority}</td></tr>')
SCORE_INPUT = ('<td class="score-cell"><input type="text" inputmode="numeric" maxlength="1" '
               'autocomplete="off" class="form-control" name="score_{city}_{criterion}" '
               'id="score-{city}-{criterion}" value="{value}" '
               'aria-labelledby="city-{city} criterion-{criterion}" '
               'aria-describedby="error-{city}-{criterion}" data-score-cell>'
               '<span class="cell-saved" aria-hidden="true">{saved_icon}</span>'
               '<span class="cell-error" id="error-{city}-{criterion}"></span></td>')
SCORE_SHOWN = '<td class="score-cell">{value}</td>'


class GridRows:
    """Scoring grid rows as HTML: a city by the region's criteria, each cell an input for
    people who may score, else the score. A page holds 25 cities by a few criteria: through
    the template engine, their cells cost more than the rest of the page."""

    def __init__(self, facts: RowFacts, *, criteria: list, table_query: str, may_score: bool):
        self.facts = facts
        self.criteria = [criterion.pk for criterion in criteria]
        self.may_score = may_score
        self.city_url = escape(facts.city_url)
        self.from_table = escape(f"?{urlencode({'from': table_query})}")
        self.saved_icon = icon("check-lg")
        self.stage_labels = {key: escape(label) for key, label in facts.stage_labels.items()}

    def html(self, cities, scores: dict) -> SafeString:
        """The rows of `cities` (model instances of queries.scoring_rows), with `scores`
        {(city id, criterion id): CriterionScore} (queries.scores_of)."""
        return mark_safe("".join(self._row(city, scores) for city in cities))

    def _row(self, city: City, scores: dict) -> str:
        cells = "".join(self._cell(city.pk, criterion, scores.get((city.pk, criterion)))
                        for criterion in self.criteria)
        return GRID_ROW.format(
            id=city.pk, city_url=self.city_url, from_table=self.from_table,
            name=escape(city.name), stage=city.stage,
            stage_label=self.stage_labels[city.stage], cells=cells,
            priority=escape(priority(city.priority)))

    def _cell(self, city_id: int, criterion_id: int, score) -> str:
        value = None if score is None else score.score
        if not self.may_score:
            return SCORE_SHOWN.format(value=NOTHING if value is None else value)
        return SCORE_INPUT.format(city=city_id, criterion=criterion_id,
                                  value="" if value is None else value,
                                  saved_icon=self.saved_icon)

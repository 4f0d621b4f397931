"""Charts drawn on the server as SVG, the same markup in the page and in the PDF reports.

Scores run 0-100 along the horizontal axis. Colours are presentation attributes (the page's
Content-Security-Policy forbids style attributes); each chart is an image with a title and a
description, and the page or report shows the same figures in a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from alliance.templatetags.formats import decimal

from .benchmarks import PRIVACY_FLOOR, Figures

WIDTH = 640
LEFT, RIGHT = 12, 628  # where 0 and 100 lie
ROW = 46  # height of a row: its label, then its box or bar
AXIS = 28  # height of the scale below the rows
TICKS = (0, 25, 50, 75, 100)

INK = "#1a1f2b"
MUTED = "#4a5262"
GRID = "#c9ced8"
BOX_FILL = "#dbe8f5"
BOX_LINE = "#0b4f8a"
MEDIAN = "#0b3d6b"
MARKER = "#b3540b"
BAR = "#0b4f8a"


def x_of(score: float) -> float:
    """The horizontal position of a score, 0-100 clamped."""
    score = min(max(score, 0.0), 100.0)
    return round(LEFT + (RIGHT - LEFT) * score / 100, 2)


def shown_number(value: float | None) -> str:
    return "–" if value is None else number_format(round(value), 0)


@dataclass
class BoxRow:
    label: str
    figures: Figures
    marker: float | None = None  # the city's own score


def _frame(chart_id: str, height: int, title: str, description: str, body: str) -> SafeString:
    # On a phone the frame scrolls sideways (static/css/portal.css), keeping the text
    # readable; it takes the keyboard focus so that it can be scrolled without a mouse.
    return format_html(
        '<div class="chart-frame" tabindex="0" role="group" aria-labelledby="{id}-title">'
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart img-fluid" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{id}-title {id}-desc" font-size="13" fill="{ink}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>'
        '</div>',
        w=WIDTH, h=height, id=chart_id, ink=INK, title=title, desc=description,
        body=mark_safe(body))


def _axis(top: int, bottom: int) -> str:
    parts = []
    for tick in TICKS:
        x = x_of(tick)
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        parts.append(
            f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{GRID}" '
            f'stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text x="{x}" y="{bottom + 16}" text-anchor="{anchor}" fill="{MUTED}" '
            f'font-size="11">{tick}</text>')
    return "".join(parts)


def _box(y: int, figures: Figures) -> str:
    """Whiskers from minimum to maximum, a box from the first to the third quartile, and
    a thick line at the median."""
    low, q1, median, q3, high = (x_of(v) for v in (figures.minimum, figures.q1,
                                                   figures.median, figures.q3,
                                                   figures.maximum))
    m = y + 9
    whisker = f'stroke="{MUTED}" stroke-width="1.5"'
    return (
        f'<g class="chart-distribution">'
        f'<line class="chart-whisker" x1="{low}" y1="{m}" x2="{high}" y2="{m}" {whisker}/>'
        f'<line x1="{low}" y1="{m - 5}" x2="{low}" y2="{m + 5}" {whisker}/>'
        f'<line x1="{high}" y1="{m - 5}" x2="{high}" y2="{m + 5}" {whisker}/>'
        f'<rect class="chart-box" x="{q1}" y="{y}" width="{round(q3 - q1, 2)}" height="18" '
        f'fill="{BOX_FILL}" stroke="{BOX_LINE}" stroke-width="1.5"/>'
        f'<line class="chart-median" x1="{median}" y1="{y}" x2="{median}" y2="{y + 18}" '
        f'stroke="{MEDIAN}" stroke-width="3"/></g>')


def _marker(y: int, score: float, label: str) -> str:
    x, middle = x_of(score), y + 9
    points = f"{x},{middle - 8} {x + 8},{middle} {x},{middle + 8} {x - 8},{middle}"
    return (f'<polygon class="chart-marker" points="{points}" fill="{MARKER}" '
            f'stroke="#ffffff" stroke-width="1.5"><title>{escape(label)}</title></polygon>')


def _label(y: int, text: str) -> str:
    return f'<text class="chart-label" x="{LEFT}" y="{y}" font-weight="bold">{escape(text)}</text>'


def _note(y: int, text: str, css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    return (f'<text{attribute} x="{LEFT}" y="{y}" fill="{MUTED}" font-style="italic">'
            f'{escape(text)}</text>')


def box_plot(rows: list[BoxRow], *, chart_id: str, title: str, description: str = "",
             marker_label: str = "") -> SafeString:
    """One row per principle (or region): its distribution as a box plot, and the city's
    score as a diamond. A row under the privacy floor says so instead of drawing."""
    height = len(rows) * ROW + AXIS + 4
    parts = [_axis(4, len(rows) * ROW)]
    hidden = _("Fewer than 5 cities: no figures are shown.")
    for index, row in enumerate(rows):
        top = index * ROW + 4
        parts.append(_label(top + 12, row.label))
        shape_top = top + 20
        if row.figures.shown:
            parts.append(_box(shape_top, row.figures))
        else:
            parts.append(_note(shape_top + 13, hidden, "chart-hidden"))
        if row.marker is not None:
            label = _("%(who)s: %(score)s") % {"who": marker_label or _("This city"),
                                               "score": shown_number(row.marker)}
            parts.append(_marker(shape_top, row.marker, label))
    if not description:
        description = _("Scores from 0 to 100: whiskers from the lowest to the highest score, "
                        "a box from the first to the third quartile, a thick line at the "
                        "median.")
        if any(row.marker is not None for row in rows):
            description += " " + _("The diamond marks %(who)s.") % {
                "who": marker_label or _("this city")}
    return _frame(chart_id, height, title, description, "".join(parts))


def bar_chart(rows: list[tuple[str, float | None]], *, chart_id: str, title: str,
              description: str = "") -> SafeString:
    """One bar per principle: the score, 0-100, written at the bar's end."""
    height = len(rows) * ROW + AXIS + 4
    parts = [_axis(4, len(rows) * ROW)]
    not_scored = _("Not scored")
    for index, (label, score) in enumerate(rows):
        top = index * ROW + 4
        parts.append(_label(top + 12, label))
        if score is None:
            parts.append(_note(top + 33, not_scored))
            continue
        inside = score >= 90  # the value is written inside the bar's end, in white
        parts.append(
            f'<rect class="chart-bar" x="{LEFT}" y="{top + 20}" '
            f'width="{round(x_of(score) - LEFT, 2)}" height="18" fill="{BAR}"/>'
            f'<text class="chart-value" x="{x_of(score) + (-4 if inside else 4)}" '
            f'y="{top + 34}" text-anchor="{"end" if inside else "start"}" '
            f'fill="{"#ffffff" if inside else INK}">{escape(shown_number(score))}</text>')
    if not description:
        description = _("Scores from 0 to 100, one bar per principle.")
    return _frame(chart_id, height, title, description, "".join(parts))


def table_rows(rows, *, own: bool = False) -> SafeString:
    """The body of the table beside a chart: per line its label, the city's score when
    `own`, the five figures (or why there are none), and the change since last year when
    `own`. `rows`: benchmark rows, or a city's lines (with score and change)."""
    hidden = escape(_("Fewer than %(floor)s cities: no figures.") % {"floor": PRIVACY_FLOOR})
    body = []
    for row in rows:
        cells = [f'<th scope="row">{escape(row.label)}</th>']
        if own:
            cells.append(f'<td class="number">{_number(row.score)}</td>')
        figures = row.figures
        if figures.shown:
            cells.extend(f'<td class="number">{_number(value)}</td>' for value in (
                figures.minimum, figures.q1, figures.median, figures.q3, figures.maximum))
        else:
            cells.append(f'<td colspan="5">{hidden}</td>')
        if own:
            cells.append(f'<td class="number">{_change(row.change)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("".join(body))


def _number(value: float | None) -> str:
    return "–" if value is None else escape(decimal(value, 0))


def _change(value: float | None) -> str:
    if value is None:
        return "–"
    return ("+" if round(value) > 0 else "") + escape(decimal(value, 0))

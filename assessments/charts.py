"""Charts drawn on the server as SVG, the same markup in the page and in the PDF reports.

Scores run 0-100 along the horizontal axis. Colours are presentation attributes (the page's
Content-Security-Policy forbids style attributes); each chart is an image with a title and a
description, and the page or report shows the same figures in a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .benchmarks import Figures

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
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{id}-title {id}-desc" font-size="13" fill="{ink}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=WIDTH, h=height, id=chart_id, ink=INK, title=title, desc=description,
        body=mark_safe(body))


def _axis(top: int, bottom: int) -> str:
    lines = format_html_join(
        "", '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}" stroke-width="1" '
        'stroke-dasharray="2 3"/>'
        '<text x="{0}" y="{4}" text-anchor="{5}" fill="{6}" font-size="11">{7}</text>',
        ((x_of(t), top, bottom, GRID, bottom + 16,
          "start" if t == 0 else "end" if t == 100 else "middle", MUTED, t) for t in TICKS))
    return str(lines)


def _box(y: int, figures: Figures) -> str:
    """Whiskers from minimum to maximum, a box from the first to the third quartile, and
    a thick line at the median."""
    low, q1, median, q3, high = (x_of(v) for v in (figures.minimum, figures.q1,
                                                   figures.median, figures.q3,
                                                   figures.maximum))
    middle = y + 9
    return format_html(
        '<g class="chart-distribution">'
        '<line class="chart-whisker" x1="{low}" y1="{m}" x2="{high}" y2="{m}" '
        'stroke="{muted}" stroke-width="1.5"/>'
        '<line x1="{low}" y1="{top}" x2="{low}" y2="{bottom}" stroke="{muted}" '
        'stroke-width="1.5"/>'
        '<line x1="{high}" y1="{top}" x2="{high}" y2="{bottom}" stroke="{muted}" '
        'stroke-width="1.5"/>'
        '<rect class="chart-box" x="{q1}" y="{y}" width="{width}" height="18" fill="{fill}" '
        'stroke="{line}" stroke-width="1.5"/>'
        '<line class="chart-median" x1="{median}" y1="{y}" x2="{median}" y2="{end}" '
        'stroke="{dark}" stroke-width="3"/></g>',
        low=low, high=high, m=middle, top=middle - 5, bottom=middle + 5, muted=MUTED, q1=q1,
        y=y, width=round(q3 - q1, 2), fill=BOX_FILL, line=BOX_LINE, median=median, end=y + 18,
        dark=MEDIAN)


def _marker(y: int, score: float, label: str) -> str:
    x, middle = x_of(score), y + 9
    points = f"{x},{middle - 8} {x + 8},{middle} {x},{middle + 8} {x - 8},{middle}"
    return format_html(
        '<polygon class="chart-marker" points="{points}" fill="{fill}" stroke="#ffffff" '
        'stroke-width="1.5"><title>{label}</title></polygon>',
        points=points, fill=MARKER, label=label)


def box_plot(rows: list[BoxRow], *, chart_id: str, title: str, description: str = "",
             marker_label: str = "") -> SafeString:
    """One row per principle (or region): its distribution as a box plot, and the city's
    score as a diamond. A row under the privacy floor says so instead of drawing."""
    height = len(rows) * ROW + AXIS + 4
    parts = [_axis(4, len(rows) * ROW)]
    for index, row in enumerate(rows):
        top = index * ROW + 4
        parts.append(str(format_html(
            '<text class="chart-label" x="{}" y="{}" font-weight="bold">{}</text>',
            LEFT, top + 12, row.label)))
        shape_top = top + 20
        if row.figures.shown:
            parts.append(_box(shape_top, row.figures))
        else:
            parts.append(str(format_html(
                '<text class="chart-hidden" x="{}" y="{}" fill="{}" font-style="italic">{}</text>',
                LEFT, shape_top + 13, MUTED,
                _("Fewer than 5 cities: no figures are shown."))))
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
    for index, (label, score) in enumerate(rows):
        top = index * ROW + 4
        parts.append(str(format_html(
            '<text class="chart-label" x="{}" y="{}" font-weight="bold">{}</text>',
            LEFT, top + 12, label)))
        if score is None:
            parts.append(str(format_html(
                '<text x="{}" y="{}" fill="{}" font-style="italic">{}</text>',
                LEFT, top + 33, MUTED, _("Not scored"))))
            continue
        width = round(x_of(score) - LEFT, 2)
        parts.append(str(format_html(
            '<rect class="chart-bar" x="{}" y="{}" width="{}" height="18" fill="{}"/>'
            '<text class="chart-value" x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>',
            LEFT, top + 20, width, BAR, x_of(score) + (4 if score < 90 else -4), top + 34,
            "start" if score < 90 else "end", INK if score < 90 else "#ffffff",
            shown_number(score))))
    if not description:
        description = _("Scores from 0 to 100, one bar per principle.")
    return _frame(chart_id, height, title, description, "".join(parts))

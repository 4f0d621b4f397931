"""The Preparation indicator's funnel as an SVG bar chart, laid out on the server so the page
and a PDF report draw the same picture (no script, no inline style: CSP allows neither)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import stages

register = template.Library()

LABEL_WIDTH, BAR_SPACE, COUNT_WIDTH = 140, 300, 40
ROW, BAR = 26, 18
# Cities intending to participate, the rest of the pipeline, and those outside it.
FILLS = {"intending": "#1d6b38", "pipeline": "#0b4f8a", "outside": "#6b7280"}


def _fill(stage: str) -> str:
    if stage in stages.INTENDING:
        return FILLS["intending"]
    return FILLS["pipeline"] if stage in stages.ACTIVE else FILLS["outside"]


@register.simple_tag(takes_context=True)
def preparation_numbers(context) -> dict:
    """intending, target and funnel: given to the partial directly, or inside the `panel` the
    region dashboard includes it with (alliance.panels)."""
    source = context.get("panel") or context
    return {name: source.get(name) for name in ("intending", "target", "funnel")}


@register.simple_tag
def funnel_chart(funnel) -> dict:
    """Geometry for `funnel` [(stage, label, count), ...]: one bar per stage, scaled to the
    largest count."""
    largest = max((count for _stage, _label, count in funnel), default=0) or 1
    bars = []
    for index, (stage, label, count) in enumerate(funnel):
        width = round(BAR_SPACE * count / largest)
        bars.append({"stage": stage, "label": label, "count": count, "width": width,
                     "y": index * ROW + (ROW - BAR) // 2, "text_y": index * ROW + ROW * 2 // 3,
                     "count_x": LABEL_WIDTH + width + 6, "fill": _fill(stage)})
    return {"bars": bars, "bar_x": LABEL_WIDTH, "bar_height": BAR,
            "width": LABEL_WIDTH + BAR_SPACE + COUNT_WIDTH, "height": len(bars) * ROW,
            "desc": "; ".join(f"{bar['label']}: {bar['count']}" for bar in bars),
            "svg_bars": _svg_bars(bars)}


def _svg_bars(bars: list[dict]) -> str:
    """The bars and their labels as SVG, written once here: the template's loop with a dozen
    lookups per bar cost more than the rest of the card."""
    text = '<text x="{x}" y="{y}" font-size="13" fill="#1a1f2b">{content}</text>'
    return mark_safe("".join(
        text.format(x=0, y=bar["text_y"], content=escape(bar["label"]))
        + f'<rect x="{LABEL_WIDTH}" y="{bar["y"]}" width="{bar["width"]}" height="{BAR}" '
          f'fill="{bar["fill"]}"/>'
        + text.format(x=bar["count_x"], y=bar["text_y"], content=bar["count"])
        for bar in bars))

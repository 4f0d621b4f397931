"""The board by stage: the first cards of each column, more of a column on request, and
moves by drag and drop, the keyboard or a card's menu (static/js/board.js)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alliance import permissions
from alliance.validators import text_problem
from alliance.views import refused, requires

from .. import queries, stages
from ..models import City, Stage
from ..services.pipeline import advance_stage
from .rows import BoardCards, RowFacts, url_prefix

MAX_OFFSET = 100_000  # past any region's column: a bigger "show more" offset is not a page


@requires("cities.view")
def city_board(request, region_slug):
    html = _board_cards(request)
    return render(request, "cities/board.html", {
        **_links(request), "columns": _columns(request.region, html), "may_move": html.may_move,
    })


def _board_cards(request) -> BoardCards:
    may_move = permissions.can(request.user, "cities.move_stage", region=request.region)
    return BoardCards(RowFacts(request.region), may_move=may_move)


def _links(request) -> dict:
    """URLs every card and column share, reversed once: a card appends its id."""
    slug = request.region.slug
    return {"move_url": url_prefix("city-move", region_slug=slug),
            "more_url": reverse("city-board-more", kwargs={"region_slug": slug}),
            "table_url": reverse("city-list", kwargs={"region_slug": slug})}


def _columns(region, html: BoardCards, *, only=None, moved: City | None = None) -> list[dict]:
    """The board's columns (or the `only` stages) with their first cards and counts. A card
    just `moved` shows in its new column even when it ranks below the first cards."""
    counts = queries.stage_counts(region)
    columns = []
    for stage, cards in queries.board(region, only=only).items():
        shown = len(cards)
        if moved is not None and moved.stage == stage and all(c["pk"] != moved.pk for c in cards):
            cards.append(queries.card(region, moved.pk))
        columns.append({
            "stage": stage, "label": html.facts.stage_labels[stage], "cards": html.html(cards),
            "count": counts.get(stage, 0), "next_offset": shown,
            "left": counts.get(stage, 0) - shown,
            # board.js offers these in the card's menu and as arrow-key targets.
            "moves": " ".join(stages.allowed_moves(stage)),
            "needs_reason": stage in stages.NEEDS_REASON})
    return columns


@require_safe
@requires("cities.view")
def city_board_more(request, region_slug):
    """The next cards of one column (`?stage=&offset=`), appended in place by htmx."""
    stage, offset = request.GET.get("stage", ""), request.GET.get("offset", "")
    if stage not in stages.BOARD_COLUMNS or not offset.isdigit() or int(offset) > MAX_OFFSET:
        raise Http404(_("No such column."))
    offset = int(offset)
    cards = queries.column_cards(request.region, stage, offset=offset)
    next_offset = offset + len(cards)
    left = queries.stage_counts(request.region).get(stage, 0) - next_offset
    return render(request, "cities/_board_cards.html", {
        **_links(request), "cards": _board_cards(request).html(cards),
        "column": {"stage": stage, "next_offset": next_offset, "left": left},
    })


@require_POST
@requires("cities.move_stage")
def city_move(request, region_slug, city_id):
    city = get_object_or_404(City.objects.filter(region=request.region), pk=city_id)
    was, to, note = city.stage, request.POST.get("to", ""), request.POST.get("note", "")
    problem = text_problem(note) if to else (
        _("Choose the stage to move %(city)s to.") % {"city": city.name})
    if problem:
        return _after_move(request, city, problem, refused=True)
    # On the board the refusal shows next to the card, not as a message on the next page.
    with refused() as refusal:
        city = advance_stage(actor=request.user, city=city, to=to, note=note)
    if refusal:
        return _after_move(request, city, refusal.error.message, refused=True)
    done = _("%(city)s moved to “%(stage)s”.") % {"city": city.name, "stage": Stage(to).label}
    return _after_move(request, city, done, refused=False, changed=(was, to))


def _after_move(request, city: City, message: str, *, refused: bool, changed=()):
    """htmx gets the message and the two columns the move changed (nothing else changes;
    a refusal changes no column); a plain form goes back to the board."""
    if request.htmx:
        columns = (_columns(request.region, _board_cards(request), only=changed, moved=city)
                   if changed else [])
        return render(request, "cities/_board_move.html", {
            "columns": columns, "message": message, "refused": refused, "moved": city,
            **_links(request)}, status=422 if refused else 200)
    (messages.error if refused else messages.success)(request, message)
    return redirect("city-board", region_slug=request.region.slug)


urlpatterns = [
    path("board/", city_board, name="city-board"),
    path("board/more/", city_board_more, name="city-board-more"),
    path("move/<int:city_id>/", city_move, name="city-move"),
]

"""The monthly dialogue with every city: the coverage of member cities by month, the list of
dialogues, logging one (with its follow-ups), its page and edit, ticking a follow-up done."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from alliance.labels import labels_of
from alliance.pagination import paginate
from alliance.templatetags.formats import day
from alliance.views import history, refused_as_message, refused_into, requires, url_prefix

from .. import queries_dialogues as queries
from ..forms_dialogues import (
    CoverageFilterForm,
    DialogueFilterForm,
    DialogueForm,
    follow_up_formset,
    known_labels,
    wanted_follow_ups,
)
from ..models import City, Dialogue, DialogueFollowUp
from ..services import dialogues

VIEW, LOG = dialogues.VIEW, dialogues.LOG
CITIES_PER_PAGE = 50  # the coverage's rows


def _posted(request):
    return request.POST if request.method == "POST" else None


def _dialogue(request, dialogue_id) -> Dialogue:
    dialogue = get_object_or_404(
        Dialogue.objects.filter(region=request.region).select_related("city", "author"),
        pk=dialogue_id)
    dialogue.region = dialogue.city.region = request.region
    return dialogue


def _to_dialogue(request, dialogue):
    return redirect("dialogue-detail", region_slug=request.region.slug,
                    dialogue_id=dialogue.pk)


def _month_label(month) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


# -- coverage ---------------------------------------------------------------------------------

CELL_WORDS = {"gap": gettext_lazy("Gap"), "due": gettext_lazy("Due"),
              "before": gettext_lazy("Not a member yet")}
ROW = ('<tr><th scope="row"><a href="{city_url}{city_id}/">{name}</a>'
       '<div class="small text-body-secondary">{owner}</div></th>{cells}</tr>')


def _coverage_lines(cities, cells, *, dialogue_url: str, city_url: str) -> str:
    """The coverage's rows, written once per page: a template loop over 50 cities and 12
    months costs more than the rest of the page."""
    who = labels_of(Dialogue.WithWhom)
    words = {state: escape(str(text)) for state, text in CELL_WORDS.items()}
    no_owner = escape(_("No owner"))
    days: dict = {}
    lines = []
    for city in cities:
        shown = []
        for cell in cells[city.pk]:
            if cell.state != "spoken":
                shown.append(f'<td class="coverage-{cell.state}">'
                             f'<span class="coverage-word">{words[cell.state]}</span></td>')
                continue
            items = []
            for pk, held_on, with_whom in cell.dialogues[:queries.CELL_DIALOGUES]:
                if held_on not in days:
                    days[held_on] = escape(day(held_on))
                items.append(f'<a href="{dialogue_url}{pk}/">{days[held_on]}</a> '
                             f'<span class="coverage-who">{escape(who.get(with_whom, ""))}'
                             f'</span>')
            more = len(cell.dialogues) - queries.CELL_DIALOGUES
            if more > 0:
                items.append(f'<span class="coverage-who">+{more}</span>')
            shown.append(f'<td class="coverage-spoken">{"<br>".join(items)}</td>')
        owner = city.owner.full_name or city.owner.email if city.owner_id else no_owner
        lines.append(ROW.format(city_url=city_url, city_id=city.pk, name=escape(city.name),
                                owner=escape(owner), cells="".join(shown)))
    return mark_safe("".join(lines))


@require_safe
@requires(VIEW)
def dialogue_coverage(request, region_slug):
    region = request.region
    form = CoverageFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    window = queries.Window.ending_today(data.get("months") or queries.MONTH_CHOICES[0])
    cities = queries.member_cities(region, owner=request.user if data.get("mine") else None,
                                   search=data.get("q") or "")
    if data.get("gaps"):
        cities = queries.with_gaps(cities, window)
    page = Paginator(queries.coverage_rows(cities), CITIES_PER_PAGE).get_page(
        request.GET.get("page"))
    rows = list(page.object_list)
    cells = queries.coverage_cells(region, rows, window)
    totals = queries.monthly_totals(region, cities, window)
    months = [{"month": month, "label": _month_label(month), "spoken": spoken,
               "members": members, "current": month == window.current}
              for month, (spoken, members) in zip(window.months, totals, strict=True)]
    return render(request, "cities/dialogue_coverage.html", {
        "form": form, "page_obj": page, "months": months,
        "lines": _coverage_lines(rows, cells,
                                 dialogue_url=url_prefix("dialogue-detail", "dialogue_id",
                                                         region_slug=region_slug),
                                 city_url=url_prefix("city-detail", "city_id",
                                                     region_slug=region_slug)),
        "may_log": dialogues.may_log(request.user, region),
        "filtered": bool(data.get("mine") or data.get("gaps") or data.get("q"))})


# -- the list -----------------------------------------------------------------------------------

LIST_ROW = ('<tr><td><a href="{url}{pk}/">{held_on}</a></td><th scope="row">{city}</th>'
            '<td>{who}{note}</td><td>{channel}</td><td class="dialogue-summary">{summary}</td>'
            '<td class="number">{open}</td><td>{author}</td></tr>')


def _list_lines(rows, *, url: str) -> str:
    who, channel = labels_of(Dialogue.WithWhom), labels_of(Dialogue.Channel)
    lines = []
    for row in rows:
        summary = row.summary if len(row.summary) <= 140 else f"{row.summary[:139]}…"
        author = (row.author.full_name or row.author.email) if row.author_id else ""
        lines.append(LIST_ROW.format(
            url=url, pk=row.pk, held_on=escape(day(row.held_on)), city=escape(row.city.name),
            who=escape(who.get(row.with_whom, "")),
            note=f'<div class="small text-body-secondary">{escape(row.with_whom_note)}</div>'
            if row.with_whom_note else "",
            channel=escape(channel.get(row.channel, "")), summary=escape(summary),
            open=row.open_follow_ups or "", author=escape(author)))
    return mark_safe("".join(lines))


@require_safe
@requires(VIEW)
def dialogue_list(request, region_slug):
    region = request.region
    form = DialogueFilterForm(request.GET or None, region=region)
    filters = form.filters() if form.is_valid() else {}
    city = None
    if request.GET.get("city", "").isdigit():
        city = City.objects.filter(region=region, pk=int(request.GET["city"])).first()
    page = paginate(request, queries.dialogue_rows(region, city=city, **filters))
    return render(request, "cities/dialogue_list.html", {
        "form": form, "page_obj": page, "city": city,
        "lines": _list_lines(page.object_list, url=url_prefix(
            "dialogue-detail", "dialogue_id", region_slug=region_slug)),
        "may_log": dialogues.may_log(request.user, region)})


# -- logging and editing ------------------------------------------------------------------------

def _initial_city(request):
    asked = request.GET.get("city", "")
    if asked.isdigit():
        return City.objects.filter(region=request.region, pk=int(asked)).first()
    return None


@requires(VIEW, write=LOG)
def dialogue_create(request, region_slug):
    if not dialogues.may_log(request.user, request.region):
        raise PermissionDenied
    region = request.region
    form = DialogueForm(_posted(request), region=region, initial={
        "city": _initial_city(request), "held_on": timezone.localdate()})
    follow_ups = follow_up_formset(_posted(request), region=region)
    if request.method == "POST" and form.is_valid() and follow_ups.is_valid():
        with refused_into(form):
            dialogue = dialogues.create_dialogue(
                actor=request.user, region=region, **form.cleaned_data,
                follow_ups=wanted_follow_ups(follow_ups))
            messages.success(request, _("Dialogue with %(city)s logged.")
                             % {"city": dialogue.city.name})
            return _to_dialogue(request, dialogue)
    return render(request, "cities/dialogue_form.html", {
        "form": form, "follow_ups": follow_ups, "dialogue": None})


@requires(VIEW, write=LOG)
def dialogue_edit(request, region_slug, dialogue_id):
    if not dialogues.may_log(request.user, request.region):
        raise PermissionDenied
    region = request.region
    dialogue = _dialogue(request, dialogue_id)
    current = list(queries.follow_ups_of(dialogue))
    form = DialogueForm(_posted(request), region=region, initial={
        name: getattr(dialogue, name) for name in dialogues.EDITABLE})
    known_labels(form.fields["city"], [dialogue.city])
    follow_ups = follow_up_formset(_posted(request), region=region, follow_ups=current,
                                   extra=2)
    if request.method == "POST" and form.is_valid() and follow_ups.is_valid():
        with refused_into(form):
            dialogues.update_dialogue(actor=request.user, dialogue=dialogue,
                                      follow_ups=wanted_follow_ups(follow_ups),
                                      **form.cleaned_data)
            messages.success(request, _("Dialogue saved."))
            return _to_dialogue(request, dialogue)
    return render(request, "cities/dialogue_form.html", {
        "form": form, "follow_ups": follow_ups, "dialogue": dialogue,
        "history": history(request, dialogue)})


@require_safe
@requires(VIEW)
def dialogue_detail(request, region_slug, dialogue_id):
    dialogue = _dialogue(request, dialogue_id)
    return render(request, "cities/dialogue_detail.html", {
        "dialogue": dialogue, "follow_ups": list(queries.follow_ups_of(dialogue)),
        "may_log": dialogues.may_log(request.user, request.region),
        "history": history(request, dialogue)})


@require_POST
@requires(VIEW)
def follow_up_done(request, region_slug, dialogue_id, follow_up_id):
    dialogue = _dialogue(request, dialogue_id)
    follow_up = get_object_or_404(
        DialogueFollowUp.objects.filter(region=request.region, dialogue=dialogue),
        pk=follow_up_id)
    follow_up.region, follow_up.dialogue = request.region, dialogue
    done = request.POST.get("done") != "0"
    with refused_as_message(request):
        dialogues.set_follow_up_done(actor=request.user, follow_up=follow_up, done=done)
        messages.success(request, _("Follow-up done.") if done else _("Follow-up open again."))
    back = request.POST.get("next", "")
    if back.startswith(f"/r/{region_slug}/") and "//" not in back:
        return redirect(back)
    return _to_dialogue(request, dialogue)


# -- what the city page and the dashboard show ---------------------------------------------------

DUE_SHOWN = 8  # cities still due that the dashboard names
MINE_SHOWN = 5  # the reader's open follow-ups on the dashboard


def city_section(request, city, *, limit: int) -> dict:
    """A city's latest dialogues, each with its open follow-ups (how many, the next due): one
    query (cities.extensions section), its rows written here (the city page holds several
    sections and each template line costs)."""
    region = request.region
    latest = list(queries.latest_with_follow_ups(city)[:min(limit, 5)])
    url = url_prefix("dialogue-detail", "dialogue_id", region_slug=region.slug)
    today, labels = timezone.localdate(), (labels_of(Dialogue.WithWhom),
                                           labels_of(Dialogue.Channel))
    return {"rows": mark_safe("".join(_section_row(d, url, today, labels) for d in latest)),
            "may_log": dialogues.may_log(request.user, region)}


SECTION_ROW = ('<li><a href="{url}{pk}/">{held_on}</a> · {with_whom} · {channel}<br>'
               '<span class="muted">{summary}</span>{follow_ups}</li>')


def _section_row(dialogue: dict, url: str, today, labels: tuple[dict, dict]) -> str:
    summary = dialogue["summary"]
    summary = summary if len(summary) <= 140 else summary[:139].rstrip() + "…"
    return SECTION_ROW.format(
        url=url, pk=dialogue["pk"], held_on=escape(day(dialogue["held_on"])),
        with_whom=escape(labels[0][dialogue["with_whom"]]),
        channel=escape(labels[1][dialogue["channel"]]), summary=escape(summary),
        follow_ups=_open_follow_ups(dialogue, today))


def _open_follow_ups(dialogue: dict, today) -> str:
    count, due = dialogue["open_count"], dialogue["next_due"]
    if not count:
        return ""
    text = ngettext("%(counter)s open follow-up", "%(counter)s open follow-ups",
                    count) % {"counter": count}
    text += " · " + _("next: %(title)s") % {"title": dialogue["next_title"]}
    overdue = ""
    if due:
        text += " (" + _("due %(due)s") % {"due": day(due)} + ")"
        if due < today:
            overdue = f' <span class="state state-failed">{escape(_("Overdue"))}</span>'
    return f"<br><small>{escape(text)}{overdue}</small>"


def dashboard_panel(request) -> dict:
    """This month's coverage, the cities still due, the reader's open follow-ups."""
    region, today = request.region, timezone.localdate()
    month = queries.this_month(region, today)
    due = queries.still_due(region, DUE_SHOWN, today)
    # Soonest due first: the overdue ones lead the list and are marked.
    mine = list(queries.open_follow_ups(region).filter(owner=request.user)[:MINE_SHOWN])
    for item in mine:
        item.overdue = item.due_on is not None and item.due_on < today
    return {**month, "due": due,
            "more_due": max(0, month["members"] - month["spoken"] - len(due)),
            "mine": mine,
            "coverage_url": reverse("dialogue-coverage", kwargs={"region_slug": region.slug}),
            "create_url": reverse("dialogue-create", kwargs={"region_slug": region.slug}),
            "dialogue_url": url_prefix("dialogue-detail", "dialogue_id",
                                       region_slug=region.slug)}


urlpatterns = [
    path("dialogues/", dialogue_coverage, name="dialogue-coverage"),
    path("dialogues/all/", dialogue_list, name="dialogue-list"),
    path("dialogues/new/", dialogue_create, name="dialogue-create"),
    path("dialogues/<int:dialogue_id>/", dialogue_detail, name="dialogue-detail"),
    path("dialogues/<int:dialogue_id>/edit/", dialogue_edit, name="dialogue-edit"),
    path("dialogues/<int:dialogue_id>/follow-ups/<int:follow_up_id>/done/", follow_up_done,
         name="follow-up-done"),
]

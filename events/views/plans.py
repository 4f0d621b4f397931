"""Pages of the events app's plans area: the region's events (list, form, page with the
playbook's milestones and the agenda, cancelling, marking held, scheduling the next meeting),
agenda items, the printable agenda and its PDF, and meeting series with their delegation.

The secretariat (events.manage) runs every event; a meeting series' delegate runs that
series' events only (events.rules): every page here asks `may_manage` on the event itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance import permissions
from alliance.pagination import paginate
from alliance.pdf import render_pdf
from alliance.pickers import PICKERS, QUERY_MAX_LENGTH
from alliance.services import delegations
from alliance.templatetags.formats import when as shown_when
from alliance.templatetags.portal import icon
from alliance.views import history, refused_as_message, refused_into, requires, url_prefix
from alliance.views.delegation import delegation_panel, post_note

from ..forms.plans import (
    AgendaItemForm,
    CancelForm,
    EventFilterForm,
    EventForm,
    HandOverForm,
    NextMeetingForm,
    SeriesForm,
    point_pickers,
)
from ..models import AgendaItem, Event, EventKind, EventState, MeetingSeries
from ..queries import plans as queries
from ..rules import MANAGE, may_manage, may_manage_series
from ..services import agendas, events
from ..services import series as series_service

VIEW = events.VIEW
SERIES_EVENTS_SHOWN = 8
HISTORY_SHOWN = 20  # an event's latest changes (every agenda edit is one)
# An event and what its pages show of the rows it links to (a narrow join).
EVENT_FIELDS = (*(field.attname for field in Event._meta.concrete_fields),
                "series__title", "series__region_id", "organizer__full_name",
                "organizer__email", "working_group__name", "working_group__region_id",
                "model_policy__title", "model_policy__translations",
                "model_policy__status", "supporting_organization__name",
                "supporting_organization__region_id", "supporting_organization__involvement",
                "follows__title", "follows__starts_at")
# The pickers a delegate searches through their event's or series' own address.
EVENT_PICKERS = ("event-organizers", "event-groups", "event-supporters", "agenda-contacts",
                 "agenda-experts", "agenda-staff", "agenda-workplans")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _manages_region(request) -> bool:
    return permissions.can(request.user, MANAGE, region=request.region)


def _event(request, event_id, *, manage: bool = False) -> tuple[Event, bool]:
    """The region's event (404 otherwise) for someone who may see it (events.view, or its
    series' delegate) or, with `manage`, run it; and whether they run it."""
    event = get_object_or_404(
        Event.objects.filter(region=request.region).select_related(
            "series", "organizer", "working_group", "model_policy",
            "supporting_organization", "follows").only(*EVENT_FIELDS), pk=event_id)
    event.region = request.region
    manages = may_manage(request.user, event)
    if not (manages or (not manage and permissions.can(request.user, VIEW,
                                                       region=request.region))):
        raise PermissionDenied
    return event, manages


def _to_event(event: Event):
    return redirect("event-detail", region_slug=event.region.slug, event_id=event.pk)


def _pickers_through_event(form, event: Event) -> None:
    point_pickers(form, lambda name: reverse(f"event-pick-{name}", kwargs={
        "region_slug": event.region.slug, "event_id": event.pk}))


def _pickers_through_series(form, series: MeetingSeries) -> None:
    point_pickers(form, lambda name: reverse(f"series-pick-{name}", kwargs={
        "region_slug": series.region.slug, "series_id": series.pk}))


# -- the list -------------------------------------------------------------------------------

ROW = ('<tr><td>{when}</td><td><a href="{url}{pk}/">{title}</a>{series}</td><td>{kind}</td>'
       '<td>{format}</td><td>{agenda}</td><td>{milestone}</td></tr>')


def _event_lines(rows, region_slug: str) -> str:
    """The list's rows written once in Python: a `{% url %}`, a date filter and a few labels
    per row cost more through the template engine than the rest of the page."""
    url = url_prefix("event-detail", "event_id", region_slug=region_slug)
    now = timezone.now()
    cancelled = escape(_("Cancelled"))
    lines = []
    for event in rows:
        if event.state == EventState.CANCELLED:
            agenda = format_html('<span class="pill">{}</span>', cancelled)
        elif event.needs_agenda_approval:
            agenda = escape(event.agenda_state_label)
        else:
            agenda = "—"
        milestone = events.next_milestone(event, now)
        milestone_text = format_html(
            '{} · {} <span class="state {}">{}</span>', milestone.label,
            shown_when(milestone.due), milestone.tone, milestone.state_label) \
            if milestone else "—"
        lines.append(ROW.format(
            when=escape(shown_when(event.starts_at)), url=url, pk=event.pk,
            title=escape(event.title),
            series=format_html('<br><small class="text-body-secondary">{}</small>',
                               event.series.title) if event.series_id else "",
            kind=escape(event.kind_label), format=escape(event.format_label),
            agenda=agenda, milestone=milestone_text))
    return mark_safe("".join(lines))


@requires(VIEW)
def event_list(request, region_slug):
    filters = EventFilterForm(request.GET or None, region=request.region)
    choice = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    rows = queries.filtered(
        queries.event_rows(request.region), when=choice.get("when") or "upcoming",
        kind=choice.get("kind") or "", state=choice.get("state") or "",
        series=choice.get("series"),
        organizer=request.user if choice.get("mine") else None)
    page = paginate(request, rows)
    return render(request, "events/event_list.html", {
        "page_obj": page, "lines": _event_lines(page.object_list, region_slug),
        "filters": filters, "manages": _manages_region(request),
        "zone": request.region.time_zone})


# -- the form -------------------------------------------------------------------------------

def _series_for_create(request) -> MeetingSeries | None:
    """`?series=<id>`: the event is planned in that series (its delegate may plan there)."""
    raw = request.GET.get("series", "")
    if not raw.isdigit():
        return None
    return get_object_or_404(MeetingSeries.objects.filter(region=request.region), pk=int(raw))


def event_create(request, region_slug):
    series = _series_for_create(request)
    if not _manages_region(request) and not (series and may_manage_series(request.user,
                                                                          series)):
        raise PermissionDenied
    # The dashboard's playbook-minimum card asks for a kind (?kind=annual_event).
    asked_kind = request.GET.get("kind") if request.GET.get("kind") in EventKind.values else None
    initial = {"series": series, "kind": series.kind if series else asked_kind,
               "title": series.title if series else "",
               "organizer": request.user if _manages_region(request) else None}
    form = EventForm(_posted(request), region=request.region, initial=initial)
    if series is not None and not _manages_region(request):
        _pickers_through_series(form, series)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            event = events.create_event(actor=request.user, region=request.region,
                                        **form.cleaned_data)
            messages.success(request, _("Event planned."))
            return _to_event(event)
    return render(request, "events/event_form.html", {"form": form, "event": None,
                                                      "zone": request.region.time_zone})


def event_edit(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    initial = {name: getattr(event, name) for name in events.EDITABLE}
    form = EventForm(_posted(request), region=request.region, initial=initial)
    if not _manages_region(request):
        _pickers_through_event(form, event)
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.cleaned_data.items()
                   if value != initial.get(name)}
        with refused_into(form):
            events.update_event(actor=request.user, event=event, **changes)
            messages.success(request, _("Event saved."))
            return _to_event(event)
    return render(request, "events/event_form.html", {
        "form": form, "event": event, "zone": request.region.time_zone,
        "history": history(request, event)})


@require_POST
def event_cancel(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the event is cancelled."))
        return _to_event(event)
    with refused_as_message(request):
        events.cancel_event(actor=request.user, event=event, reason=form.cleaned_data["reason"])
        messages.success(request, _("Event cancelled."))
    return _to_event(event)


@require_POST
def event_held(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    with refused_as_message(request):
        events.mark_held(actor=request.user, event=event)
        messages.success(request, _("Event marked as held."))
    return _to_event(event)


def event_schedule_next(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    form = NextMeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            following = events.schedule_next(actor=request.user, event=event,
                                             on=form.cleaned_data["on"])
            messages.success(request, _("Next meeting scheduled."))
            return _to_event(following)
    return render(request, "events/event_next_form.html", {
        "form": form, "event": event, "zone": request.region.time_zone})


# -- the event's page -----------------------------------------------------------------------

def _announce_url(event: Event) -> str:
    """The attendance area's announcing button, for kinds without a Forum approval."""
    try:
        return reverse("event-announce", kwargs={"region_slug": event.region.slug,
                                                 "event_id": event.pk})
    except NoReverseMatch:
        return ""


def event_detail(request, region_slug, event_id):
    event, manages = _event(request, event_id)
    agenda = agendas.agenda_of(event)
    items = bool(agenda.lines)
    delegate = series_service.delegate_name(event.series) if event.series_id else ""
    # An agenda never submitted has no request to link to (and costs no query).
    approval = (agendas.latest_approval(event) if event.needs_agenda_approval
                and event.agenda_submitted_at else None)
    now = timezone.now()
    open_ = event.state not in (EventState.HELD, EventState.CANCELLED)
    return render(request, "events/event_detail.html", {
        "event": event, "manages": manages, "open": open_, "agenda": agenda,
        "here": request.path,
        "edit_agenda": manages and open_,
        "agenda_lines": _agenda_lines(request, event, agenda, controls=manages and open_),
        "milestones": events.milestones(event, now),
        "approval": approval, "delegate": delegate,
        "started": event.starts_at <= now, "zone": request.region.time_zone,
        "may_submit": manages and open_ and event.needs_agenda_approval and items
        and event.starts_at > now and event.agenda_state not in agendas.BEFORE_THE_FORUM,
        "may_mark_drafted": manages and open_ and items and event.needs_agenda_approval
        and event.agenda_state == "drafting",
        "announce_url": _announce_url(event) if manages and not event.needs_agenda_approval
        else "",
        "may_cancel": manages and open_,
        "history": history(request, event, HISTORY_SHOWN)})


AGENDA_ROW = ('<tr id="agenda-item-{pk}"><td>{start}–{end}</td><td>{title}{extra}</td>'
              '<td>{speaker}</td><td class="number">{minutes}</td>{controls}</tr>')
CONTROLS = (
    '<td class="text-nowrap"><form method="post" action="{url}{pk}/move/" class="d-inline">'
    '{csrf}<button type="submit" name="direction" value="up" '
    'class="btn btn-sm btn-outline-secondary"{first}>{up}<span class="visually-hidden">'
    '{move_up}</span></button> <button type="submit" name="direction" value="down" '
    'class="btn btn-sm btn-outline-secondary"{last}>{down}<span class="visually-hidden">'
    '{move_down}</span></button></form> <a class="btn btn-sm btn-outline-secondary" '
    'href="{url}{pk}/">{pencil}<span class="visually-hidden">{edit}</span></a> '
    '<form method="post" action="{url}{pk}/delete/" class="d-inline">{csrf}'
    '<button type="submit" class="btn btn-sm btn-outline-danger">{trash}'
    '<span class="visually-hidden">{remove}</span></button></form></td>')


def _agenda_lines(request, event: Event, agenda, *, controls: bool) -> str:
    """The agenda's rows written once in Python (with the organizer's buttons): a form, a
    `{% url %}` and a few translated labels per item cost more through the template engine
    than the rest of the page."""
    url = url_prefix("agenda-item-edit", "agenda_item_id", region_slug=request.region.slug,
                     event_id=event.pk)
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                       get_token(request)) if controls else ""
    sharing = escape(_("Progress sharing"))
    icons = {"up": icon("arrow-up"), "down": icon("arrow-down"), "pencil": icon("pencil"),
             "trash": icon("trash")}
    wording = {"move_up": _("Move “%(title)s” up"), "move_down": _("Move “%(title)s” down"),
               "edit": _("Edit “%(title)s”"), "remove": _("Remove “%(title)s”")}
    lines = []
    last = len(agenda.lines) - 1
    for index, line in enumerate(agenda.lines):
        item = line.item
        title = escape(item.title)
        extra = ""
        if item.workplan_id:
            extra += format_html('<br><small class="text-body-secondary">{}: {}</small>',
                                 sharing, item.workplan)
        if item.notes:
            extra += format_html('<br><small class="text-body-secondary">{}</small>',
                                 item.notes)
        buttons = ""
        if controls:
            words = {"title": item.title}
            buttons = CONTROLS.format(
                url=url, pk=item.pk, csrf=csrf, first=" disabled" if index == 0 else "",
                last=" disabled" if index == last else "", **icons,
                **{name: escape(text % words) for name, text in wording.items()})
        lines.append(AGENDA_ROW.format(
            pk=item.pk, start=timezone.localtime(line.starts_at).strftime("%H:%M"),
            end=timezone.localtime(line.ends_at).strftime("%H:%M"), title=title, extra=extra,
            speaker=escape(line.speaker or "—"), minutes=item.duration_minutes,
            controls=buttons))
    return mark_safe("".join(lines))


@require_POST
def event_mark_drafted(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    with refused_as_message(request):
        agendas.mark_drafted(actor=request.user, event=event)
        messages.success(request, _("Agenda marked as drafted."))
    return _to_event(event)


@require_POST
def event_submit_agenda(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    with refused_as_message(request):
        agendas.submit_agenda(actor=request.user, event=event)
        messages.success(request, _("Agenda and speakers submitted to the Forum."))
    return _to_event(event)


def _agenda_context(request, event_id) -> dict:
    event, _manages = _event(request, event_id)
    return {"event": event, "agenda": agendas.agenda_of(event),
            "zone": request.region.time_zone, "region": request.region}


def event_agenda_print(request, region_slug, event_id):
    return render(request, "events/agenda_print.html", _agenda_context(request, event_id))


def event_agenda_pdf(request, region_slug, event_id):
    context = _agenda_context(request, event_id)
    pdf = render_pdf("events/agenda_pdf.html", {**context, "language": request.LANGUAGE_CODE})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agenda-{context["event"].pk}.pdf"'
    return response


# -- agenda items ---------------------------------------------------------------------------

def _item(request, event: Event, agenda_item_id) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.filter(region=request.region, event=event),
                             pk=agenda_item_id)
    item.event = event
    return item


def _said(request, changed) -> None:
    if changed.reopened:
        messages.warning(request, _("The agenda changed after it went to the Forum: it is back "
                                    "to drafted, and needs a new Forum approval. Submit it "
                                    "again when it is ready."))


def agenda_item_create(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    form = AgendaItemForm(_posted(request), region=request.region,
                          initial={"duration_minutes": 15})
    _pickers_through_event(form, event)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            changed = agendas.add_item(actor=request.user, event=event, **form.cleaned_data)
            messages.success(request, _("Agenda item added."))
            _said(request, changed)
            return _to_event(event)
    return render(request, "events/agenda_item_form.html", {
        "form": form, "event": event, "item": None})


def agenda_item_edit(request, region_slug, event_id, agenda_item_id):
    event, _manages = _event(request, event_id, manage=True)
    item = _item(request, event, agenda_item_id)
    initial = {name: getattr(item, name) for name in agendas.ITEM_EDITABLE}
    form = AgendaItemForm(_posted(request), region=request.region, initial=initial)
    _pickers_through_event(form, event)
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.cleaned_data.items()
                   if value != initial.get(name)}
        with refused_into(form):
            changed = agendas.update_item(actor=request.user, item=item, **changes)
            messages.success(request, _("Agenda item saved."))
            _said(request, changed)
            return _to_event(event)
    return render(request, "events/agenda_item_form.html", {
        "form": form, "event": event, "item": item})


@require_POST
def agenda_item_delete(request, region_slug, event_id, agenda_item_id):
    event, _manages = _event(request, event_id, manage=True)
    item = _item(request, event, agenda_item_id)
    with refused_as_message(request):
        changed = agendas.delete_item(actor=request.user, item=item)
        messages.success(request, _("Agenda item removed."))
        _said(request, changed)
    return _to_event(event)


@require_POST
def agenda_item_move(request, region_slug, event_id, agenda_item_id):
    event, _manages = _event(request, event_id, manage=True)
    item = _item(request, event, agenda_item_id)
    with refused_as_message(request):
        changed = agendas.move_item(actor=request.user, item=item,
                                    direction=request.POST.get("direction", ""))
        _said(request, changed)
    response = _to_event(event)
    response["Location"] += f"#agenda-item-{item.pk}"
    return response


# -- pickers searched through an event or a series ------------------------------------------

def _options(request, picker_name: str):
    picker = PICKERS[picker_name]
    text = request.GET.get("q", "")[:QUERY_MAX_LENGTH]
    found = list(picker.matching(request.region, text)[:13])
    return render(request, "alliance/_picker_options.html", {
        "options": [(row.pk, picker.label(row), picker.detail(row)) for row in found[:12]],
        "more": len(found) > 12, "query": text})


def event_pick(request, region_slug, event_id, picker):
    _event(request, event_id, manage=True)
    return _options(request, picker)


def series_pick(request, region_slug, series_id, picker):
    _series(request, series_id, manage=True)
    return _options(request, picker)


# -- meeting series -------------------------------------------------------------------------

def _series(request, series_id, *, manage: bool = False) -> tuple[MeetingSeries, bool]:
    series = get_object_or_404(MeetingSeries.objects.filter(region=request.region),
                               pk=series_id)
    series.region = request.region
    manages = may_manage_series(request.user, series)
    if not (manages or (not manage and permissions.can(request.user, VIEW,
                                                       region=request.region))):
        raise PermissionDenied
    return series, manages


def _to_series(series: MeetingSeries):
    return redirect("series-detail", region_slug=series.region.slug, series_id=series.pk)


@requires(VIEW)
def series_list(request, region_slug):
    page = paginate(request, series_service.series_rows(request.region))
    return render(request, "events/series_list.html", {
        "page_obj": page, "manages": _manages_region(request)})


@requires(MANAGE)
def series_create(request, region_slug):
    form = SeriesForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            series = series_service.create_series(actor=request.user, region=request.region,
                                                  **form.cleaned_data)
            messages.success(request, _("Meeting series created."))
            return _to_series(series)
    return render(request, "events/series_form.html", {"form": form, "series": None})


@requires(MANAGE)
def series_edit(request, region_slug, series_id):
    series, _manages = _series(request, series_id, manage=True)
    form = SeriesForm(_posted(request), initial={
        name: getattr(series, name) for name in series_service.EDITABLE})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            series_service.update_series(actor=request.user, series=series,
                                         **form.cleaned_data)
            messages.success(request, _("Meeting series saved."))
            return _to_series(series)
    return render(request, "events/series_form.html", {
        "form": form, "series": series, "history": history(request, series)})


def series_detail(request, region_slug, series_id):
    series, manages = _series(request, series_id)
    now = timezone.now()
    rows = queries.event_rows(request.region).filter(series=series)
    upcoming = list(rows.filter(ends_at__gte=now).order_by("starts_at", "id")
                    [:SERIES_EVENTS_SHOWN])
    past = list(rows.filter(ends_at__lt=now).order_by("-starts_at", "-id")
                [:SERIES_EVENTS_SHOWN])
    current = series_service.current(series)
    secretariat = _manages_region(request)
    return render(request, "events/series_detail.html", {
        "series": series, "manages": manages, "secretariat": secretariat,
        "upcoming": _event_lines(upcoming, region_slug),
        "past": _event_lines(past, region_slug),
        **delegation_panel(request, current, "series-delegation-note", series_id=series.pk),
        "history": history(request, series)})


@requires(MANAGE)
def series_hand_over(request, region_slug, series_id):
    series, _manages = _series(request, series_id, manage=True)
    form = HandOverForm(_posted(request), region=request.region, initial={
        "role": series_service.default_role(), "scope": series_service.default_scope(),
        "review_on": series_service.default_review_on()})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            series_service.hand_over(actor=request.user, series=series, **form.cleaned_data)
            messages.success(request, _("Meeting series handed over."))
            return _to_series(series)
    return render(request, "events/series_hand_over.html", {"form": form, "series": series})


def _delegation(request, series, delegation_id):
    delegation = get_object_or_404(
        delegations.delegations_of(series).filter(permission=series_service.GRANT),
        pk=delegation_id)
    delegation.target = series
    return delegation


@require_POST
@requires(MANAGE)
def series_delegation_end(request, region_slug, series_id, delegation_id):
    series, _manages = _series(request, series_id, manage=True)
    delegation = _delegation(request, series, delegation_id)
    with refused_as_message(request):
        series_service.end_hand_over(actor=request.user, series=series, delegation=delegation)
        messages.success(request, _("The delegation has ended."))
    return _to_series(series)


@require_POST
def series_delegation_note(request, region_slug, series_id, delegation_id):
    series, _manages = _series(request, series_id)
    delegation = _delegation(request, series, delegation_id)
    post_note(request, delegation)
    return _to_series(series)


urlpatterns = [
    path("", event_list, name="event-list"),
    path("new/", event_create, name="event-create"),
    path("<int:event_id>/", event_detail, name="event-detail"),
    path("<int:event_id>/edit/", event_edit, name="event-edit"),
    path("<int:event_id>/cancel/", event_cancel, name="event-cancel"),
    path("<int:event_id>/held/", event_held, name="event-held"),
    path("<int:event_id>/next/", event_schedule_next, name="event-schedule-next"),
    path("<int:event_id>/agenda/drafted/", event_mark_drafted, name="event-mark-drafted"),
    path("<int:event_id>/agenda/submit/", event_submit_agenda, name="event-submit-agenda"),
    path("<int:event_id>/agenda/print/", event_agenda_print, name="event-agenda-print"),
    path("<int:event_id>/agenda/pdf/", event_agenda_pdf, name="event-agenda-pdf"),
    path("<int:event_id>/agenda/new/", agenda_item_create, name="agenda-item-create"),
    path("<int:event_id>/agenda/<int:agenda_item_id>/", agenda_item_edit,
         name="agenda-item-edit"),
    path("<int:event_id>/agenda/<int:agenda_item_id>/delete/", agenda_item_delete,
         name="agenda-item-delete"),
    path("<int:event_id>/agenda/<int:agenda_item_id>/move/", agenda_item_move,
         name="agenda-item-move"),
    *[path(f"<int:event_id>/pick/{name}/", event_pick, {"picker": name},
           name=f"event-pick-{name}") for name in EVENT_PICKERS],
    path("series/", series_list, name="series-list"),
    path("series/new/", series_create, name="series-create"),
    path("series/<int:series_id>/", series_detail, name="series-detail"),
    path("series/<int:series_id>/edit/", series_edit, name="series-edit"),
    path("series/<int:series_id>/hand-over/", series_hand_over, name="series-hand-over"),
    path("series/<int:series_id>/delegations/<int:delegation_id>/end/",
         series_delegation_end, name="series-delegation-end"),
    path("series/<int:series_id>/delegations/<int:delegation_id>/notes/",
         series_delegation_note, name="series-delegation-note"),
    *[path(f"series/<int:series_id>/pick/{name}/", series_pick, {"picker": name},
           name=f"series-pick-{name}") for name in EVENT_PICKERS],
]

"""Pages of the events app's attendance area: an event's invitations (inviting by tier, an
expert or all working experts, a working group, a city by hand, the previous meeting's
invitees), announcing an event without a Forum approval, attendance after the event, the
minutes with their action items, the invitee's own events and answers, the calendar feeds,
and the region's rule for observer cities.

Who runs an event (the secretariat, or its series' delegate) is asked of events.rules on
the event itself; its pickers are searched through the event's own address, so a delegate
searches them too."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alliance import permissions
from alliance.labels import labels_of
from alliance.pagination import paginate
from alliance.pickers import PICKERS, QUERY_MAX_LENGTH
from alliance.templatetags.formats import day as shown_day
from alliance.templatetags.formats import when as shown_when
from alliance.templatetags.portal import icon
from alliance.views import history, refused_as_message, refused_into, requires, url_prefix
from cities.models import Tier

from ..forms.attendance import (
    ActionItemForm,
    CityForm,
    ExpertForm,
    GroupForm,
    InviteeFilterForm,
    MinutesForm,
    RsvpForm,
    SettingsForm,
    TierForm,
)
from ..forms.plans import point_pickers
from ..models import (
    ActionItem,
    Event,
    EventInvitation,
    EventKind,
    EventState,
    InvitedAs,
    Response,
)
from ..queries import attendance as queries
from ..rules import may_manage
from ..services import feeds, invitations, minutes
from ..services import settings as event_settings
from ..services.invitations import CLOSED
from ..templatetags.event_attendance import TONES, counts_line

VIEW = "events.view"
VIEW_OWN = "events.view_own"
MANAGE_SETTINGS = event_settings.MANAGE_SETTINGS
ATTENDANCE_PER_PAGE = 50
PAST_SHOWN = 10
ACTIONS_SHOWN = 20
PICKED = ("invitee-cities", "invitee-experts", "event-groups", "action-item-owners")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _event(request, event_id, *, manage: bool = False) -> tuple[Event, bool]:
    """The region's event (404 otherwise) for someone who may read it (events.view, or its
    series' delegate) or, with `manage`, run it; and whether they run it."""
    event = get_object_or_404(Event.objects.filter(region=request.region)
                              .select_related("series", "follows"), pk=event_id)
    event.region = request.region
    manages = may_manage(request.user, event)
    if not (manages or (not manage and permissions.can(request.user, VIEW,
                                                       region=request.region))):
        raise PermissionDenied
    return event, manages


def _to_event(event: Event):
    return redirect("event-detail", region_slug=event.region.slug, event_id=event.pk)


def _to_invitees(event: Event):
    return redirect("invitee-list", region_slug=event.region.slug, event_id=event.pk)


def _back(request, event: Event):
    """Back where the button was: the event's page or its invitations."""
    if request.POST.get("back") == "event":
        return _to_event(event)
    return _to_invitees(event)


def _through_event(form, event: Event) -> None:
    point_pickers(form, lambda name: reverse(f"invitee-pick-{name}", kwargs={
        "region_slug": event.region.slug, "event_id": event.pk}))


def invite_forms(event: Event) -> dict:
    """The inviting forms of the event's page and its invitations page."""
    region = event.region
    forms = {"tiers": Tier.choices, "city_form": CityForm(region=region),
             "expert_form": ExpertForm(region=region), "group_form": GroupForm(region=region)}
    for name in ("city_form", "expert_form", "group_form"):
        _through_event(forms[name], event)
    return forms


def observer_note(event: Event) -> str:
    allowed, reason = invitations.observer_rule(event)
    return "" if allowed else _("Observer cities are not invited to this event: %(reason)s") % {
        "reason": reason}


# -- rows written in Python -----------------------------------------------------------------
# A list's rows are written once per page here: through the template engine a row's URL,
# labels, dates and form cost several times the rest of the page.

NOTHING = "—"
CHOSEN = ('<button type="submit" name="response" value="{value}" class="btn btn-primary" '
          'aria-pressed="true">{label}</button>')
NOT_CHOSEN = ('<button type="submit" name="response" value="{value}" '
              'class="btn btn-outline-primary">{label}</button>')


def _csrf(request) -> str:
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                       get_token(request))


def invitee_lines(request, event: Event, rows, *, removable: bool) -> SafeString:
    """The invitations page's `<tr>`s."""
    answers, ways, tiers = labels_of(Response), labels_of(InvitedAs), labels_of(Tier)
    words = {"yes": escape(_("Yes")), "no": escape(_("No")), "not_yet": escape(_("Not yet")),
             "city": escape(_("City")), "expert": escape(_("Expert")),
             "remove": escape(_("Remove"))}
    ways = {key: escape(label) for key, label in ways.items()}
    remove_url = url_prefix("invitee-remove", "invitee_id", region_slug=event.region.slug,
                            event_id=event.pk)
    token = _csrf(request) if removable else ""
    cross = icon("x-lg")
    lines = []
    for invitation in rows:
        if invitation.city_id:
            name = escape(invitation.city.name)
            who = (f'{name}<br><small class="text-body-secondary">{words["city"]} · '
                   f'{escape(tiers.get(invitation.city.tier, ""))}</small>')
        else:
            name = escape(invitation.expert.name)
            organization = invitation.expert.organization
            who = (f'{name}<br><small class="text-body-secondary">{words["expert"]}'
                   f'{" · " + escape(organization) if organization else ""}</small>')
        told = (escape(shown_day(invitation.notified_at)) if invitation.notified_at
                else f'<span class="text-body-secondary">{words["not_yet"]}</span>')
        note = (f"<br><small>{escape(invitation.response_note)}</small>"
                if invitation.response_note else "")
        attended = NOTHING if invitation.attended is None else (
            words["yes"] if invitation.attended else words["no"])
        if invitation.attendees:
            attended += f"<br><small>{escape(invitation.attendees)}</small>"
        remove = ""
        if removable:
            remove = (f'<td><form method="post" action="{remove_url}{invitation.pk}/remove/">'
                      f'{token}<button type="submit" class="btn btn-sm btn-outline-danger">'
                      f'{cross}{words["remove"]}<span class="visually-hidden"> {name}</span>'
                      f'</button></form></td>')
        lines.append(
            f'<tr><td>{who}</td><td>{ways.get(invitation.invited_as, "")}</td><td>{told}</td>'
            f'<td><span class="state {TONES.get(invitation.response, "")}">'
            f'{escape(answers.get(invitation.response, ""))}</span>{note}</td>'
            f'<td>{attended}</td>{remove}</tr>')
    return mark_safe("".join(lines))


def attendance_lines(rows) -> SafeString:
    """The attendance form's `<tr>`s: attended yes / no / not recorded, who attended."""
    answers = labels_of(Response)
    words = {"yes": escape(_("Yes")), "no": escape(_("No")),
             "": escape(_("Not recorded"))}
    legend, who = escape(_("Attended")), escape(_("Who attended"))
    lines = []
    for invitation in rows:
        pk = invitation.pk
        chosen = {True: "yes", False: "no", None: ""}[invitation.attended]
        radios = "".join(
            f'<div class="form-check form-check-inline"><input class="form-check-input" '
            f'type="radio" name="attended-{pk}" id="attended-{pk}-{key or "unknown"}" '
            f'value="{key}"{" checked" if key == chosen else ""}><label '
            f'class="form-check-label" for="attended-{pk}-{key or "unknown"}">{word}</label>'
            f'</div>' for key, word in words.items())
        name = invitation.city.name if invitation.city_id else invitation.expert.name
        lines.append(format_html(
            '<tr><th scope="row" id="invitee-{}">{}</th><td>{}</td><td><fieldset '
            'aria-labelledby="invitee-{}"><legend class="visually-hidden">{}</legend>{}'
            '</fieldset></td><td><label class="visually-hidden" for="attendees-{}">{}</label>'
            '<input class="form-control" type="text" maxlength="{}" name="attendees-{}" '
            'id="attendees-{}" value="{}"></td></tr>',
            pk, name, answers.get(invitation.response, ""), pk, legend, mark_safe(radios), pk,
            who, invitations.ATTENDEES_MAX_LENGTH, pk, pk, invitation.attendees))
    return mark_safe("".join(lines))


def action_lines(request, event: Event, items, *, manages: bool, today) -> SafeString:
    """The minutes page's actions, open first; with `manages`, their buttons."""
    done_word, overdue, no_owner = escape(_("Done")), escape(_("Overdue")), escape(
        _("No owner"))
    url = url_prefix("action-item-edit", "action_item_id", region_slug=event.region.slug,
                     event_id=event.pk)
    token = _csrf(request) if manages else ""
    mark, reopen, edit, delete = (escape(_("Mark done")), escape(_("Open again")),
                                  escape(_("Edit")), escape(_("Delete")))
    lines = []
    for item in items:
        title = escape(item.title)
        if item.done_at:
            head = f'<s>{title}</s> <span class="state state-accepted">{done_word}</span>'
        else:
            late = item.due_on is not None and item.due_on < today
            head = f"<strong>{title}</strong>" + (
                f' <span class="state tone-danger">{overdue}</span>' if late else "")
        owner = escape(str(item.owner)) if item.owner_id else no_owner
        due = " · " + escape(_("due %(day)s") % {"day": shown_day(item.due_on)}) \
            if item.due_on else ""
        buttons = ""
        if manages:
            hidden = f'<span class="visually-hidden">: {title}</span>'
            toggle = (icon("arrow-repeat") + reopen if item.done_at
                      else icon("check-lg") + mark)
            buttons = (
                f'<div class="d-flex flex-wrap gap-2 mt-2">'
                f'<form method="post" action="{url}{item.pk}/done/">{token}<button '
                f'type="submit" class="btn btn-sm btn-outline-secondary">{toggle}{hidden}'
                f'</button></form><a class="btn btn-sm btn-outline-secondary" '
                f'href="{url}{item.pk}/">{icon("pencil")}{edit}{hidden}</a>'
                f'<form method="post" action="{url}{item.pk}/delete/">{token}<button '
                f'type="submit" class="btn btn-sm btn-outline-danger">{icon("trash")}{delete}'
                f'{hidden}</button></form></div>')
        lines.append(f'<li class="list-group-item" id="action-item-{item.pk}"><div>{head}'
                     f'</div><small class="text-body-secondary">{owner}{due}</small>'
                     f'{buttons}</li>')
    return mark_safe("".join(lines))


def my_event_cards(request, rows, *, answers) -> SafeString:
    """My events' coming invitations (dicts of queries.MY_FIELDS), each with its answer
    buttons while it is open."""
    kinds, labels = labels_of(EventKind), labels_of(Response)
    rsvp_url = url_prefix("rsvp", "invitee_id", region_slug=request.region.slug)
    token = _csrf(request)
    words = {"cancelled": escape(_("Cancelled")), "link": escape(_("Online link")),
             "expert": escape(_("Invited: you, as an expert")),
             "answer": escape(_("Your answer")), "note": escape(_("Note"))}
    invited = _("Invited: %(city)s")
    now = timezone.now()
    cards = []
    for row in rows:
        pk, response = row["id"], row["response"]
        cancelled = row["event__state"] == EventState.CANCELLED
        where = ""
        if row["event__venue"]:
            where += " · " + escape(row["event__venue"])
        if row["event__online_link"]:
            where += format_html(' · <a href="{}" rel="noopener noreferrer">{}</a>',
                                 row["event__online_link"], words["link"])
        who = (escape(invited % {"city": row["city__name"]}) if row["city_id"]
               else words["expert"])
        note = escape(row["response_note"])
        form = ""
        if (not cancelled and row["event__state"] != EventState.HELD
                and row["event__ends_at"] > now):
            buttons = "".join(
                (CHOSEN if response == value else NOT_CHOSEN).format(
                    value=value, label=escape(label)) for value, label in answers)
            form = (f'<form method="post" action="{rsvp_url}{pk}/answer/" class="rsvp-form">'
                    f'{token}<div class="mb-2"><label class="form-label" for="note-{pk}">'
                    f'{words["note"]}</label><input class="form-control" type="text" '
                    f'maxlength="{invitations.NOTE_MAX_LENGTH}" name="note" id="note-{pk}" '
                    f'value="{note}"></div><div class="d-flex flex-wrap gap-2" role="group" '
                    f'aria-label="{words["answer"]}">{buttons}</div></form>')
        state = (f' <span class="state state-declined">{words["cancelled"]}</span>'
                 if cancelled else "")
        cards.append(
            f'<article class="card mb-3" id="invitation-{pk}" aria-labelledby="invitation-'
            f'{pk}-title"><div class="card-body"><h3 class="h6 mb-1" id="invitation-{pk}-'
            f'title">{escape(row["event__title"])}{state}</h3><p class="mb-2">'
            f'{escape(kinds.get(row["event__kind"], ""))} · '
            f'{escape(shown_when(row["event__starts_at"]))}{where}<br><small '
            f'class="text-body-secondary">{who}</small></p><p class="mb-2">{words["answer"]}: '
            f'<span class="state {TONES.get(response, "")}">{escape(labels.get(response, ""))}'
            f'</span>{" · " + note if note else ""}</p>{form}</div></article>')
    return mark_safe("".join(cards))


def past_lines(rows) -> SafeString:
    labels, attended = labels_of(Response), escape(_("Attended"))
    return mark_safe("".join(
        f'<li class="list-group-item">{escape(row["event__title"])} · '
        f'{escape(shown_day(row["event__starts_at"]))} <span class="state '
        f'{TONES.get(row["response"], "")}">{escape(labels.get(row["response"], ""))}</span>'
        + (f' <span class="pill">{attended}</span>' if row["attended"] else "") + "</li>"
        for row in rows))


# -- the invitations ------------------------------------------------------------------------

@require_safe
def invitee_list(request, region_slug, event_id):
    event, manages = _event(request, event_id)
    filters = InviteeFilterForm(request.GET or None)
    choice = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    rows = queries.invitee_rows(event, q=choice.get("q") or "",
                                response=choice.get("response") or "")
    page = paginate(request, rows)
    counts = invitations.response_counts(event)
    open_ = event.state not in CLOSED
    context = {"event": event, "manages": manages, "open": open_, "page_obj": page,
               "lines": invitee_lines(request, event, page.object_list,
                                      removable=manages and open_),
               "filters": filters, "counts": counts, "counts_line": counts_line(counts),
               "observer_note": observer_note(event),
               "zone": request.region.time_zone}
    if manages and open_:
        context.update(invite_forms(event))
    return render(request, "events/invitations.html", context)


def _said(request, result: invitations.Invited) -> None:
    if result.count:
        messages.success(request, _("%(count)s invited.") % {"count": result.count})
    elif not result.skipped:
        messages.info(request, _("Nobody new to invite: they are all invited already."))
    if result.skipped:
        messages.warning(request, result.skipped_message())


@require_POST
def invite_tier(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    form = TierForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one or more tiers."))
        return _back(request, event)
    with refused_as_message(request):
        _said(request, invitations.invite_by_tier(actor=request.user, event=event,
                                                  tiers=form.cleaned_data["tiers"]))
    return _back(request, event)


def _picked(request, event: Event, form_class, field: str):
    form = form_class(request.POST, region=request.region)
    _through_event(form, event)
    if form.is_valid():
        return form.cleaned_data[field]
    messages.error(request, " ".join(str(e) for e in form.errors.get(field, [])) or _(
        "Choose from the list."))
    return None


@require_POST
def invite_city(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    city = _picked(request, event, CityForm, "city")
    if city is not None:
        with refused_as_message(request):
            _said(request, invitations.invite_city(actor=request.user, event=event, city=city))
    return _back(request, event)


@require_POST
def invite_expert(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    if request.POST.get("all") == "working":
        with refused_as_message(request):
            _said(request, invitations.invite_experts(actor=request.user, event=event))
        return _back(request, event)
    expert = _picked(request, event, ExpertForm, "expert")
    if expert is not None:
        with refused_as_message(request):
            _said(request, invitations.invite_experts(actor=request.user, event=event,
                                                      experts=[expert]))
    return _back(request, event)


@require_POST
def invite_group(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    group = _picked(request, event, GroupForm, "group")
    if group is not None:
        with refused_as_message(request):
            _said(request, invitations.invite_group(actor=request.user, event=event,
                                                    group=group))
    return _back(request, event)


@require_POST
def invite_previous(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    with refused_as_message(request):
        _said(request, invitations.invite_previous(actor=request.user, event=event))
    return _back(request, event)


@require_POST
def invitee_remove(request, region_slug, event_id, invitee_id):
    event, _manages = _event(request, event_id, manage=True)
    invitation = get_object_or_404(EventInvitation.objects.filter(
        region=request.region, event=event).select_related("city", "expert"), pk=invitee_id)
    invitation.event = event
    with refused_as_message(request):
        invitations.remove_invitation(actor=request.user, invitation=invitation)
        messages.success(request, _("Invitation removed."))
    return _to_invitees(event)


@require_safe
def invitee_pick(request, region_slug, event_id, picker):
    _event(request, event_id, manage=True)
    chosen = PICKERS[picker]
    text = request.GET.get("q", "")[:QUERY_MAX_LENGTH]
    found = list(chosen.matching(request.region, text)[:13])
    return render(request, "alliance/_picker_options.html", {
        "options": [(row.pk, chosen.label(row), chosen.detail(row)) for row in found[:12]],
        "more": len(found) > 12, "query": text})


@require_POST
def event_announce(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    with refused_as_message(request):
        invitations.announce(actor=request.user, event=event)
        messages.success(request, _("Event announced: the invitees are told."))
    return _to_event(event)


# -- attendance -----------------------------------------------------------------------------

def _attendance_rows(request, page) -> dict[int, tuple[bool | None, str]]:
    rows = {}
    for invitation in page.object_list:
        said = request.POST.get(f"attended-{invitation.pk}", "")
        attended = {"yes": True, "no": False}.get(said)
        rows[invitation.pk] = (attended, request.POST.get(f"attendees-{invitation.pk}", ""))
    return rows


def event_attendance(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    started = event.starts_at <= timezone.now()
    page = paginate(request, queries.invitee_rows(event), ATTENDANCE_PER_PAGE)
    if request.method == "POST":
        if not started:
            messages.error(request, _("Attendance is recorded once the event has started."))
            return _to_event(event)
        with refused_as_message(request):
            changed = invitations.record_attendance(actor=request.user, event=event,
                                                    rows=_attendance_rows(request, page))
            messages.success(request, _("Attendance saved (%(count)s changed).")
                             % {"count": changed})
            url = reverse("event-attendance", kwargs={"region_slug": region_slug,
                                                      "event_id": event.pk})
            number = page.number
            return redirect(f"{url}?page={number}" if number > 1 else url)
    return render(request, "events/attendance.html", {
        "event": event, "page_obj": page, "started": started,
        "lines": attendance_lines(page.object_list),
        "counts": invitations.response_counts(event),
        "cancelled": event.state == EventState.CANCELLED})


# -- minutes and action items ---------------------------------------------------------------

def event_minutes(request, region_slug, event_id):
    event, manages = _event(request, event_id)
    if request.method == "POST" and not manages:
        raise PermissionDenied
    form = MinutesForm(_posted(request), initial={"minutes": event.minutes})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            minutes.save_minutes(actor=request.user, event=event,
                                 minutes=form.cleaned_data["minutes"])
            messages.success(request, _("Minutes saved."))
            return redirect("event-minutes", region_slug=region_slug, event_id=event.pk)
    item_form = None
    if manages:
        item_form = ActionItemForm(region=request.region)
        _through_event(item_form, event)
    page = paginate(request, minutes.items_of(event))
    return render(request, "events/minutes.html", {
        "event": event, "manages": manages, "form": form if manages else None,
        "page_obj": page, "item_form": item_form,
        "action_lines": action_lines(request, event, page.object_list, manages=manages,
                                     today=timezone.localdate()),
        "cancelled": event.state == EventState.CANCELLED,
        "history": history(request, event, 20)})


def _action_item(request, event: Event, action_item_id) -> ActionItem:
    item = get_object_or_404(ActionItem.objects.filter(region=request.region, event=event)
                             .select_related("owner"), pk=action_item_id)
    item.event = event
    return item


def _to_minutes(event: Event):
    return redirect(reverse("event-minutes", kwargs={
        "region_slug": event.region.slug, "event_id": event.pk}) + "#action-items")


def action_item_create(request, region_slug, event_id):
    event, _manages = _event(request, event_id, manage=True)
    form = ActionItemForm(_posted(request), region=request.region)
    _through_event(form, event)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            minutes.add_action_item(actor=request.user, event=event, **form.cleaned_data)
            messages.success(request, _("Action added."))
            return _to_minutes(event)
    return render(request, "events/minutes_action_form.html", {
        "form": form, "event": event, "item": None})


def action_item_edit(request, region_slug, event_id, action_item_id):
    event, _manages = _event(request, event_id, manage=True)
    item = _action_item(request, event, action_item_id)
    initial = {"title": item.title, "owner": item.owner, "due_on": item.due_on}
    form = ActionItemForm(_posted(request), region=request.region, initial=initial)
    _through_event(form, event)
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.cleaned_data.items()
                   if value != initial[name]}
        with refused_into(form):
            minutes.update_action_item(actor=request.user, item=item, **changes)
            messages.success(request, _("Action saved."))
            return _to_minutes(event)
    return render(request, "events/minutes_action_form.html", {
        "form": form, "event": event, "item": item})


@require_POST
def action_item_done(request, region_slug, event_id, action_item_id):
    event, _manages = _event(request, event_id, manage=True)
    item = _action_item(request, event, action_item_id)
    with refused_as_message(request):
        minutes.toggle_done(actor=request.user, item=item)
        messages.success(request, _("Action marked done.") if item.done_at
                         else _("Action open again."))
    return _to_minutes(event)


@require_POST
def action_item_delete(request, region_slug, event_id, action_item_id):
    event, _manages = _event(request, event_id, manage=True)
    item = _action_item(request, event, action_item_id)
    with refused_as_message(request):
        minutes.delete_action_item(actor=request.user, item=item)
        messages.success(request, _("Action deleted."))
    return _to_minutes(event)


# -- the invitee's own events ---------------------------------------------------------------

@require_safe
@requires(VIEW_OWN)
def my_events(request, region_slug):
    base, now = queries.mine(request.user, request.region), timezone.now()
    upcoming = paginate(request, queries.my_invitations(request.user, request.region,
                                                        past=False, base=base, now=now))
    past = list(queries.my_invitations(request.user, request.region, past=True,
                                       limit=PAST_SHOWN, base=base, now=now))
    answers = [(value, label) for value, label in labels_of(Response).items()
               if value in invitations.ANSWERS]
    return render(request, "events/my_events.html", {
        "page_obj": upcoming, "cards": my_event_cards(request, upcoming.object_list,
                                                      answers=answers),
        "past_lines": past_lines(past),
        "actions": queries.open_actions(request.user, request.region, ACTIONS_SHOWN),
        "today": timezone.localdate(), "zone": request.region.time_zone})


@require_POST
@requires(invitations.RSVP)
def rsvp(request, region_slug, invitee_id):
    invitation = get_object_or_404(
        invitations.own_invitations(request.user, request.region), pk=invitee_id)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose attending, maybe or not attending (a note of at most "
                                  "%(count)s characters).") % {
            "count": invitations.NOTE_MAX_LENGTH})
    else:
        with refused_as_message(request):
            invitations.respond(actor=request.user, invitation=invitation,
                                **form.cleaned_data)
            messages.success(request, _("Your answer is saved: %(answer)s.") % {
                "answer": invitation.response_label})
    return redirect(reverse("my-events", kwargs={"region_slug": region_slug})
                    + f"#invitation-{invitation.pk}")


# -- calendar feeds -------------------------------------------------------------------------

def _feed_url(request, feed) -> str:
    return request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": feed.token}))


@require_safe
@requires("alliance.view_region")
def calendar_feeds(request, region_slug):
    region_feed = (feeds.feed_of(request.user, request.region)
                   if permissions.can(request.user, VIEW, region=request.region) else None)
    personal = feeds.feed_of(request.user, None)
    return render(request, "events/calendar_feeds.html", {
        "region_feed": region_feed, "personal_feed": personal,
        "region_url": _feed_url(request, region_feed) if region_feed else "",
        "personal_url": _feed_url(request, personal)})


@require_POST
@requires("alliance.view_region")
def calendar_rotate(request, region_slug):
    which = request.POST.get("feed")
    if which == "region":
        permissions.require(request.user, VIEW, region=request.region)
        feed = feeds.feed_of(request.user, request.region)
    elif which == "personal":
        feed = feeds.feed_of(request.user, None)
    else:
        messages.error(request, _("Choose which address to rotate."))
        return redirect("calendar-feeds", region_slug=region_slug)
    feeds.rotate(actor=request.user, feed=feed)
    messages.success(request, _("New address made: the old one no longer works. Subscribe "
                                "again with the new one."))
    return redirect("calendar-feeds", region_slug=region_slug)


@require_safe
def calendar_feed(request, token):
    """The feed itself, for calendar applications: no session, the token is the key."""
    feed = feeds.feed_by_token(token)
    if feed is None:
        raise Http404
    response = HttpResponse(feeds.cached_calendar(feed),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# -- the region's rule for observers --------------------------------------------------------

@requires(MANAGE_SETTINGS)
def event_settings_page(request, region_slug):
    form = SettingsForm(_posted(request), initial={
        "observer_kinds": event_settings.observer_kinds(request.region)})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            event_settings.update_settings(actor=request.user, region=request.region,
                                           **form.cleaned_data)
            messages.success(request, _("Event settings saved."))
            return redirect("event-settings", region_slug=region_slug)
    return render(request, "events/settings.html", {"form": form})


urlpatterns = [
    path("mine/", my_events, name="my-events"),
    path("mine/<int:invitee_id>/answer/", rsvp, name="rsvp"),
    path("calendar/", calendar_feeds, name="calendar-feeds"),
    path("calendar/rotate/", calendar_rotate, name="calendar-rotate"),
    path("settings/", event_settings_page, name="event-settings"),
    path("<int:event_id>/announce/", event_announce, name="event-announce"),
    path("<int:event_id>/invitations/", invitee_list, name="invitee-list"),
    path("<int:event_id>/invitations/tier/", invite_tier, name="invitee-invite-tier"),
    path("<int:event_id>/invitations/city/", invite_city, name="invitee-invite-city"),
    path("<int:event_id>/invitations/expert/", invite_expert, name="invitee-invite-expert"),
    path("<int:event_id>/invitations/group/", invite_group, name="invitee-invite-group"),
    path("<int:event_id>/invitations/previous/", invite_previous,
         name="invitee-invite-previous"),
    path("<int:event_id>/invitations/<int:invitee_id>/remove/", invitee_remove,
         name="invitee-remove"),
    *[path(f"<int:event_id>/invitations/pick/{name}/", invitee_pick, {"picker": name},
           name=f"invitee-pick-{name}") for name in PICKED],
    path("<int:event_id>/attendance/", event_attendance, name="event-attendance"),
    path("<int:event_id>/minutes/", event_minutes, name="event-minutes"),
    path("<int:event_id>/minutes/actions/new/", action_item_create, name="action-item-create"),
    path("<int:event_id>/minutes/actions/<int:action_item_id>/", action_item_edit,
         name="action-item-edit"),
    path("<int:event_id>/minutes/actions/<int:action_item_id>/done/", action_item_done,
         name="action-item-done"),
    path("<int:event_id>/minutes/actions/<int:action_item_id>/delete/", action_item_delete,
         name="action-item-delete"),
]
feed_urlpatterns = [path("<str:token>.ics", calendar_feed, name="calendar-feed")]

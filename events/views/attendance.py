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
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alliance import permissions
from alliance.pagination import paginate
from alliance.pickers import PICKERS, QUERY_MAX_LENGTH
from alliance.views import history, refused_as_message, refused_into, requires

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
from ..models import ActionItem, Event, EventInvitation, EventState, Response
from ..queries import attendance as queries
from ..rules import may_manage
from ..services import feeds, invitations, minutes
from ..services import settings as event_settings
from ..services.invitations import CLOSED
from ..templatetags.event_attendance import TONES

VIEW = "events.view"
VIEW_OWN = "events.view_own"
MANAGE_SETTINGS = event_settings.MANAGE_SETTINGS
ATTENDANCE_PER_PAGE = 50
PAST_SHOWN = 20
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
    forms = {"tier_form": TierForm(), "city_form": CityForm(region=region),
             "expert_form": ExpertForm(region=region), "group_form": GroupForm(region=region)}
    for name in ("city_form", "expert_form", "group_form"):
        _through_event(forms[name], event)
    return forms


def observer_note(event: Event) -> str:
    allowed, reason = invitations.observer_rule(event)
    return "" if allowed else _("Observer cities are not invited to this event: %(reason)s") % {
        "reason": reason}


# -- the invitations ------------------------------------------------------------------------

@require_safe
def invitee_list(request, region_slug, event_id):
    event, manages = _event(request, event_id)
    filters = InviteeFilterForm(request.GET or None)
    choice = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    rows = queries.invitee_rows(event, q=choice.get("q") or "",
                                response=choice.get("response") or "")
    page = paginate(request, rows)
    for invitation in page.object_list:
        invitation.event = event
        invitation.tone = TONES.get(invitation.response, "")
    open_ = event.state not in CLOSED
    context = {"event": event, "manages": manages, "open": open_, "page_obj": page,
               "filters": filters, "counts": invitations.response_counts(event),
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
        "counts": invitations.response_counts(event),
        "cancelled": event.state == EventState.CANCELLED})


# -- minutes and action items ---------------------------------------------------------------

def _items(event):
    today = timezone.localdate()
    rows = list(minutes.items_of(event))
    for item in rows:
        item.overdue = minutes.is_overdue(item, today)
    return rows


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
    return render(request, "events/minutes.html", {
        "event": event, "manages": manages, "form": form if manages else None,
        "items": _items(event), "item_form": item_form,
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

def _rows_with_tones(rows):
    rows = list(rows)
    now = timezone.now()
    for invitation in rows:
        invitation.tone = TONES.get(invitation.response, "")
        invitation.open = (invitation.event.state not in CLOSED
                           and invitation.event.ends_at > now)
    return rows


@require_safe
@requires(VIEW_OWN)
def my_events(request, region_slug):
    upcoming = paginate(request, queries.my_invitations(request.user, request.region,
                                                        past=False))
    upcoming_rows = _rows_with_tones(upcoming.object_list)
    past = _rows_with_tones(queries.my_invitations(request.user, request.region, past=True,
                                                   limit=PAST_SHOWN))
    return render(request, "events/my_events.html", {
        "page_obj": upcoming, "upcoming": upcoming_rows, "past": past,
        "actions": queries.open_actions(request.user, request.region, ACTIONS_SHOWN),
        "today": timezone.localdate(), "zone": request.region.time_zone,
        "answers": [(value, label) for value, label in Response.choices
                    if value in invitations.ANSWERS]})


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
    response = HttpResponse(feeds.calendar(feed), content_type="text/calendar; charset=utf-8")
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

"""Working groups: the region's list, a group's page (what it works on, its lead's delegation
with update notes, its members and sessions), creating and editing one, and what its lead
manages (members, sessions) on its own page. The Senior Advisory Board's pages are in
views/board.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import urlize
from django.urls import path
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance import permissions
from alliance.pagination import CountedPaginator, paginate
from alliance.pickers import PICKERS, QUERY_MAX_LENGTH
from alliance.services import delegations
from alliance.templatetags.formats import day, when
from alliance.templatetags.portal import icon
from alliance.views import history, refused_as_message, refused_into, requires, url_prefix
from alliance.views.delegation import delegation_panel, post_note

from ..forms.groups import GroupForm, MemberForm, SessionForm
from ..models import GroupMember, GroupSession, WorkingGroup
from ..services import groups
from . import board

MANAGE, VIEW = groups.MANAGE, groups.VIEW
MEMBERS_PER_PAGE = 30
# A group meets once or twice a year: the next few sessions and the latest past ones.
UPCOMING_SHOWN, PAST_SHOWN = 6, 6


def _posted(request):
    """The form's data on a POST (even an empty one), None otherwise."""
    return request.POST if request.method == "POST" else None


def _group_and_rights(request, working_group_id, *, manage: bool = False, counted=False):
    """The region's group (404 otherwise) for someone who may see it (the secretariat, a
    Forum reviewer, its lead) or, with `manage`, manage it; and whether they manage it
    (asked once: a lead's object permission is a query). `counted`: with `member_count`."""
    rows = WorkingGroup.objects.filter(region=request.region).select_related("lead",
                                                                             "model_policy")
    if counted:
        rows = rows.annotate(member_count=groups.member_count())
    group = get_object_or_404(rows, pk=working_group_id)
    group.region = request.region
    manages = groups.may_manage(request.user, group)
    allowed = manages or (not manage and permissions.can(request.user, groups.VIEW,
                                                         region=request.region))
    if not allowed:
        raise PermissionDenied
    return group, manages


def _group(request, working_group_id, *, manage: bool = False) -> WorkingGroup:
    return _group_and_rights(request, working_group_id, manage=manage)[0]


def _back_to(group: WorkingGroup, region_slug: str):
    return redirect("group-detail", region_slug=region_slug, working_group_id=group.pk)


@requires(VIEW)
def group_list(request, region_slug):
    page = paginate(request, groups.group_rows(request.region))
    return render(request, "experts/group_list.html", {
        "page_obj": page, "manages": groups.manages_groups(request.user, request.region),
        "today": timezone.localdate()})


@requires(MANAGE)
def group_create(request, region_slug):
    form = GroupForm(_posted(request), region=request.region,
                     initial={"lead_scope": groups.default_scope(),
                              "lead_review_on": groups.default_review_on()})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            group = groups.create_group(actor=request.user, region=request.region,
                                        **form.cleaned_data)
            messages.success(request, _("Working group created."))
            return _back_to(group, region_slug)
    return render(request, "experts/group_form.html", {"form": form, "group": None})


@requires(MANAGE)
def group_edit(request, region_slug, working_group_id):
    group = _group(request, working_group_id)
    current = delegations.current_delegation(group, groups.GRANT)
    initial = {field: getattr(group, field) for field in groups.EDITABLE}
    initial.update(lead=group.lead,
                   lead_scope=current.scope if current else groups.default_scope(group),
                   lead_review_on=current.review_on if current else groups.default_review_on())
    form = GroupForm(_posted(request), region=request.region, initial=initial,
                     current_review_on=current.review_on if current else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if current is not None and data["lead"] == group.lead:
            # The same lead: only what the form changed of their delegation is a change.
            if data["lead_review_on"] == current.review_on:
                data["lead_review_on"] = None
            if data["lead_scope"] == current.scope:
                data["lead_scope"] = None
        with refused_into(form):
            groups.update_group(actor=request.user, group=group, **data)
            messages.success(request, _("Working group saved."))
            return _back_to(group, region_slug)
    return render(request, "experts/group_form.html", {
        "form": form, "group": group, "history": history(request, group)})


def group_detail(request, region_slug, working_group_id):
    group, manages = _group_and_rights(request, working_group_id, counted=True)
    # Plain values: a page of members costs no model rows; their count came with the group.
    members = CountedPaginator(groups.current_members(group).values_list(
        "pk", "joined_on", "expert_id", "expert__name", "expert__organization",
        "contact__name", "contact__city__name"), MEMBERS_PER_PAGE,
        known_count=group.member_count).get_page(request.GET.get("page"))
    now = timezone.now()
    sessions = GroupSession.objects.filter(region=request.region, group=group).values_list(
        "pk", "title", "starts_at", "location", "notes")
    upcoming = sessions.filter(starts_at__gte=now).order_by("starts_at")[:UPCOMING_SHOWN]
    past = sessions.filter(starts_at__lt=now).order_by("-starts_at")[:PAST_SHOWN]
    session_url = url_prefix("group-session-edit", "session_id", region_slug=region_slug,
                             working_group_id=group.pk) if manages else ""
    current = delegations.current_delegation(group, groups.GRANT)
    return render(request, "experts/group_detail.html", {
        "group": group, "manages": manages,
        "secretariat": groups.manages_groups(request.user, request.region),
        "members": members,
        "member_lines": _member_lines(members, manages=manages, region_slug=region_slug,
                                      group=group),
        "upcoming": _session_lines(upcoming, session_url, full=True),
        "past": _session_lines(past, session_url, full=False),
        **delegation_panel(request, current, "group-delegation-note",
                           working_group_id=group.pk),
        "history": history(request, group)})


MEMBER = ('<li class="list-group-item d-flex flex-wrap align-items-center gap-2">'
          '<span class="flex-grow-1">{name}{detail} <span class="pill">{kind}</span></span>'
          '<small class="text-body-secondary">{since}</small>{remove}</li>')
REMOVE = ('<button type="submit" class="btn btn-sm btn-outline-danger" formaction="{url}{id}/'
          'remove/">{icon}{label}<span class="visually-hidden"> {name}</span></button>')
SESSION = '<li class="mb-2"><strong>{title}</strong> · {when}{location}{notes}</li>'
PAST_SESSION = '<li class="mb-1">{title} · {when}</li>'


def _member_lines(members, *, manages: bool, region_slug: str, group) -> str:
    """The members' `<li>`s, written once per page: a `{% url %}`, a form and a date filter
    per member cost more through the template engine than the rest of the page."""
    words = {"expert": escape(_("Expert")), "contact": escape(_("City contact")),
             "remove": escape(_("Remove")), "since": _("since %(day)s")}
    url = url_prefix("group-member-remove", "member_id", region_slug=region_slug,
                     working_group_id=group.pk) if manages else ""
    lines = []
    days: dict = {}
    for pk, joined_on, expert_id, expert, organization, contact, city in members:
        name, extra, kind = ((expert, organization, "expert") if expert_id
                             else (contact, city, "contact"))
        name = escape(name)
        if joined_on not in days:
            days[joined_on] = escape(words["since"] % {"day": day(joined_on)})
        lines.append(MEMBER.format(
            name=name, detail=f' <span class="text-body-secondary">· {escape(extra)}</span>'
            if extra else "", kind=words[kind], since=days[joined_on],
            remove=REMOVE.format(url=url, id=pk, icon=icon("person-dash"),
                                 label=words["remove"], name=name) if manages else ""))
    return mark_safe("".join(lines))


def _session_lines(sessions, url: str, *, full: bool) -> str:
    """The sessions' `<li>`s (linked to their edit page for those who manage the group)."""
    lines = []
    for pk, title, starts_at, location, notes in sessions:
        title = escape(title)
        if url:
            title = f'<a href="{url}{pk}/">{title}</a>'
        if not full:
            lines.append(PAST_SESSION.format(title=title, when=day(starts_at)))
            continue
        lines.append(SESSION.format(
            title=title, when=escape(when(starts_at)),
            location=f" · {urlize(location)}" if location else "",
            notes=f'<br><span class="text-body-secondary">'
                  f'{escape(Truncator(notes).chars(200))}</span>' if notes else ""))
    return mark_safe("".join(lines))


@require_POST
def group_delegation_note(request, region_slug, working_group_id, delegation_id):
    group = _group(request, working_group_id)
    delegation = get_object_or_404(
        delegations.delegations_of(group).filter(permission=groups.GRANT), pk=delegation_id)
    delegation.target = group
    post_note(request, delegation)
    return _back_to(group, region_slug)


# -- members --------------------------------------------------------------------------------

def group_member_add(request, region_slug, working_group_id):
    group = _group(request, working_group_id, manage=True)
    form = MemberForm(_posted(request), group=group)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            groups.add_member(actor=request.user, group=group, **form.cleaned_data)
            messages.success(request, _("Member added."))
            return _back_to(group, region_slug)
    return render(request, "experts/group_member_form.html", {"form": form, "group": group})


@require_POST
def group_member_remove(request, region_slug, working_group_id, member_id):
    group = _group(request, working_group_id, manage=True)
    member = get_object_or_404(GroupMember.objects.filter(region=request.region, group=group),
                               pk=member_id)
    member.group = group
    with refused_as_message(request):
        groups.remove_member(actor=request.user, member=member)
        messages.success(request, _("Member removed from the group."))
    return _back_to(group, region_slug)


def _group_options(request, region_slug, working_group_id, picker_name):
    """A member picker's suggestions, for those who manage this group (its lead included)."""
    _group(request, working_group_id, manage=True)
    picker = PICKERS[picker_name]
    rows = picker.matching(request.region, request.GET.get("q", "")[:QUERY_MAX_LENGTH])
    found = list(rows[:13])
    return render(request, "alliance/_picker_options.html", {
        "options": [(row.pk, picker.label(row), picker.detail(row)) for row in found[:12]],
        "more": len(found) > 12, "query": request.GET.get("q", "")[:QUERY_MAX_LENGTH]})


def group_pick_experts(request, region_slug, working_group_id):
    return _group_options(request, region_slug, working_group_id, "group-experts")


def group_pick_contacts(request, region_slug, working_group_id):
    return _group_options(request, region_slug, working_group_id, "group-contacts")


# -- sessions -------------------------------------------------------------------------------

def _session(request, group, session_id) -> GroupSession:
    session = get_object_or_404(
        GroupSession.objects.filter(region=request.region, group=group), pk=session_id)
    session.group = group
    return session


def group_session_create(request, region_slug, working_group_id):
    group = _group(request, working_group_id, manage=True)
    form = SessionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            groups.create_session(actor=request.user, group=group, **form.cleaned_data)
            messages.success(request, _("Session planned."))
            return _back_to(group, region_slug)
    return render(request, "experts/group_session_form.html", {
        "form": form, "group": group, "session": None})


def group_session_edit(request, region_slug, working_group_id, session_id):
    group = _group(request, working_group_id, manage=True)
    session = _session(request, group, session_id)
    form = SessionForm(_posted(request), initial={
        field: getattr(session, field) for field in groups.SESSION_EDITABLE})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            groups.update_session(actor=request.user, session=session, **form.cleaned_data)
            messages.success(request, _("Session saved."))
            return _back_to(group, region_slug)
    return render(request, "experts/group_session_form.html", {
        "form": form, "group": group, "session": session})


@require_POST
def group_session_delete(request, region_slug, working_group_id, session_id):
    group = _group(request, working_group_id, manage=True)
    session = _session(request, group, session_id)
    with refused_as_message(request):
        groups.delete_session(actor=request.user, session=session)
        messages.success(request, _("Session deleted."))
    return _back_to(group, region_slug)


urlpatterns = [
    path("groups/", group_list, name="group-list"),
    path("groups/new/", group_create, name="group-create"),
    path("groups/<int:working_group_id>/", group_detail, name="group-detail"),
    path("groups/<int:working_group_id>/edit/", group_edit, name="group-edit"),
    path("groups/<int:working_group_id>/members/add/", group_member_add,
         name="group-member-add"),
    path("groups/<int:working_group_id>/members/<int:member_id>/remove/", group_member_remove,
         name="group-member-remove"),
    path("groups/<int:working_group_id>/pick/experts/", group_pick_experts,
         name="group-pick-experts"),
    path("groups/<int:working_group_id>/pick/contacts/", group_pick_contacts,
         name="group-pick-contacts"),
    path("groups/<int:working_group_id>/sessions/new/", group_session_create,
         name="group-session-create"),
    path("groups/<int:working_group_id>/sessions/<int:session_id>/", group_session_edit,
         name="group-session-edit"),
    path("groups/<int:working_group_id>/sessions/<int:session_id>/delete/",
         group_session_delete, name="group-session-delete"),
    path("groups/<int:working_group_id>/delegations/<int:delegation_id>/notes/",
         group_delegation_note, name="group-delegation-note"),
    *board.urlpatterns,
]

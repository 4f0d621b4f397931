"""One city: its record page (header, facts, contacts, scores, what other apps add, timeline),
its forms, merging a duplicate into it and the way to the next city of the table."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alliance import permissions
from alliance.views import refused_as_message, refused_into, requires

from .. import extensions, queries, stages
from ..extensions import section_page
from ..forms import (
    CityFilterForm,
    CityForm,
    ContactForm,
    CriterionForm,
    MergeForm,
    ScoreForm,
    StageMoveForm,
)
from ..models import City, Criterion, Stage
from ..services import contacts, merging, pipeline, scoring
from .record import ContactItems, score_rows, timeline_items

CONTACTS_SHOWN = 8  # a page of the contacts section
TIMELINE_SHOWN = 10  # a page of the timeline
# A near-duplicate is created or kept only when this button sends it (cities.names).
ALLOW_DUPLICATE = "allow_duplicate"


def _city(request, city_id) -> City:
    return get_object_or_404(queries.city_rows(request.region).select_related("region"),
                             pk=city_id)


def _to_city(city):
    return redirect("city-detail", region_slug=city.region.slug, city_id=city.pk)


def _may_view(user, city: City) -> bool:
    """The region's pipeline readers, and a city contact on their own city's page."""
    region = city.region
    if permissions.can(user, "cities.view", region=region):
        return True
    return (permissions.can(user, "cities.view_own", region=region)
            and city.contacts.filter(user=user).exists())


@require_safe
@requires("alliance.view_region")
def city_detail(request, region_slug, city_id):
    city = _city(request, city_id)
    if not _may_view(request.user, city):
        raise PermissionDenied
    user, region = request.user, request.region
    may = {action: permissions.can(user, f"cities.{action}", region=region)
           for action in ("view", "edit", "move_stage")}
    context = {"city": city, "may": may, **_contacts(request, city, may)}
    if may["view"]:
        context.update(_pipeline_context(request, city, may))
    return render(request, "cities/city_detail.html", context)


def _contacts(request, city: City, may: dict) -> dict:
    """A page of the city's contacts, drawn as list items, and how many there are (a count of
    its own costs less than one inside the city's query). The section shows whether a
    contact uses the portal or was invited, not who or when: their account and invitation
    rows stay unread."""
    page = section_page(request, "contacts", city.contacts.all(), CONTACTS_SHOWN)
    city_url = reverse("city-detail", kwargs={"region_slug": request.region.slug,
                                              "city_id": city.pk})
    items = ContactItems(contacts_url=f"{city_url}contacts/", may=may)
    return {"contacts": page, "contact_items": items.html(page.rows),
            "contact_count": city.contacts.count()}


def _pipeline_context(request, city: City, may: dict) -> dict:
    """What the secretariat and reviewers see beyond a city contact: scores, moves, what
    other apps add, the timeline and the way through the table's list. The page's controls
    are written in its templates, not drawn by form widgets: those cost a millisecond each."""
    user, region = request.user, request.region
    return {
        "score_rows": score_rows(queries.criteria_scored(city), may_edit=may["edit"]),
        "moves": [(stage, Stage(stage).label) for stage in stages.allowed_moves(city.stage)]
        if may["move_stage"] else [],
        "merge_form": MergeForm(city=city) if may["edit"] else None,
        "sections": [{"template": s.template, **s.context(request, city, limit=s.limit)}
                     for s in extensions.SECTIONS
                     if permissions.can(user, s.action, region=region)],
        **_timeline(request, city),
        # Present (even blank: the table unfiltered) when the person came from the table.
        "table_query": request.GET.get("from"),
    }


def _timeline(request, city: City) -> dict:
    page = section_page(request, "timeline", queries.timeline(city), TIMELINE_SHOWN)
    return {"timeline": page, "timeline_items": timeline_items(page.rows)}


@require_safe
@requires("cities.view")
def city_neighbour(request, region_slug, city_id):
    """The next (or, with `?to=previous`, the previous) city of the table the person came
    from: `?from=` carries its filters and sort. Found when asked, so the city page itself
    costs nothing for it; at either end of the list, back to the table."""
    city = get_object_or_404(City.objects.filter(region=request.region), pk=city_id)
    table_query = request.GET.get("from", "")
    table = reverse("city-list", kwargs={"region_slug": region_slug})
    back = f"{table}?{table_query}" if table_query else table
    filters = CityFilterForm(QueryDict(table_query), region=request.region)
    if not filters.is_valid():
        return redirect(back)  # the table says what is wrong with its filters
    step = "previous" if request.GET.get("to") == "previous" else "next"
    neighbour = queries.neighbours(request.region, city, **filters.filters())[step]
    if neighbour is None:
        messages.info(request, _("%(city)s is the last city of your list.") % {"city": city.name}
                      if step == "next" else
                      _("%(city)s is the first city of your list.") % {"city": city.name})
        return redirect(back)
    page = reverse("city-detail", kwargs={"region_slug": region_slug, "city_id": neighbour.pk})
    return redirect(f"{page}?{urlencode({'from': table_query})}")


def _allowed_duplicate(request) -> bool:
    return request.POST.get(ALLOW_DUPLICATE) == "yes"


@requires("cities.edit")
def city_create(request, region_slug):
    form = CityForm(request.POST or None, region=request.region)
    refusal = None
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "tags"}
        with refused_into(form) as refusal:
            city = pipeline.create_city(actor=request.user, region=request.region,
                                        tags=form.tag_objects(),
                                        allow_duplicate=_allowed_duplicate(request), **fields)
            messages.success(request, _("%(city)s added to the long list.") % {"city": city})
            return _to_city(city)
    return render(request, "cities/city_form.html", {"form": form, **_duplicate(refusal)})


def _duplicate(refusal) -> dict:
    """The city a refused save duplicates, and whether saving anyway is offered."""
    error = getattr(refusal, "error", None)
    if not isinstance(error, pipeline.DuplicateCity):
        return {}
    return {"duplicate": error.existing, "may_allow": not error.same_name}


@requires("cities.edit")
def city_edit(request, region_slug, city_id):
    city = _city(request, city_id)
    form = CityForm(request.POST or None, instance=city, region=request.region)
    refusal = None
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "tags"}
        # The form filled the instance; the service compares with the row it locks.
        with refused_into(form) as refusal:
            pipeline.update_city(actor=request.user, city=city, tags=form.tag_objects(),
                                 allow_duplicate=_allowed_duplicate(request), **changes)
            messages.success(request, _("Saved."))
            return _to_city(city)
    return render(request, "cities/city_form.html",
                  {"form": form, "city": city, **_duplicate(refusal)})


@require_POST
@requires("cities.move_stage")
def city_stage(request, region_slug, city_id):
    city = _city(request, city_id)
    form = StageMoveForm(request.POST, city=city)
    if not form.is_valid():
        messages.error(request, _("Choose a stage this city can move to."))
        return _to_city(city)
    with refused_as_message(request):
        pipeline.advance_stage(actor=request.user, city=city, to=form.cleaned_data["to"],
                               note=form.cleaned_data["note"])
        messages.success(request, _("Stage changed."))
    return _to_city(city)


@require_POST
@requires("cities.edit")
def city_scores(request, region_slug, city_id):
    city = _city(request, city_id)
    criteria = Criterion.objects.filter(region=request.region)
    current = {s.criterion_id: s for s in city.scores.all()}
    form = ScoreForm(request.POST, criteria=criteria, scores=current)
    if form.is_valid():
        with refused_as_message(request):
            scoring.score_city(actor=request.user, city=city, scores=form.scores())
            messages.success(request, _("Scores saved."))
    else:
        messages.error(request, " ".join(form.non_field_errors())
                       or _("Scores run from 0 to 3."))
    return _to_city(city)


@requires("cities.edit")
def contact_edit(request, region_slug, city_id, contact_id=None):
    city = _city(request, city_id)
    contact = get_object_or_404(city.contacts.all(), pk=contact_id) if contact_id else None
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            contacts.save_contact(actor=request.user, city=city, contact=contact,
                                  **form.cleaned_data)
            messages.success(request, _("Contact saved."))
            return _to_city(city)
    return render(request, "cities/contact_form.html",
                  {"form": form, "city": city, "contact": contact})


@require_POST
@requires("alliance.invite_member")
def contact_invite(request, region_slug, city_id, contact_id):
    city = _city(request, city_id)
    contact = get_object_or_404(city.contacts.all(), pk=contact_id)
    with refused_as_message(request):
        contacts.invite_contact(actor=request.user, contact=contact)
        messages.success(request, _("%(name)s is invited as the city's contact.")
                         % {"name": contact.name})
    return _to_city(city)


@require_POST
@requires("cities.edit")
def city_merge(request, region_slug, city_id):
    """Two steps: the duplicate chosen on the city's page, then this page says which city
    stays and what moves, and its button (`confirm`) merges."""
    city = _city(request, city_id)
    form = MergeForm(request.POST, city=city)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("duplicate", []))
                       or _("Choose a city of this region to merge."))
        return _to_city(city)
    duplicate = form.cleaned_data["duplicate"]
    if "confirm" in request.POST:
        with refused_as_message(request) as refusal:
            merging.merge_cities(actor=request.user, keep=city, duplicate=duplicate)
            messages.success(request, _("%(duplicate)s was merged into %(city)s: its contacts, "
                                        "letters and history are here now.")
                             % {"duplicate": duplicate.name, "city": city.name})
        if not refusal:
            return _to_city(city)
    return render(request, "cities/merge_confirm.html", {
        "city": city, "duplicate": duplicate, "form": form,
        "contact_count": duplicate.contacts.count()})


@requires("cities.view", write="cities.manage_criteria")
def criteria(request, region_slug):
    may_manage = permissions.can(request.user, "cities.manage_criteria", region=request.region)
    form = CriterionForm(request.POST or None) if may_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        with refused_into(form):
            scoring.add_criterion(actor=request.user, region=request.region,
                                  **form.cleaned_data)
            messages.success(request, _("Criterion added."))
            return redirect("city-criteria", region_slug=region_slug)
    return render(request, "cities/criteria.html", {
        "criteria": Criterion.objects.filter(region=request.region), "form": form})


@require_POST
@requires("cities.manage_criteria")
def criterion_weight(request, region_slug, criterion_id):
    criterion = get_object_or_404(Criterion.objects.filter(region=request.region),
                                  pk=criterion_id)
    form = CriterionForm({"name": criterion.name, "weight": request.POST.get("weight")})
    if form.is_valid():
        scoring.set_weight(actor=request.user, criterion=criterion,
                           weight=form.cleaned_data["weight"])
        messages.success(request, _("Weight saved."))
    else:
        messages.error(request, _("A weight runs from 0 to 10."))
    return redirect("city-criteria", region_slug=region_slug)


urlpatterns = [
    path("new/", city_create, name="city-create"),
    path("criteria/", criteria, name="city-criteria"),
    path("criteria/<int:criterion_id>/weight/", criterion_weight, name="criterion-weight"),
    path("<int:city_id>/", city_detail, name="city-detail"),
    path("<int:city_id>/neighbour/", city_neighbour, name="city-neighbour"),
    path("<int:city_id>/edit/", city_edit, name="city-edit"),
    path("<int:city_id>/stage/", city_stage, name="city-stage"),
    path("<int:city_id>/scores/", city_scores, name="city-scores"),
    path("<int:city_id>/merge/", city_merge, name="city-merge"),
    path("<int:city_id>/contacts/new/", contact_edit, name="contact-create"),
    path("<int:city_id>/contacts/<int:contact_id>/", contact_edit, name="contact-edit"),
    path("<int:city_id>/contacts/<int:contact_id>/invite/", contact_invite,
         name="contact-invite"),
]

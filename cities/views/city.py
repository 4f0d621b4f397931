"""One city: its page (facts, contacts, scores, what other apps add, timeline) and its forms."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance import permissions
from alliance.views import refused_as_message, refused_into, requires

from .. import extensions, queries
from ..forms import CityForm, ContactForm, CriterionForm, MergeForm, ScoreForm, StageMoveForm
from ..models import City, Criterion
from ..services import contacts, merging, pipeline, scoring


def _city(request, city_id) -> City:
    return get_object_or_404(queries.city_rows(request.region), pk=city_id)


def _to_city(city):
    return redirect("city-detail", region_slug=city.region.slug, city_id=city.pk)


@requires("cities.view")
def city_detail(request, region_slug, city_id):
    city = _city(request, city_id)
    user, region = request.user, request.region
    may = {"edit": permissions.can(user, "cities.edit", region=region),
           "move_stage": permissions.can(user, "cities.move_stage", region=region)}
    criteria = Criterion.objects.filter(region=request.region)
    scores = {s.criterion_id: s for s in city.scores.all()}
    return render(request, "cities/city_detail.html", {
        "city": city, "may": may,
        "contacts": city.contacts.select_related("user", "invitation"),
        "score_form": ScoreForm(criteria=criteria, scores=scores),
        "move_form": StageMoveForm(city=city),
        "merge_form": MergeForm(city=city) if may["edit"] else None,
        "sections": [{"template": s.template, **s.context(request, city)}
                     for s in extensions.SECTIONS
                     if permissions.can(user, s.action, region=region)],
        "timeline": queries.timeline(city),
    })


@requires("cities.edit")
def city_create(request, region_slug):
    form = CityForm(request.POST or None, region=request.region)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "tags"}
        with refused_into(form) as refusal:
            city = pipeline.create_city(actor=request.user, region=request.region,
                                        tags=form.tag_objects(), **fields)
            messages.success(request, _("%(city)s added to the long list.") % {"city": city})
            return _to_city(city)
        duplicate = getattr(refusal.error, "existing", None)
    return render(request, "cities/city_form.html", {"form": form, "duplicate": duplicate})


@requires("cities.edit")
def city_edit(request, region_slug, city_id):
    city = _city(request, city_id)
    form = CityForm(request.POST or None, instance=city, region=request.region)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "tags"}
        # The form filled the instance; the service compares with the row it locks.
        with refused_into(form) as refusal:
            pipeline.update_city(actor=request.user, city=city, tags=form.tag_objects(),
                                 **changes)
            messages.success(request, _("Saved."))
            return _to_city(city)
        duplicate = getattr(refusal.error, "existing", None)
    return render(request, "cities/city_form.html",
                  {"form": form, "city": city, "duplicate": duplicate})


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
    city = _city(request, city_id)
    form = MergeForm(request.POST, city=city)
    if form.is_valid():
        with refused_as_message(request):
            merging.merge_cities(actor=request.user, keep=city,
                                 duplicate=form.cleaned_data["duplicate"])
            messages.success(request, _("Merged: contacts and history now belong to %(city)s.")
                             % {"city": city})
    else:
        messages.error(request, _("Choose a city of this region to merge."))
    return _to_city(city)


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
    path("<int:city_id>/edit/", city_edit, name="city-edit"),
    path("<int:city_id>/stage/", city_stage, name="city-stage"),
    path("<int:city_id>/scores/", city_scores, name="city-scores"),
    path("<int:city_id>/merge/", city_merge, name="city-merge"),
    path("<int:city_id>/contacts/new/", contact_edit, name="contact-create"),
    path("<int:city_id>/contacts/<int:contact_id>/", contact_edit, name="contact-edit"),
    path("<int:city_id>/contacts/<int:contact_id>/invite/", contact_invite,
         name="contact-invite"),
]

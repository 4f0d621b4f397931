"""Campaigns: the region's schedule and busy periods, the campaigns of each year, the draft's
form and cities, the launch with its live progress, and the progress page of every city's
assessment with its one-click reminder."""

from __future__ import annotations

from copy import copy
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from alliance import permissions
from alliance.labels import labels_of
from alliance.pagination import paginate
from alliance.templatetags.formats import date_formatter, shown_moment
from alliance.templatetags.portal import icon as _icon
from alliance.views import (
    history,
    refused,
    refused_as_message,
    refused_into,
    requires,
    url_prefix,
)
from cities.models import City

from ..forms.campaigns import (
    AddCityForm,
    BusyPeriodFormSet,
    CampaignForm,
    ProgressFilterForm,
    ScheduleForm,
)
from ..models import Assessment, BusyPeriod, Campaign
from ..services import campaigns

VIEW, MANAGE = "assessments.view_campaigns", "assessments.manage_campaigns"
PER_PAGE = 25
State = Campaign.State
DONE = (Assessment.State.SUBMITTED, Assessment.State.ACCEPTED)
# Opted-in cities a draft's page lists; more are counted.
OPTED_IN_SHOWN = 100
# The design system's tones (static/css/portal.css) of the states it has no colour for.
ASSESSMENT_TONES = {Assessment.State.IN_PROGRESS: "tone-info",
                    Assessment.State.SUBMITTED: "tone-warning",
                    Assessment.State.RETURNED: "tone-danger",
                    Assessment.State.ACCEPTED: "tone-success"}
CAMPAIGN_TONES = {State.DRAFT: "tone-info", State.LAUNCHING: "tone-warning",
                  State.OPEN: "tone-success"}


def _may_manage(request) -> bool:
    return permissions.can(request.user, MANAGE, region=request.region)


def _campaign(request, campaign_id) -> Campaign:
    campaign = (Campaign.objects.filter(region=request.region)
                .select_related("version__questionnaire", "launched_by")
                .filter(pk=campaign_id).first())
    if campaign is None:
        raise Http404
    campaign.region = request.region  # the one it was read in: no second copy of its row
    return campaign


def _to_campaign(campaign: Campaign, anchor: str = ""):
    return redirect(reverse("campaign-detail", kwargs={
        "region_slug": campaign.region.slug, "campaign_id": campaign.pk}) + anchor)


# -- the region's schedule and busy periods ---------------------------------------------------

@requires(MANAGE)
def assessment_settings(request, region_slug):
    region = request.region
    schedule = campaigns.settings_of(region)
    form = ScheduleForm(request.POST or None, instance=copy(schedule), prefix="schedule")
    periods = BusyPeriodFormSet(request.POST or None, prefix="busy",
                                queryset=BusyPeriod.objects.filter(region=region))
    if (request.method == "POST" and form.is_valid() and periods.is_valid()
            and _save_schedule(request, form, periods)):
        messages.success(request, _("Assessment schedule saved."))
        return redirect("assessment-settings", region_slug=region.slug)
    return render(request, "assessments/settings_schedule.html", {
        "form": form, "periods": periods,
        "history": history(request, schedule) if schedule.pk else None})


def _save_schedule(request, form, periods) -> bool:
    """The schedule and every changed busy period in one transaction: a refusal of any
    saves nothing and shows on the form it concerns."""
    actor, region = request.user, request.region
    concerned = [form]

    def show(error):
        target = concerned[-1]
        target.add_error(error.field if error.field in target.fields else None, error.message)

    with refused(show) as refusal, transaction.atomic():
        campaigns.save_settings(actor=actor, region=region, **form.cleaned_data)
        for period_form in periods.forms:
            concerned.append(period_form)
            period = period_form.instance
            if period_form in periods.deleted_forms:
                if period.pk:
                    campaigns.delete_busy_period(actor=actor, period=period)
                continue
            if not period_form.has_changed():
                continue
            fields = {name: period_form.cleaned_data[name]
                      for name in campaigns.PERIOD_FIELDS}
            if period.pk:
                campaigns.update_busy_period(actor=actor, period=period, **fields)
            else:
                campaigns.create_busy_period(actor=actor, region=region, **fields)
    return not refusal


# -- campaigns --------------------------------------------------------------------------------

@requires(VIEW)
def campaign_list(request, region_slug):
    rows = (Campaign.objects.filter(region=request.region)
            .select_related("version__questionnaire")
            .annotate(cities=Count("assessments"),
                      done=Count("assessments", filter=Q(assessments__state__in=DONE)))
            .order_by("-year", "-pk"))
    page = paginate(request, rows)
    detail = url_prefix("campaign-detail", "campaign_id", region_slug=request.region.slug)
    return render(request, "assessments/campaign_list.html", {
        "page_obj": page, "may_manage": _may_manage(request),
        "rows": [{"campaign": campaign, "url": f"{detail}{campaign.pk}/",
                  "tone": CAMPAIGN_TONES.get(campaign.state, "")} for campaign in page]})


def _suggested(region) -> dict:
    """A new campaign's starting values: the region's schedule, the latest questionnaire."""
    schedule = campaigns.settings_of(region)
    today = timezone.localdate()
    taken = set(Campaign.objects.filter(region=region).values_list("year", flat=True))
    year = today.year if today.year not in taken else today.year + 1
    return {"year": year, "version": campaigns.latest_published_version(),
            "opens_on": today, "closes_on": today + timedelta(weeks=schedule.window_weeks),
            "reminder_days": schedule.reminder_days}


@requires(MANAGE)
def campaign_create(request, region_slug):
    form = CampaignForm(request.POST or None, region=request.region,
                        initial=_suggested(request.region))
    if request.method == "POST" and form.is_valid() and not form.needs_confirmation:
        with refused_into(form):
            campaign = campaigns.create_campaign(actor=request.user, region=request.region,
                                                 **form.fields_to_save())
            messages.success(request, _("Campaign %(year)s drafted: add the cities that opted "
                                        "in, then launch it.") % {"year": campaign.year})
            return _to_campaign(campaign)
    return render(request, "assessments/campaign_form.html", {"form": form})


@requires(MANAGE)
def campaign_edit(request, region_slug, campaign_id):
    campaign = _campaign(request, campaign_id)
    if campaign.state != State.DRAFT:
        messages.error(request, _("This campaign is launched: its settings no longer change."))
        return _to_campaign(campaign)
    form = CampaignForm(request.POST or None, region=request.region, initial={
        name: getattr(campaign, name) for name in campaigns.CAMPAIGN_FIELDS})
    if request.method == "POST" and form.is_valid() and not form.needs_confirmation:
        with refused_into(form):
            campaigns.update_campaign(actor=request.user, campaign=campaign,
                                      **form.fields_to_save())
            messages.success(request, _("Campaign saved."))
            return _to_campaign(campaign)
    return render(request, "assessments/campaign_form.html",
                  {"form": form, "campaign": campaign})


@requires(VIEW)
def campaign_detail(request, region_slug, campaign_id):
    campaign = _campaign(request, campaign_id)
    return _detail_page(request, campaign)


def _detail_page(request, campaign: Campaign, *, add_form=None, status: int = 200):
    context = {"campaign": campaign, "may_manage": _may_manage(request),
               "tone": CAMPAIGN_TONES.get(campaign.state, ""),
               "history": history(request, campaign)}
    if campaign.state == State.DRAFT:
        context.update(_draft_context(request, campaign, add_form))
    elif campaign.state == State.LAUNCHING:
        context["progress_url"] = _progress_url(campaign)
    else:
        context.update(_progress_context(request, campaign))
        if add_form is None and campaign.state == State.OPEN and context["may_manage"]:
            add_form = AddCityForm(region=request.region)
        context["add_form"] = add_form
    return render(request, "assessments/campaign_detail.html", context, status=status)


def _draft_context(request, campaign, add_form) -> dict:
    opted_in = list(campaigns.opted_in_cities(campaign)[:OPTED_IN_SHOWN + 1])
    may_manage = permissions.can(request.user, MANAGE, region=request.region)
    return {
        "opted_in": opted_in[:OPTED_IN_SHOWN], "more_opted_in": len(opted_in) > OPTED_IN_SHOWN,
        "to_ask": campaigns.cities_to_ask(campaign).count(),
        "busy": campaigns.busy_periods_over(campaign.region, campaign.opens_on,
                                            campaign.closes_on),
        "add_form": add_form or (AddCityForm(region=request.region) if may_manage else None),
    }


def _progress_context(request, campaign) -> dict:
    filters = ProgressFilterForm(request.GET)
    if filters.is_valid():
        rows = campaigns.progress_rows(campaign, state=filters.cleaned_data["state"],
                                       search=filters.cleaned_data["q"])
        chosen = filters.cleaned_data["state"]
    else:
        rows, chosen = campaigns.progress_rows(campaign).none(), ""
    counts = campaigns.state_counts(campaign)
    paginator = Paginator(rows, PER_PAGE)
    if filters.is_valid() and not filters.cleaned_data["q"].split():
        # The state counts counted these rows already: the paginator is told, not asked.
        paginator.__dict__["count"] = counts[chosen] if chosen else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    base = reverse("campaign-detail", kwargs={"region_slug": campaign.region.slug,
                                              "campaign_id": campaign.pk})
    pills = [{"state": state, "label": label, "count": counts[state],
              "tone": ASSESSMENT_TONES.get(state, ""),
              "url": f"{base}?state={state}", "current": state == chosen}
             for state, label in Assessment.State.choices]
    return {"filters": filters, "page_obj": page, "pills": pills,
            "total": sum(counts.values()), "all_url": base, "filtered": bool(chosen),
            "rows": _rows(request, campaign, page, back=request.get_full_path())}


# A row of the progress table, written in Python once per page: through the template
# engine each row's form, dates and labels cost more than the rest of the page.
ROW = ('<tr id="assessment-{id}"><th scope="row"><a href="{url}">{city}</a></th>'
       '<td><span class="state state-{state} {tone}">{state_label}</span></td>'
       '<td>{activity}</td><td>{invited}</td><td>{reminded}</td>{action}</tr>')
REMIND = ('<td class="text-end">{form}</td>')
REMIND_FORM = ('<form method="post" action="{url}" hx-post="{url}" '
               'hx-target="#assessment-{id}" hx-swap="outerHTML">'
               '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
               '<input type="hidden" name="next" value="{back}">'
               '<button type="submit" class="btn btn-sm btn-outline-primary">{icon}{label} '
               '<span class="visually-hidden">{city}</span></button></form>')
NOTHING = "—"


def _rows(request, campaign, assessments, *, back: str) -> SafeString:
    """The `<tr>`s of the progress table for `assessments` (campaigns.progress_rows)."""
    detail = campaigns.assessment_url(campaign.region)
    remind = _remind_url(campaign.region)
    may_remind = campaign.state == State.OPEN and _may_manage(request)
    show_action = _may_manage(request)
    states = {key: escape(label) for key, label in labels_of(Assessment.State).items()}
    moment, day = date_formatter("SHORT_DATETIME_FORMAT"), date_formatter("SHORT_DATE_FORMAT")
    no_contact = format_html('<span class="text-body-secondary">{}</span>',
                             _("No key contact"))
    csrf, label = escape(get_token(request)), escape(_("Remind"))
    bell, back = _icon("bell", ""), escape(back)

    def action(row, city) -> str:
        if not show_action:
            return ""
        if not (may_remind and row.state not in DONE):
            return REMIND.format(form="")
        return REMIND.format(form=REMIND_FORM.format(
            url=remind(row.pk), id=row.pk, csrf=csrf, back=back, icon=bell, label=label,
            city=city))

    def shown(value, formatter) -> str:
        if value is None:
            return NOTHING
        local = timezone.localtime(value)
        return escape(shown_moment(local, formatter) if formatter is moment
                      else formatter(local.date()))

    lines = []
    for row in assessments:
        city = escape(row.city.name)
        invited = (shown(row.invited_at, day) if row.invited_at else
                   NOTHING if row.has_key_contact else no_contact)
        lines.append(ROW.format(
            id=row.pk, url=detail(row.pk), city=city, state=row.state,
            tone=ASSESSMENT_TONES.get(row.state, ""), state_label=states[row.state],
            activity=shown(row.last_activity_at, moment), invited=invited,
            reminded=shown(row.last_reminded_at, day), action=action(row, city)))
    return mark_safe("".join(lines))


def _remind_url(region):
    sample = reverse("assessment-remind", kwargs={"region_slug": region.slug,
                                                  "assessment_id": 0})
    cut = sample.rindex("/0/")
    return lambda pk: f"{sample[:cut + 1]}{pk}{sample[cut + 2:]}"


def _progress_url(campaign) -> str:
    return reverse("campaign-launch-progress", kwargs={"region_slug": campaign.region.slug,
                                                       "campaign_id": campaign.pk})


@require_POST
@requires(MANAGE)
def campaign_launch(request, region_slug, campaign_id):
    campaign = _campaign(request, campaign_id)
    with refused_as_message(request):
        campaigns.launch_campaign(actor=request.user, campaign=campaign)
        messages.success(request, _("Launch started: every city is asked in turn. This page "
                                    "shows the progress."))
    return _to_campaign(campaign)


@requires(VIEW)
def campaign_launch_progress(request, region_slug, campaign_id):
    """What the progress page polls while the launch runs; once it is done, the whole page
    loads again (htmx follows HX-Refresh)."""
    campaign = _campaign(request, campaign_id)
    if not request.htmx:
        return _to_campaign(campaign)
    if campaign.state != State.LAUNCHING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "assessments/_campaign_launch.html",
                  {"campaign": campaign, "progress_url": _progress_url(campaign)})


@require_POST
@requires(MANAGE)
def campaign_add_city(request, region_slug, campaign_id):
    campaign = _campaign(request, campaign_id)
    form = AddCityForm(request.POST, region=request.region)
    if form.is_valid():
        with refused_into(form, field="city"):
            campaigns.add_opted_in_city(actor=request.user, campaign=campaign,
                                        city=form.cleaned_data["city"])
            messages.success(request, _("%(city)s added.") % {
                "city": form.cleaned_data["city"].name})
            return _to_campaign(campaign, "#opted-in")
    return _detail_page(request, campaign, add_form=form, status=422 if request.htmx else 200)


@require_POST
@requires(MANAGE)
def campaign_remove_city(request, region_slug, campaign_id):
    campaign = _campaign(request, campaign_id)
    city_id = request.POST.get("city", "")
    city = get_object_or_404(City.objects.filter(region=request.region),
                             pk=int(city_id) if city_id.isdigit() else 0)
    with refused_as_message(request):
        campaigns.remove_opted_in_city(actor=request.user, campaign=campaign, city=city)
        messages.success(request, _("%(city)s removed.") % {"city": city.name})
    return _to_campaign(campaign, "#opted-in")


# -- the one-click reminder -------------------------------------------------------------------

@require_POST
@requires(MANAGE)
def assessment_remind(request, region_slug, assessment_id):
    """htmx swaps the row in place and the outcome shows as a toast; without JavaScript the
    progress page comes back with a message."""
    assessment = get_object_or_404(
        Assessment.objects.filter(region=request.region).select_related(
            "campaign__region", "city"), pk=assessment_id)
    with refused() as refusal:
        campaigns.remind_assessment(actor=request.user, assessment=assessment)
    notice = (refusal.error.message if refusal else
              _("Reminder sent to the key contact of %(city)s.") % {
                  "city": assessment.city.name})
    campaign = assessment.campaign
    if request.htmx:
        row = _rows(request, campaign,
                    campaigns.progress_rows(campaign).filter(pk=assessment.pk),
                    back=request.POST.get("next", ""))
        response = HttpResponse(row)
        # static/js/campaign_progress.js shows it as a toast that screen readers read.
        return trigger_client_event(response, "campaignNotice", {
            "text": notice, "tone": "danger" if refusal else "success"})
    (messages.error if refusal else messages.success)(request, notice)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(back)
    return _to_campaign(campaign)


urlpatterns = [
    path("settings/", assessment_settings, name="assessment-settings"),
    path("campaigns/", campaign_list, name="campaign-list"),
    path("campaigns/new/", campaign_create, name="campaign-create"),
    path("campaigns/<int:campaign_id>/", campaign_detail, name="campaign-detail"),
    path("campaigns/<int:campaign_id>/edit/", campaign_edit, name="campaign-edit"),
    path("campaigns/<int:campaign_id>/launch/", campaign_launch, name="campaign-launch"),
    path("campaigns/<int:campaign_id>/launch/progress/", campaign_launch_progress,
         name="campaign-launch-progress"),
    path("campaigns/<int:campaign_id>/cities/add/", campaign_add_city,
         name="campaign-add-city"),
    path("campaigns/<int:campaign_id>/cities/remove/", campaign_remove_city,
         name="campaign-remove-city"),
    path("campaigns/reminders/<int:assessment_id>/", assessment_remind,
         name="assessment-remind"),
]

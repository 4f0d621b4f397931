"""Terms of Reference pages. A secretariat keeps versions (the Global Secretariat the global
ones under /global/experts/terms/, a regional secretariat the region's own under
/r/<region>/experts/terms/), publishes them and sees who accepted which; an expert reads the
current version, accepts it and downloads what they accepted as a PDF."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance import permissions
from alliance.pagination import PER_PAGE, paginate
from alliance.pdf import render_pdf
from alliance.templatetags.formats import when
from alliance.templatetags.portal import icon
from alliance.views import here, history, refused_as_message, refused_into, requires, url_prefix

from .. import starter_terms
from ..forms.terms import AcceptTermsForm, TermsForm
from ..models import TermsAcceptance, TermsVersion
from ..queries import current_terms, terms_of_region
from ..services import terms as terms_service

MANAGE = "experts.manage_terms"
NOTHING = "—"


def client_ip(request) -> str | None:
    """The address the request came from. The portal's proxy passes the client's connection
    through (no forwarded-for header is trusted), so this is REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None


def _versions(request):
    """The versions this page may show: in a region its own and the global ones, under
    /global/ the global ones."""
    if request.region is None:
        return TermsVersion.objects.filter(region__isnull=True)
    return terms_of_region(request.region)


def _version(request, terms_id: int) -> TermsVersion:
    return get_object_or_404(_versions(request), pk=terms_id)


def _own_version(request, terms_id: int) -> TermsVersion:
    """A version kept here: a region's own, or under /global/ a global one."""
    return get_object_or_404(TermsVersion.objects.filter(region=request.region), pk=terms_id)


@requires(MANAGE)
def terms_list(request, region_slug=None):
    rows = _versions(request).select_related("region").only(
        "pk", "title", "version", "effective_on", "published_at", "region__slug",
        "region__name", "region__name_translations")
    current = current_terms(request.region) if request.region is not None else None
    return render(request, "experts/terms_list.html", {
        "page_obj": paginate(request, rows.order_by("-effective_on", "-id")),
        "current": current, "detail_url": _prefix(request, "terms-detail")})


def _prefix(request, url_name: str) -> str:
    if request.region is None:
        return url_prefix(f"global:{url_name}", "terms_id")
    return url_prefix(url_name, "terms_id", region_slug=request.region.slug)


@requires(MANAGE)
def terms_create(request, region_slug=None):
    initial = {"effective_on": timezone.localdate()}
    source_id = request.GET.get("from", "")
    if source_id.isdigit():
        source = _versions(request).filter(pk=int(source_id)).first()
        if source is not None:
            initial.update(title=source.title, body=source.body,
                           version=terms_service.suggested_next_version(source.version))
    elif not _versions(request).exists():
        # The first version starts from the standard text (purpose, membership,
        # confidentiality, conduct, term and withdrawal), to adapt.
        initial.update(title=starter_terms.TITLE, body=starter_terms.default_text(), version="1.0")
    form = TermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            terms = terms_service.create_terms(actor=request.user, region=request.region,
                                               **form.cleaned_data)
            messages.success(request, _("Draft saved. Publish it when it is ready: the experts "
                                        "are then asked to accept it."))
            return redirect(here(request, "terms-detail", terms_id=terms.pk))
    return render(request, "experts/terms_form.html", {"form": form, "terms": None})


@requires(MANAGE)
def terms_edit(request, terms_id: int, region_slug=None):
    terms = _own_version(request, terms_id)
    if terms.is_published:
        messages.info(request, _("A published version never changes: make a new version "
                                 "from it."))
        return redirect(here(request, "terms-detail", terms_id=terms.pk))
    form = TermsForm(request.POST or None, initial={
        "title": terms.title, "version": terms.version, "effective_on": terms.effective_on,
        "body": terms.body})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            terms_service.update_terms(actor=request.user, terms=terms, **form.cleaned_data)
            messages.success(request, _("Draft saved."))
            return redirect(here(request, "terms-detail", terms_id=terms.pk))
    return render(request, "experts/terms_form.html", {"form": form, "terms": terms})


@require_POST
@requires(MANAGE)
def terms_publish(request, terms_id: int, region_slug=None):
    terms = _own_version(request, terms_id)
    with refused_as_message(request) as refusal:
        terms_service.publish_terms(actor=request.user, terms=terms)
    if not refusal:
        messages.success(request, _("Version %(version)s is published. The experts it applies "
                                    "to are asked to accept it.") % {"version": terms.version})
    return redirect(here(request, "terms-detail", terms_id=terms.pk))


@requires(MANAGE)
def terms_detail(request, terms_id: int, region_slug=None):
    terms = _version(request, terms_id)
    region = request.region
    kept_here = terms.region_id == (region.pk if region else None)
    context = {"terms": terms, "history": history(request, terms) if kept_here else None,
               "may_edit": kept_here and not terms.is_published}
    if region is not None:
        current = current_terms(region)
        missing_only = request.GET.get("missing") == "1"
        counts = terms_service.acceptance_counts(region, terms)
        roster = Paginator(terms_service.acceptance_roster(region, terms,
                                                           missing_only=missing_only), PER_PAGE)
        # The counts above hold the roster's length: no second count of the same rows.
        roster.count = counts["missing"] if missing_only else counts["total"]
        page_obj = roster.get_page(request.GET.get("page"))
        rows = terms_service.with_latest_acceptance(list(page_obj.object_list))
        context.update(
            is_current=current is not None and current.pk == terms.pk,
            current=current, missing_only=missing_only, page_obj=page_obj,
            roster_rows=roster_rows(rows, region=region), counts=counts)
    return render(request, "experts/terms_detail.html", context)


ROSTER_ROW = ('<tr{warning}><td>{name}{no_account}</td><td>{state}</td><td>{version}</td>'
              '<td>{at}</td><td class="text-end">{pdf}</td></tr>')


def roster_rows(rows, *, region) -> SafeString:
    """The `<tr>`s of a version's roster (acceptance_roster values), written once per page:
    through the template engine a row's icons, labels and times cost more than the rest."""
    pdf_url = escape(url_prefix("terms-acceptance-pdf", "acceptance_id",
                                region_slug=region.slug))
    accepted = format_html('<span class="state state-accepted">{}{}</span>',
                           icon("check-circle"), _("Accepted"))
    missing = format_html('<span class="state state-pending">{}{}</span>',
                          icon("exclamation-triangle"), _("Not accepted"))
    no_account = format_html(' <span class="pill">{}</span>', _("no account yet"))
    pdf = format_html('<a href="{}{{id}}/pdf/">{}{}</a>', pdf_url, icon("download"), _("PDF"))
    return mark_safe("".join(ROSTER_ROW.format(
        warning="" if row["accepted_this"] else ' class="table-warning"',
        name=escape(row["name"]), no_account="" if row["user_id"] else no_account,
        state=accepted if row["accepted_this"] else missing,
        version=escape(row["latest_version"] or NOTHING),
        at=when(row["latest_at"]) if row["latest_at"] else NOTHING,
        pdf=pdf.replace("{id}", str(row["latest_id"])) if row["latest_id"] else "",
    ) for row in rows))


@requires("experts.own_record")
def terms_accept(request, region_slug):
    region = request.region
    expert = terms_service.expert_of(request.user, region)
    terms = current_terms(region)
    accepted = terms_service.acceptance_of(expert, terms) if expert is not None else None
    form = None
    if expert is not None and terms is not None and accepted is None:
        form = AcceptTermsForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with refused_into(form):
                terms_service.accept_terms(
                    actor=request.user, expert=expert, terms=terms,
                    typed_name=form.cleaned_data["typed_name"],
                    accepted=form.cleaned_data["accept"], ip_address=client_ip(request))
                messages.success(request, _("Thank you: you accepted the Terms of Reference "
                                            "%(version)s.") % {"version": terms.version})
                return redirect("terms-accept", region_slug=region.slug)
    earlier = None
    if expert is not None:
        earlier = (TermsAcceptance.objects.filter(expert=expert).select_related("terms")
                   .order_by("-accepted_at").first())
    return render(request, "experts/terms_accept.html", {
        "expert": expert, "terms": terms, "accepted": accepted, "form": form,
        "earlier": earlier if accepted is None else None})


@requires("alliance.view_region")
def terms_acceptance_pdf(request, acceptance_id: int, region_slug):
    """The accepted text with the acceptance record at its end: for the expert who accepted
    it and for the secretariat."""
    acceptance = get_object_or_404(
        TermsAcceptance.objects.select_related("terms", "expert", "user", "region"),
        pk=acceptance_id)
    own = acceptance.expert.user_id == request.user.pk and permissions.can(
        request.user, "experts.own_record", region=request.region)
    if not own and not permissions.can(request.user, MANAGE, region=request.region):
        raise PermissionDenied
    pdf = render_pdf("experts/terms_acceptance_pdf.html", {
        "acceptance": acceptance, "terms": acceptance.terms, "expert": acceptance.expert,
        "region": request.region,
        "accepted_at": timezone.localtime(acceptance.accepted_at)})
    response = HttpResponse(pdf, content_type="application/pdf")
    version = re.sub(r"[^0-9A-Za-z.-]", "-", acceptance.terms.version)
    filename = f"terms-of-reference-{version}-{acceptance.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_pages = [
    path("terms/", terms_list, name="terms-list"),
    path("terms/new/", terms_create, name="terms-create"),
    path("terms/<int:terms_id>/", terms_detail, name="terms-detail"),
    path("terms/<int:terms_id>/edit/", terms_edit, name="terms-edit"),
    path("terms/<int:terms_id>/publish/", terms_publish, name="terms-publish"),
]
urlpatterns = [
    *_pages,
    path("terms/accept/", terms_accept, name="terms-accept"),
    path("terms/acceptances/<int:acceptance_id>/pdf/", terms_acceptance_pdf,
         name="terms-acceptance-pdf"),
]
global_urlpatterns = list(_pages)

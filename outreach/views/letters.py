"""Letters: the list, drafting for a recipient, the editor with its gates, sending, answers,
letters of intent (content, PDF, signed copy) and engagement clearances."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance import permissions
from alliance.pagination import paginate
from alliance.views import history, refused, refused_as_message, refused_into, requires
from cities.models import Contact

from .. import queries
from ..forms import (
    AnswerForm,
    ChooseCityForm,
    IntentForm,
    LetterCreateForm,
    LetterFilterForm,
    LetterForm,
    SignedCopyForm,
)
from ..models import Letter, LetterKind, LetterOfIntent
from ..services import intents, letters
from . import attachment

State = Letter.State


def _letter(request, letter_id) -> Letter:
    letter = queries.letter_in(request.region, letter_id)
    if letter is None:
        raise Http404
    return letter


def _letter_of_intent(request, letter_id) -> Letter:
    letter = _letter(request, letter_id)
    if letter.kind != LetterKind.LETTER_OF_INTENT:
        raise Http404
    return letter


def _to_letter(letter):
    return redirect("letter-detail", region_slug=letter.region.slug, letter_id=letter.pk)


def _may(request) -> dict:
    user, region = request.user, request.region
    return {"edit": permissions.can(user, "outreach.edit", region=region),
            "send": permissions.can(user, "outreach.send", region=region)}


@requires("outreach.view")
def letter_list(request, region_slug):
    filters = LetterFilterForm(request.GET)
    if filters.is_valid():
        rows = queries.letters_in(request.region, **filters.cleaned_data)
    else:
        # A refused filter shows its error over no rows, not every letter.
        rows = queries.letters_in(request.region).none()
    return render(request, "outreach/letter_list.html", {
        "filters": filters, "page_obj": paginate(request, rows), "may": _may(request)})


@requires("outreach.edit")
def letter_create(request, region_slug):
    """?city= chooses the city (a small form asks when it is missing); ?contact= and
    ?template= preselect the recipient and the template."""
    choose = ChooseCityForm(request.GET or None, region=request.region)
    if not choose.is_valid():
        return render(request, "outreach/letter_choose_city.html", {"form": choose})
    city = choose.cleaned_data["city"]
    form = LetterCreateForm(request.POST or None, city=city, initial={
        "contact": request.GET.get("contact"), "template": request.GET.get("template")})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            letter = letters.draft_letter(actor=request.user, city=city, **form.cleaned_data)
            messages.success(request, _("Draft written; edit it for this city, then send it."))
            return _to_letter(letter)
    return render(request, "outreach/letter_create.html", {"city": city, "form": form})


def _text_lock(letter: Letter) -> str:
    """Why the letter's text cannot change now, or ""."""
    with refused() as refusal:
        letters.check_text_editable(letter)
    return refusal.error.message if refusal else ""


@requires("outreach.view", write="outreach.edit")
def letter_detail(request, region_slug, letter_id):
    letter = _letter(request, letter_id)
    may = _may(request)
    # Read before a posted form fills the instance: they describe the letter as saved.
    gates = queries.gates_of(letter)
    lock, refusal = _text_lock(letter), letters.send_refusal(letter)
    editable = may["edit"] and not lock
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = LetterForm(request.POST or None, instance=letter) if editable else None
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            letters.update_letter(actor=request.user, letter=letter, **form.cleaned_data)
            messages.success(request, _("Letter saved."))
            return _to_letter(letter)
    return render(request, "outreach/letter_detail.html", {
        "letter": letter, "form": form, "may": may, "lock": lock, "refusal": refusal,
        "gates": gates,
        "answer_form": AnswerForm() if letter.state in (State.SENT, State.NO_ANSWER) else None,
        "follow_ups": letter.follow_ups.all(),
        "history": history(request, letter)})


def _act(request, letter, service, success: str, **extra):
    """Run a letter action from a button; its refusal shows as a message on the letter."""
    with refused_as_message(request):
        service(actor=request.user, letter=letter, **extra)
        messages.success(request, success)
    return _to_letter(letter)


@require_POST
@requires("outreach.send")
def letter_send(request, region_slug, letter_id):
    letter = _letter(request, letter_id)
    return _act(request, letter, letters.send_letter, _("Letter marked as sent."))


@require_POST
@requires("outreach.edit")
def letter_answer(request, region_slug, letter_id):
    letter = _letter(request, letter_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the city answered."))
        return _to_letter(letter)
    if form.cleaned_data["outcome"] == AnswerForm.ANSWERED:
        service, success = letters.record_answer, _("Answer recorded.")
    else:
        service, success = letters.record_no_answer, _("Recorded that the city did not answer.")
    return _act(request, letter, service, success, note=form.cleaned_data["note"])


@require_POST
@requires("outreach.edit")
def letter_request_approval(request, region_slug, letter_id):
    letter = _letter(request, letter_id)
    return _act(request, letter, letters.request_legal_approval,
                _("Approval requested from the Global Secretariat."))


@require_POST
@requires("outreach.edit")
def contact_clearance(request, region_slug, contact_id):
    contact = get_object_or_404(Contact.objects.filter(region=request.region)
                                .select_related("city"), pk=contact_id)
    with refused_as_message(request):
        letters.request_engagement_clearance(actor=request.user, contact=contact)
        messages.success(request, _("Engagement clearance requested from the Forum reviewers."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(back)
    return redirect("letter-list", region_slug=region_slug)


def _intent_page(request, letter, *, intent_form=None, signed_form=None):
    intent = intents.intent_of(letter)
    may = _may(request)
    lock = _text_lock(letter)
    if intent_form is None and may["edit"] and not lock:
        intent_form = IntentForm(instance=intent, initial=_previous_terms(request.region)
                                 if intent is None else None)
    if signed_form is None and may["edit"] and intent and letter.state != State.DRAFT:
        signed_form = SignedCopyForm()
    return render(request, "outreach/letter_intent.html", {
        "letter": letter, "intent": intent, "intent_form": intent_form, "lock": lock,
        "signed_form": signed_form, "may": may,
        "parts": intents.parts_of(intent) if intent else [],
        "legal": queries.latest_request(letter, kind=letters.LEGAL_DOCUMENT),
        "history": history(request, letter)})


def _previous_terms(region) -> dict:
    """A new letter of intent starts from the region's latest one: terms rarely change."""
    previous = LetterOfIntent.objects.filter(region=region).order_by("-pk").first()
    return model_to_dict(previous, fields=LetterOfIntent.CONTENT) if previous else {}


@requires("outreach.view", write="outreach.edit")
def letter_intent(request, region_slug, letter_id):
    letter = _letter_of_intent(request, letter_id)
    if request.method != "POST":
        return _intent_page(request, letter)
    form = IntentForm(request.POST, instance=intents.intent_of(letter))
    if form.is_valid():
        with refused_into(form):
            intents.save_intent(actor=request.user, letter=letter, **form.cleaned_data)
            messages.success(request, _("Letter of intent saved."))
            return redirect("letter-intent", region_slug=region_slug, letter_id=letter.pk)
    return _intent_page(request, letter, intent_form=form)


@requires("outreach.view")
def letter_intent_pdf(request, region_slug, letter_id):
    letter = _letter_of_intent(request, letter_id)
    with refused_as_message(request) as refusal:
        pdf = intents.intent_pdf(letter)
    if refusal:
        return redirect("letter-intent", region_slug=region_slug, letter_id=letter.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"letter-of-intent-{letter.pk}.pdf"
    if request.GET.get("inline") == "1":
        # The approval page previews it in a frame: our own pages may frame this response
        # (and only this one); everywhere else framing stays refused.
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["X-Frame-Options"] = "SAMEORIGIN"
        response._csp_replace = {"frame-ancestors": ["'self'"]}
    else:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires("outreach.view", write="outreach.edit")
def letter_signed_copy(request, region_slug, letter_id):
    """GET downloads the signed copy; POST uploads it."""
    letter = _letter_of_intent(request, letter_id)
    if request.method != "POST":
        intent = intents.intent_of(letter)
        if intent is None or not intent.signed_copy:
            raise Http404
        return attachment(intent.signed_copy,
                          title=_("Signed letter of intent %(id)s") % {"id": letter.pk})
    form = SignedCopyForm(request.POST, request.FILES)
    if form.is_valid():
        with refused_into(form):
            intents.upload_signed_copy(actor=request.user, letter=letter,
                                       file=form.cleaned_data["file"])
            messages.success(request, _("Signed copy saved: %(city)s intends to participate.")
                             % {"city": letter.city.name})
            return redirect("letter-intent", region_slug=region_slug, letter_id=letter.pk)
    return _intent_page(request, letter, signed_form=form)


urlpatterns = [
    path("letters/", letter_list, name="letter-list"),
    path("letters/new/", letter_create, name="letter-create"),
    path("letters/<int:letter_id>/", letter_detail, name="letter-detail"),
    path("letters/<int:letter_id>/send/", letter_send, name="letter-send"),
    path("letters/<int:letter_id>/answer/", letter_answer, name="letter-answer"),
    path("letters/<int:letter_id>/request-approval/", letter_request_approval,
         name="letter-request-approval"),
    path("letters/<int:letter_id>/intent/", letter_intent, name="letter-intent"),
    path("letters/<int:letter_id>/intent/pdf/", letter_intent_pdf, name="letter-intent-pdf"),
    path("letters/<int:letter_id>/intent/signed-copy/", letter_signed_copy,
         name="letter-signed-copy"),
    path("contacts/<int:contact_id>/clearance/", contact_clearance, name="contact-clearance"),
]

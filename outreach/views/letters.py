"""Letters: the list, drafting for a recipient, and the letter's one page: recipient, text,
gates, sending and answers; for a letter of intent, its steps (terms, approval, preview and
sending, signed copy). Engagement clearances are asked from there too."""

from copy import copy
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from alliance import permissions
from alliance.pagination import paginate
from alliance.views import (
    attachment,
    history,
    refused,
    refused_as_message,
    refused_into,
    requires,
)
from cities.models import Contact

from .. import queries
from ..forms import (
    AnswerForm,
    ChooseCityForm,
    IntentForm,
    LetterCreateForm,
    LetterFilterForm,
    LetterForm,
    RecipientForm,
    SignedCopyForm,
)
from ..intent_terms import starting_terms
from ..models import Letter, LetterKind
from ..services import intents, letters
from .rows import letter_rows
from .steps import intent_steps

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
    page = paginate(request, rows)
    return render(request, "outreach/letter_list.html", {
        "filters": filters, "page_obj": page, "rows": letter_rows(page, region=request.region),
        "may": _may(request)})


@requires("outreach.edit")
def letter_create(request, region_slug):
    """?city= chooses the city (a small form asks when it is missing); ?contact=, ?template=
    and ?kind= preselect the recipient (else the city's key contact), template and kind."""
    choose = ChooseCityForm(request.GET or None, region=request.region)
    if not choose.is_valid():
        return render(request, "outreach/letter_choose_city.html", {"form": choose})
    city = choose.cleaned_data["city"]
    form = LetterCreateForm(request.POST or None, city=city, initial={
        "contact": request.GET.get("contact") or letters.key_contact_of(city),
        "template": request.GET.get("template"), "kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            letter = letters.draft_letter(actor=request.user, city=city, **form.cleaned_data)
            messages.success(request, _("Draft written; edit it for this city, then send it."))
            return _to_letter(letter)
    return render(request, "outreach/letter_create.html", {"city": city, "form": form})


def _text_lock(letter: Letter, gates: letters.Gates | None = None) -> str:
    """Why the letter's text cannot change now, or ""."""
    with refused() as refusal:
        letters.check_text_editable(letter, gates)
    return refusal.error.message if refusal else ""


# -- the letter's page ---------------------------------------------------------------------------
# Every action on it posts and comes back to it: htmx swaps the page's content in place and
# the outcome shows as a toast; without JavaScript it is a redirect with a message.

@requires("outreach.view", write="outreach.edit")
def letter_detail(request, region_slug, letter_id):
    """The letter's page; a POST saves its text."""
    letter = _letter(request, letter_id)
    if request.method != "POST":
        return _page(request, letter)
    if _text_lock(letter):
        raise PermissionDenied
    # A copy: an invalid form fills its instance, and the page describes the letter as saved.
    form = LetterForm(request.POST, instance=copy(letter))
    return _submit(request, letter, form, partial(letters.update_letter, actor=request.user,
                                                  letter=letter),
                   _("Letter saved."), form_key="form")


@require_POST
@requires("outreach.edit")
def letter_recipient(request, region_slug, letter_id):
    letter = _letter(request, letter_id)
    form = RecipientForm(request.POST, city=letter.city)
    return _submit(request, letter, form, partial(letters.update_letter, actor=request.user,
                                                  letter=letter),
                   _("Recipient changed."), form_key="recipient_form")


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
    answered = form.is_valid() and form.cleaned_data["outcome"] == AnswerForm.ANSWERED
    service, success = ((letters.record_answer, _("Answer recorded.")) if answered else
                        (letters.record_no_answer, _("Recorded that the city did not answer.")))

    def save(*, outcome, note):
        return service(actor=request.user, letter=letter, note=note)

    return _submit(request, letter, form, save, success, form_key="answer_form")


@require_POST
@requires("outreach.edit")
def letter_request_approval(request, region_slug, letter_id):
    letter = _letter(request, letter_id)
    return _act(request, letter, letters.request_legal_approval,
                _("Approval requested from the Global Secretariat."))


@requires("outreach.view", write="outreach.edit")
def letter_intent(request, region_slug, letter_id):
    """POST saves the terms step of a letter of intent's page (GET goes to that step)."""
    letter = _letter_of_intent(request, letter_id)
    if request.method != "POST":
        return redirect(_url_of(letter) + "#step-terms")
    form = IntentForm(request.POST, instance=intents.intent_of(letter))
    return _submit(request, letter, form, partial(intents.save_intent, actor=request.user,
                                                  letter=letter),
                   _("Letter of intent saved."), form_key="intent_form")


def _submit(request, letter, form, save, success: str, *, form_key: str):
    """A posted form of the letter's page, saved by `save(**cleaned_data)` (a service); when
    invalid or refused, the page again with the form (`form_key` in its context) showing why."""
    if form.is_valid():
        with refused_into(form):
            save(**form.cleaned_data)
            return _back(request, letter, success)
    return _page(request, letter, status=422 if request.htmx else 200, **{form_key: form})


def _act(request, letter, service, success: str):
    """A button of the letter's page; its refusal is the notice."""
    with refused() as refusal:
        service(actor=request.user, letter=letter)
    if refusal:
        return _back(request, letter, refusal.error.message, refused=True)
    return _back(request, letter, success)


def _back(request, letter, notice: str, *, refused: bool = False):
    """The page after an action, with its outcome and the city's move when it made one."""
    after = _letter(request, letter.pk)
    if after.city_moved_at != letter.city_moved_at:
        notice = f"{notice} {letters.city_moved_news(after)}"
    if request.htmx:
        response = _page(request, after, notice=notice, refused=refused,
                         status=422 if refused else 200)
        # static/js/letters.js shows it as a toast (portal.announce) that screen readers read.
        return trigger_client_event(response, "letterNotice", {
            "text": notice, "tone": "danger" if refused else "success"})
    (messages.error if refused else messages.success)(request, notice)
    return _to_letter(letter)


def _page(request, letter, *, status: int = 200, notice: str = "", refused: bool = False,
          **forms):
    template = "outreach/_letter_page.html" if request.htmx else "outreach/letter_detail.html"
    return render(request, template, {**_context(request, letter, **forms), "notice": notice,
                                      "refused": refused}, status=status)


def _context(request, letter, *, form=None, recipient_form=None, answer_form=None,
             intent_form=None, signed_form=None) -> dict:
    gates = letters.gates_of(letter)
    may, lock = _may(request), _text_lock(letter, gates)
    if recipient_form is None and may["edit"] and letter.is_draft:
        recipient_form = RecipientForm(city=letter.city, initial={"contact": letter.contact_id})
    if answer_form is None and may["edit"] and letter.state in (State.SENT, State.NO_ANSWER):
        answer_form = AnswerForm()
    context = {"letter": letter, "urls": _urls(letter), "may": may, "lock": lock, "gates": gates,
               "refusal": letters.send_refusal(letter, gates) if letter.is_draft else None,
               "recipient_form": recipient_form, "answer_form": answer_form,
               # Only a sent letter is followed up.
               "follow_ups": [] if letter.is_draft else letter.follow_ups.all(),
               "history": history(request, letter)}
    if letter.is_letter_of_intent:
        return {**context, **_intent_context(letter, may=may, lock=lock, legal=gates.legal,
                                             intent_form=intent_form, signed_form=signed_form)}
    if form is None and may["edit"] and not lock:
        form = LetterForm(instance=letter)
    return {**context, "form": form}


def _intent_context(letter, *, may, lock, legal, intent_form, signed_form) -> dict:
    intent = intents.intent_of(letter)
    if intent_form is None and may["edit"] and not lock:
        intent_form = IntentForm(instance=intent, initial=_intent_initial(letter, intent))
    if signed_form is None and may["edit"] and intent and not letter.is_draft:
        signed_form = SignedCopyForm()
    return {"intent": intent, "intent_form": intent_form, "signed_form": signed_form,
            "parts": intents.parts_of(intent) if intent else [],
            "steps": intent_steps(letter, intent, legal)}


def _intent_initial(letter, intent) -> dict:
    """The letter's text, and for a letter of intent not yet written, its starting terms."""
    initial = {"subject": letter.subject, "body": letter.body}
    return initial if intent is not None else {**initial, **starting_terms(letter)}


def _url_of(letter) -> str:
    return reverse("letter-detail", kwargs={"region_slug": letter.region.slug,
                                            "letter_id": letter.pk})


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


@requires("outreach.view")
def letter_intent_pdf(request, region_slug, letter_id):
    letter = _letter_of_intent(request, letter_id)
    with refused_as_message(request) as refusal:
        pdf = intents.intent_pdf(letter)
    if refusal:
        return _to_letter(letter)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"letter-of-intent-{letter.pk}.pdf"
    if request.GET.get("inline") == "1":
        # The letter and approval pages preview it in a frame: our own pages may frame this response
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
    return _submit(request, letter, form, partial(intents.upload_signed_copy,
                                                  actor=request.user, letter=letter),
                   _("Signed copy saved: %(city)s intends to participate.")
                   % {"city": letter.city.name}, form_key="signed_form")


# The letter page's actions, each a URL below the letter's own: the page's `urls` holds them
# by key, built from its own URL once per page rather than a reverse per form.
ACTIONS = {  # key: (URL name, path after the letter's, view)
    "recipient": ("letter-recipient", "recipient/", letter_recipient),
    "send": ("letter-send", "send/", letter_send),
    "answer": ("letter-answer", "answer/", letter_answer),
    "request_approval": ("letter-request-approval", "request-approval/", letter_request_approval),
    "intent": ("letter-intent", "intent/", letter_intent),
    "intent_pdf": ("letter-intent-pdf", "intent/pdf/", letter_intent_pdf),
    "signed_copy": ("letter-signed-copy", "intent/signed-copy/", letter_signed_copy),
}


def _urls(letter) -> dict[str, str]:
    page = _url_of(letter)
    return {"page": page, **{key: page + tail for key, (_name, tail, _view) in ACTIONS.items()}}


urlpatterns = [
    path("letters/", letter_list, name="letter-list"),
    path("letters/new/", letter_create, name="letter-create"),
    path("letters/<int:letter_id>/", letter_detail, name="letter-detail"),
    *(path(f"letters/<int:letter_id>/{tail}", view, name=name)
      for name, tail, view in ACTIONS.values()),
    path("contacts/<int:contact_id>/clearance/", contact_clearance, name="contact-clearance"),
]

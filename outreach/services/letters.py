"""Letters: drafted per recipient, edited, cleared, sent, answered (or not).

A letter moves draft -> sent -> answered | no answer. Sending passes three gates: the text
fits its character limit; a letter the Forum issues (FORUM_ISSUED) carries the Global
Secretariat's `legal_document` approval; a recipient in a national government or at a Forum
Partner has an `engagement_clearance` from a Forum reviewer (playbook, Preparation steps 4-5).
A draft goes to the city's key contact unless another is chosen; once sent, its recipient is
fixed. Sending, an answer and a signed letter of intent move the city forward, and the letter
remembers the move (`city_moved_to`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from alliance import approvals as approval_kinds
from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import ApprovalRequest, Role
from alliance.services import audit
from alliance.services.approvals import is_approved, request_approval
from alliance.services.changes import locked, save_changes
from cities.models import Contact, Stage
from cities.services.pipeline import advance_if_behind

from ..approval_subjects import clearance_subject, letter_subject
from ..intent_terms import covering_text
from ..models import Letter, LetterKind, LetterOfIntent
from .letter_templates import render_letter

LEGAL_DOCUMENT = "legal_document"
ENGAGEMENT_CLEARANCE = "engagement_clearance"
EDITABLE = ("subject", "body", "char_limit")
RECIPIENT = "contact"
# What the services read of a letter besides its own row.
RELATED = ("region", "city", "contact", "owner")
State = Letter.State
Approval = ApprovalRequest.State
# The audit code of each move; a state added to Letter.State gets its code here.
MOVED = {State.SENT: "outreach.letter.sent", State.ANSWERED: "outreach.letter.answered",
         State.NO_ANSWER: "outreach.letter.no_answer"}
# draft_letter's recipient when none is named: the city's key contact (None: no recipient).
KEY_CONTACT = object()


def draft_letter(*, actor, city, contact=KEY_CONTACT, template=None, kind: str = "",
                 language: str = "", subject: str = "", body: str = "",
                 char_limit: int | None = None) -> Letter:
    """A draft for one recipient: rendered from `template` when given, else written as is."""
    permissions.require(actor, "outreach.edit", region=city.region)
    if contact is KEY_CONTACT:
        contact = key_contact_of(city)
    _check_recipient(city=city, contact=contact, template=template)
    if template is not None:
        subject, body = render_letter(template=template, city=city, contact=contact,
                                      sender=actor)
        kind, language, char_limit = template.kind, template.language, template.char_limit
    if kind not in LetterKind.values:
        raise DomainError(_("Choose a template or a kind of letter."), field="kind")
    language = language or (contact.language if contact else city.region.default_language)
    if kind == LetterKind.LETTER_OF_INTENT and not body:
        body = covering_text(city=city, contact=contact, sender=actor, language=language)
    with transaction.atomic():
        letter = create_draft(city=city, contact=contact, template=template, kind=kind,
                              language=language, owner=actor, char_limit=char_limit,
                              subject=subject or _default_subject(kind, city, language),
                              body=body)
        audit.record(actor=actor, action="outreach.letter.drafted", target=letter,
                     region=city.region, kind=kind, template=template.name if template else "")
    return letter


def key_contact_of(city) -> Contact | None:
    return Contact.objects.filter(city=city, is_key=True).first()


def _check_recipient(*, city, contact, template=None) -> None:
    if contact is not None and contact.city_id != city.pk:
        raise DomainError(_("%(contact)s is not a contact of %(city)s.")
                          % {"contact": contact.name, "city": city.name}, field="contact")
    if template is not None and template.region_id != city.region_id:
        raise DomainError(_("Choose a template of this region."), field="template")


def _default_subject(kind: str, city, language: str) -> str:
    with translation.override(language):
        return f"{LetterKind(kind).label}: {city.name}"


def create_draft(*, city, owner, **fields) -> Letter:
    """The row itself, for callers that checked their right (a user) or have none (a job)."""
    fields["body"] = normalize_newlines(fields.get("body", ""))
    # Merge values can push a template's subject past the column's length.
    fields["subject"] = fields["subject"][:Letter._meta.get_field("subject").max_length]
    return Letter.objects.create(region=city.region, city=city, owner=owner, **fields)


def normalize_newlines(text: str) -> str:
    """Browsers submit CRLF; a character limit counts what the person sees, one per line break."""
    return text.replace("\r\n", "\n")


def update_letter(*, actor, letter: Letter, **changes) -> Letter:
    """Change the draft's text (while no approval is asked or given) or its recipient (one of
    its city's contacts, or none, until it is sent)."""
    permissions.require(actor, "outreach.edit", region=letter.region)
    if "body" in changes:
        changes["body"] = normalize_newlines(changes["body"])

    def check(locked_letter: Letter) -> None:
        if RECIPIENT in changes:
            check_recipient_changeable(locked_letter)
            _check_recipient(city=locked_letter.city, contact=changes[RECIPIENT])
        if set(changes) - {RECIPIENT}:
            check_text_editable(locked_letter)

    with transaction.atomic():
        letter, _changed = save_changes(actor=actor, obj=letter, changes=changes,
                                        editable=(*EDITABLE, RECIPIENT), check=check,
                                        related=RELATED, action="outreach.letter.changed")
    return letter


def _locked(letter: Letter) -> Letter:
    # Lock first: two secretariat users may act on the same letter at once.
    return locked(letter, *RELATED)


def check_recipient_changeable(letter: Letter) -> None:
    if letter.state != State.DRAFT:
        raise InvalidTransition(_("This letter was sent; its recipient is fixed."),
                                field=RECIPIENT)


@dataclass(frozen=True)
class Gates:
    """The approvals a letter's sending waits for, newest first: the Global Secretariat's
    legal approval of a Forum-issued letter, the Forum reviewers' engagement clearance of its
    recipient. Read once (`gates_of`) for every check and what the page shows of them."""

    legal_requests: tuple[ApprovalRequest, ...] = ()
    clearance_requests: tuple[ApprovalRequest, ...] = ()

    @property
    def legal(self) -> ApprovalRequest | None:
        return self.legal_requests[0] if self.legal_requests else None

    @property
    def clearance(self) -> ApprovalRequest | None:
        return self.clearance_requests[0] if self.clearance_requests else None

    @property
    def standing_legal(self) -> ApprovalRequest | None:
        """The approval if one was given (a later refusal of a re-request does not undo it),
        else the latest request."""
        return next((a for a in self.legal_requests if a.state == Approval.APPROVED),
                    self.legal)

    @property
    def legal_in_hand(self) -> bool:
        """Asked or given: the text the Global Secretariat reads must not change under it."""
        return any(a.state in (Approval.PENDING, Approval.APPROVED) for a in self.legal_requests)

    @property
    def cleared(self) -> bool:
        return any(a.state == Approval.APPROVED for a in self.clearance_requests)


def gates_of(letter: Letter) -> Gates:
    """The requests about this letter's gates, in one query (none when it has no gate)."""
    contact = letter.contact
    asked = Q()
    # Both content types in one query: looked up one by one, a cold cache reads as an N+1.
    letter_type, contact_type = ContentType.objects.get_for_models(Letter, Contact).values()
    if letter.is_forum_issued:
        asked |= Q(content_type=letter_type, object_id=letter.pk, kind=LEGAL_DOCUMENT)
    if contact and contact.needs_clearance:
        asked |= Q(content_type=contact_type, object_id=contact.pk, kind=ENGAGEMENT_CLEARANCE)
    if not asked:
        return Gates()
    requests = list(ApprovalRequest.objects.filter(asked).select_related("decided_by")
                    .order_by("-requested_at", "-id"))
    return Gates(tuple(a for a in requests if a.kind == LEGAL_DOCUMENT),
                 tuple(a for a in requests if a.kind == ENGAGEMENT_CLEARANCE))


def check_text_editable(letter: Letter, gates: Gates | None = None) -> None:
    """Only a draft changes, and a Forum letter not while its approval is asked or given."""
    if letter.state != State.DRAFT:
        raise InvalidTransition(_("This letter was sent; its text can no longer change."))
    if letter.is_forum_issued and (gates or gates_of(letter)).legal_in_hand:
        raise InvalidTransition(_("The Global Secretariat is reviewing this letter or approved "
                                  "it as it stands, so its text cannot change."))


def send_refusal(letter: Letter, gates: Gates | None = None) -> DomainError | None:
    """Why the letter may not be sent yet, or None. The page shows it; sending raises it."""
    if not letter.body.strip():
        return DomainError(_("The letter has no text."), field="body")
    if letter.over_limit:
        return DomainError(ngettext(
            "The letter is %(over)s character over its limit of %(limit)s; shorten it before "
            "sending.",
            "The letter is %(over)s characters over its limit of %(limit)s; shorten it before "
            "sending.", letter.over_limit) % {"over": letter.over_limit,
                                               "limit": letter.char_limit}, field="body")
    gates = gates or gates_of(letter)
    if letter.is_forum_issued and (awaited := _awaited_approval(gates.standing_legal)):
        return DomainError(" ".join((
            _("The Forum issues this %(kind)s: the Global Secretariat must approve it as a "
              "legal document before it is sent.") % {"kind": letter.get_kind_display().lower()},
            awaited)))
    contact = letter.contact
    if contact and contact.needs_clearance and not gates.cleared:
        return DomainError(_("%(contact)s is a national government official or works at a "
                             "Forum Partner: a Forum reviewer must clear the approach "
                             "(engagement clearance) before this letter is sent.")
                           % {"contact": contact.name}, field="contact")
    return None


def _awaited_approval(standing: ApprovalRequest | None) -> str:
    """"" once the Global Secretariat approved the letter, else what to do next."""
    if standing is None:
        return _("Request their approval first.")
    if standing.state == Approval.APPROVED:
        return ""
    if standing.state == Approval.PENDING:
        return _("Their approval is pending.")
    return _("They answered “%(decision)s”: change the letter and request approval again.") % {
        "decision": standing.get_state_display()}


def send_letter(*, actor, letter: Letter) -> Letter:
    """Mark the letter sent (it goes out by the channel of the contact's choosing); the city
    counts as contacted from now on."""
    permissions.require(actor, "outreach.send", region=letter.region)
    with transaction.atomic():
        letter = _locked(letter)
        _require_state(letter, [State.DRAFT])
        refusal = send_refusal(letter)
        if refusal is not None:
            raise refusal
        _move(actor=actor, letter=letter, to=State.SENT, sent_at=timezone.now())
        advance_city(actor=actor, letter=letter, to=Stage.CONTACTED,
                     note=_("Letter sent: %(subject)s") % {"subject": letter.subject})
    return letter


def record_answer(*, actor, letter: Letter, note: str = "") -> Letter:
    """The city answered (also after the letter was marked unanswered): it is in dialogue."""
    permissions.require(actor, "outreach.edit", region=letter.region)
    with transaction.atomic():
        letter = _locked(letter)
        mark_answered(actor=actor, letter=letter, note=note)
        advance_city(actor=actor, letter=letter, to=Stage.IN_DIALOGUE,
                     note=_("Answer to: %(subject)s") % {"subject": letter.subject})
    return letter


def advance_city(*, actor, letter: Letter, to: str, note: str) -> None:
    """Move the (locked) letter's city forward to `to` if it is behind, and have the letter
    remember the move."""
    if not advance_if_behind(actor=actor, city=letter.city, to=to, note=note):
        return
    letter.city.stage = to
    letter.city_moved_to, letter.city_moved_at = to, timezone.now()
    letter.save(update_fields=["city_moved_to", "city_moved_at"])


def city_moved_news(letter: Letter) -> str:
    """"Bogotá moved to “In dialogue”." for a letter that moved its city, else ""."""
    if not letter.city_moved_to:
        return ""
    return _("%(city)s moved to “%(stage)s”.") % {"city": letter.city.name,
                                                  "stage": Stage(letter.city_moved_to).label}


def mark_answered(*, actor, letter: Letter, note: str) -> Letter:
    """The letter's own move, for callers that checked the right, locked the letter and move
    the city themselves (a signed letter of intent is an answer that goes further)."""
    _require_state(letter, [State.SENT, State.NO_ANSWER])
    _move(actor=actor, letter=letter, to=State.ANSWERED, answered_at=timezone.now(),
          answer_note=note.strip())
    return letter


def record_no_answer(*, actor, letter: Letter, note: str = "") -> Letter:
    permissions.require(actor, "outreach.edit", region=letter.region)
    with transaction.atomic():
        letter = _locked(letter)
        _require_state(letter, [State.SENT])
        _move(actor=actor, letter=letter, to=State.NO_ANSWER, answer_note=note.strip())
    return letter


def _require_state(letter: Letter, allowed: list[str]) -> None:
    if letter.state not in allowed:
        raise InvalidTransition(_("This letter is %(state)s; that is not possible now.")
                                % {"state": letter.get_state_display().lower()})


def _move(*, actor, letter: Letter, to: str, **fields) -> None:
    old = letter.state
    letter.state = to
    for name, value in fields.items():
        setattr(letter, name, value)
    letter.save(update_fields=["state", *fields])
    audit.record(actor=actor, action=MOVED[to], target=letter,
                 region=letter.region, old=old, new=to, note=fields.get("answer_note", ""))


def request_legal_approval(*, actor, letter: Letter) -> ApprovalRequest:
    """Ask the Global Secretariat to approve a Forum-issued letter as it stands."""
    permissions.require(actor, "outreach.edit", region=letter.region)
    with transaction.atomic():
        # Lock first: a send or an edit at the same moment must not slip past these checks.
        letter = _locked(letter)
        if not letter.is_forum_issued:
            raise DomainError(_("Only letters the Forum issues (invitation letters and letters "
                                "of intent) need the Global Secretariat's approval."))
        _require_state(letter, [State.DRAFT])
        if is_approved(letter, kind=LEGAL_DOCUMENT):
            raise DomainError(_("The Global Secretariat already approved this letter."))
        if (letter.kind == LetterKind.LETTER_OF_INTENT
                and not LetterOfIntent.objects.filter(letter=letter).exists()):
            raise DomainError(_("Fill in the letter of intent's content before asking for "
                                "approval: the approval covers its terms."))
        approval = request_approval(
            actor=actor, target=letter, kind=LEGAL_DOCUMENT, region=letter.region,
            title_values={"kind": letter.kind, "city": letter.city.name,
                          "subject": letter.subject})
        audit.record(actor=actor, action="outreach.letter.approval_requested", target=letter,
                     region=letter.region, approval=approval.pk)
    return approval


def request_engagement_clearance(*, actor, contact) -> ApprovalRequest:
    """Ask a Forum reviewer to clear approaching a national government official or someone at
    a Forum Partner (the channel may also need the Primary Engagement Manager)."""
    permissions.require(actor, "outreach.edit", region=contact.region)
    with transaction.atomic():
        # Lock first: the contact's flags decide whether a clearance is needed at all.
        contact = locked(contact, "region", "city")
        if not contact.needs_clearance:
            raise DomainError(_("%(contact)s needs no engagement clearance.")
                              % {"contact": contact.name})
        if is_approved(contact, kind=ENGAGEMENT_CLEARANCE):
            raise DomainError(_("Approaching %(contact)s is already cleared.")
                              % {"contact": contact.name})
        why = "national_government" if contact.is_national_government else "forum_partner"
        approval = request_approval(
            actor=actor, target=contact, kind=ENGAGEMENT_CLEARANCE, region=contact.region,
            title_values={"contact": contact.name, "why": why, "city": contact.city.name})
        audit.record(actor=actor, action="outreach.clearance.requested", target=contact,
                     region=contact.region, contact=contact.name, approval=approval.pk)
    return approval


def _on_legal_decided(*, approval: ApprovalRequest, actor) -> None:
    letter = approval.target
    audit.record(actor=actor, action="outreach.letter.approval_decided", target=letter,
                 region=letter.region, decision=approval.state, comment=approval.comment)


def _on_clearance_decided(*, approval: ApprovalRequest, actor) -> None:
    contact = approval.target
    audit.record(actor=actor, action="outreach.clearance.decided", target=contact,
                 region=contact.region, contact=contact.name, decision=approval.state,
                 comment=approval.comment)


# Registered with the core from OutreachConfig.ready().
LEGAL_DOCUMENT_KIND = approval_kinds.ApprovalKind(
    code=LEGAL_DOCUMENT, label=gettext_lazy("Legal document (Forum-issued letter)"),
    route_role=Role.GLOBAL_SECRETARIAT, on_decided=_on_legal_decided,
    target_url=lambda approval: reverse("letter-detail", kwargs={
        "region_slug": approval.region.slug, "letter_id": approval.object_id}),
    subject_template="outreach/_approval_letter.html", subject_context=letter_subject,
    asked=gettext_lazy("%(actor)s asked for legal approval of this letter: %(summary)s"),
    title=gettext_lazy("%(kind)s to %(city)s: %(subject)s"), title_labels={"kind": LetterKind})
ENGAGEMENT_CLEARANCE_KIND = approval_kinds.ApprovalKind(
    code=ENGAGEMENT_CLEARANCE, label=gettext_lazy("Engagement clearance"),
    route_role=Role.FORUM_REVIEWER, on_decided=_on_clearance_decided,
    target_url=lambda approval: reverse("city-detail", kwargs={
        "region_slug": approval.region.slug, "city_id": approval.target.city_id}),
    subject_template="outreach/_approval_clearance.html", subject_context=clearance_subject,
    asked=gettext_lazy("%(actor)s asked for clearance to approach a contact: %(summary)s"),
    title=gettext_lazy("Approach %(contact)s (%(why)s), %(city)s"),
    title_labels={"why": {"national_government": gettext_lazy("national government official"),
                          "forum_partner": gettext_lazy("Forum Partner")}})

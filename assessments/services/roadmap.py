"""The Policy Roadmap: model policies the Global Secretariat keeps, and the proposals a
Regional Alliance makes (playbook 1-4).

A proposal carries the playbook's three conditions (a task force with enough geographical
representation, a proven model with a verifiable real-world reference, consistency with the
roadmap); it is refused unless all three are affirmed. It then waits for the Global
Secretariat's `model_policy` approval: approved, it joins the roadmap (adopted); rejected, it
is declined; changes requested, it stays proposed and the region may ask again.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance import approvals as approval_kinds
from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import ApprovalRequest, Role
from alliance.services import audit
from alliance.services.approvals import request_approval
from alliance.services.changes import locked, save_locked

from ..models import SOURCE_LANGUAGE, ModelPolicy, Principle

MODEL_POLICY = "model_policy"
Status = ModelPolicy.Status
Approval = ApprovalRequest.State
# The playbook's conditions: a proposal is refused unless each is affirmed.
CHECKLIST = ("has_geographical_representation", "is_proven_model",
             "is_consistent_with_roadmap")
EDITABLE = ("title", "summary", "reference_title", "reference_url", "translations")
TRANSLATED = ("title", "summary")


def translation_languages() -> list[tuple[str, str]]:
    """The interface languages a roadmap or questionnaire text is translated into."""
    return [(code, name) for code, name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def _check_principles(principles) -> list:
    principles = list(principles or [])
    if not principles:
        raise DomainError(_("Choose at least one principle this policy serves."),
                          field="principles")
    return principles


def _check_reference(reference_title: str, reference_url: str) -> None:
    if not reference_title.strip():
        raise DomainError(_("Name the real-world reference this policy is based on."),
                          field="reference_title")
    if not reference_url.strip():
        raise DomainError(_("Give a link where anyone can verify the reference."),
                          field="reference_url")


def propose_policy(*, actor, region, title: str, summary: str, principles,
                   reference_title: str, reference_url: str, task_force: str,
                   has_geographical_representation: bool, is_proven_model: bool,
                   is_consistent_with_roadmap: bool, consistency_note: str = ""
                   ) -> ModelPolicy:
    """A region's proposal, sent to the Global Secretariat for its `model_policy` approval."""
    permissions.require(actor, "assessments.propose_policy", region=region)
    ticks = {"has_geographical_representation": has_geographical_representation,
             "is_proven_model": is_proven_model,
             "is_consistent_with_roadmap": is_consistent_with_roadmap}
    for name in CHECKLIST:
        if not ticks[name]:
            raise DomainError(_("A proposal meets all three conditions of the playbook: "
                                "confirm this one."), field=name)
    principles = _check_principles(principles)
    _check_reference(reference_title, reference_url)
    if not task_force.strip():
        raise DomainError(_("Say who develops it, and from which countries and regions."),
                          field="task_force")
    with transaction.atomic():
        policy = ModelPolicy.objects.create(
            title=title.strip(), summary=summary.strip(), reference_title=reference_title.strip(),
            reference_url=reference_url.strip(), task_force=task_force.strip(),
            consistency_note=consistency_note.strip(), status=Status.PROPOSED,
            proposed_by_region=region, created_by=actor, **ticks)
        policy.principles.set(principles)
        audit.record(actor=actor, action="assessments.model_policy.proposed", target=policy,
                     region=region, title=policy.title)
        _ask_approval(actor=actor, policy=policy, region=region)
    return policy


def _ask_approval(*, actor, policy: ModelPolicy, region) -> ApprovalRequest:
    approval = request_approval(actor=actor, target=policy, kind=MODEL_POLICY, region=region,
                                title_values={"title": policy.title, "region": region.name})
    audit.record(actor=actor, action="assessments.model_policy.approval_requested",
                 target=policy, region=region, approval=approval.pk)
    return approval


def ask_again(*, actor, policy: ModelPolicy) -> ApprovalRequest:
    """After the Global Secretariat asked for changes: the proposal goes back to it."""
    region = policy.proposed_by_region
    permissions.require(actor, "assessments.propose_policy", region=region)
    with transaction.atomic():
        policy = locked(policy, "proposed_by_region")
        if policy.status != Status.PROPOSED or region is None:
            raise InvalidTransition(_("Only a proposal still waiting for a decision can be "
                                      "sent again."))
        return _ask_approval(actor=actor, policy=policy, region=region)


def create_policy(*, actor, title: str, summary: str, principles, reference_title: str,
                  reference_url: str, translations: dict | None = None) -> ModelPolicy:
    """A model policy the Global Secretariat adds to the roadmap itself."""
    permissions.require(actor, "assessments.manage_roadmap", region=None)
    principles = _check_principles(principles)
    _check_reference(reference_title, reference_url)
    with transaction.atomic():
        policy = ModelPolicy.objects.create(
            title=title.strip(), summary=summary.strip(), reference_title=reference_title.strip(),
            reference_url=reference_url.strip(), status=Status.ADOPTED, created_by=actor,
            translations=clean_translations(translations or {}, TRANSLATED))
        policy.principles.set(principles)
        audit.record(actor=actor, action="assessments.model_policy.created", target=policy,
                     title=policy.title)
    return policy


def update_policy(*, actor, policy: ModelPolicy, principles=None, **changes) -> ModelPolicy:
    """The Global Secretariat's edit of a policy's text, reference, principles and
    translations; a retired or declined policy is kept as it was."""
    permissions.require(actor, "assessments.manage_roadmap", region=None)
    if "translations" in changes:
        changes["translations"] = clean_translations(changes["translations"], TRANSLATED)
    if "reference_title" in changes or "reference_url" in changes:
        _check_reference(changes.get("reference_title", policy.reference_title),
                         changes.get("reference_url", policy.reference_url))
    with transaction.atomic():
        # Lock first: a decision on the proposal may land while it is edited.
        row = locked(policy)
        if row.status in (Status.RETIRED, Status.DECLINED):
            raise InvalidTransition(_("This policy is %(status)s; it is kept as it was.")
                                    % {"status": row.status_label})
        also = {}
        if principles is not None:
            principles = _check_principles(principles)
            old = sorted(row.principles.values_list("key", flat=True))
            new = sorted(p.key for p in principles)
            if old != new:
                row.principles.set(principles)
                also["principles"] = {"old": old, "new": new}
        row, _changed = save_locked(actor=actor, row=row, changes=changes, editable=EDITABLE,
                                    action="assessments.model_policy.changed", also=also,
                                    region=row.proposed_by_region)
    return row


def retire_policy(*, actor, policy: ModelPolicy) -> ModelPolicy:
    """Take an adopted policy off the roadmap; questionnaires that name it keep it."""
    permissions.require(actor, "assessments.manage_roadmap", region=None)
    with transaction.atomic():
        row = locked(policy)
        if row.status != Status.ADOPTED:
            raise InvalidTransition(_("Only a policy on the roadmap can be retired."))
        row.status = Status.RETIRED
        row.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action="assessments.model_policy.retired", target=row,
                     region=row.proposed_by_region, old=Status.ADOPTED, new=Status.RETIRED)
    return row


def clean_translations(translations: dict, fields) -> dict:
    """Only the interface languages and the named fields, blank texts dropped."""
    languages = {code for code, _name in translation_languages()}
    cleaned = {}
    for language, texts in (translations or {}).items():
        if language not in languages or not isinstance(texts, dict):
            continue
        kept = {f: str(texts[f]).strip() for f in fields if str(texts.get(f) or "").strip()}
        if kept:
            cleaned[language] = kept
    return cleaned


def approvals_of(policy: ModelPolicy):
    """The proposal's approval requests, newest first."""
    return ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(ModelPolicy), object_id=policy.pk,
        kind=MODEL_POLICY).select_related("decided_by", "requested_by")


def _on_decided(*, approval: ApprovalRequest, actor) -> None:
    """Runs in the decision's transaction; decide() has told the proposer already."""
    policy = locked(ModelPolicy(pk=approval.object_id))
    new = {Approval.APPROVED: Status.ADOPTED, Approval.REJECTED: Status.DECLINED}.get(
        approval.state)
    old = policy.status
    if new and old == Status.PROPOSED:
        policy.status = new
        policy.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="assessments.model_policy.decided", target=policy,
                 region=approval.region, decision=approval.state, comment=approval.comment,
                 old=old, new=policy.status)


def _target_url(approval: ApprovalRequest) -> str:
    return reverse("model-policy-detail", kwargs={"region_slug": approval.region.slug,
                                                  "policy_id": approval.object_id})


def _subject(approval: ApprovalRequest) -> dict:
    policy = (ModelPolicy.objects.select_related("proposed_by_region")
              .prefetch_related("principles").get(pk=approval.object_id))
    return {"policy": policy, "checklist": checklist_of(policy)}


def checklist_of(policy: ModelPolicy) -> list[tuple[str, bool]]:
    """The playbook's conditions as the proposal answered them: (condition, affirmed)."""
    return [(ModelPolicy._meta.get_field(name).verbose_name, getattr(policy, name))
            for name in CHECKLIST]


# Registered with the core from AssessmentsConfig.ready().
MODEL_POLICY_KIND = approval_kinds.ApprovalKind(
    code=MODEL_POLICY, label=gettext_lazy("Model policy proposal"),
    route_role=Role.GLOBAL_SECRETARIAT, on_decided=_on_decided, target_url=_target_url,
    subject_template="assessments/_roadmap_approval.html", subject_context=_subject,
    asked=gettext_lazy("%(actor)s proposed a model policy for the roadmap: %(summary)s"),
    title=gettext_lazy("Model policy proposed by %(region)s: %(title)s"))


# -- reads ------------------------------------------------------------------------------------

def roadmap_principles():
    """The five principles, each with its adopted model policies (`adopted`), in two
    queries."""
    return Principle.objects.prefetch_related(Prefetch(
        "model_policies", to_attr="adopted",
        queryset=ModelPolicy.objects.filter(status=Status.ADOPTED).order_by("title")))


def policies_visible_in(region):
    """What a region may read: the roadmap (adopted and retired policies) and its own
    proposals. Another region's proposal does not exist for it."""
    return ModelPolicy.objects.filter(Q(status__in=(Status.ADOPTED, Status.RETIRED))
                                      | Q(proposed_by_region=region))


def proposals_of(region):
    return (ModelPolicy.objects.filter(proposed_by_region=region)
            .prefetch_related("principles").order_by("-created_at", "-id"))

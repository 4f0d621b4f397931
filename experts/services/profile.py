"""An expert's profile: what they edit of it themselves, and what the region's directory (the
Urban Transformation Hub's experts) shows of it to others.

Others always see an expert's name and sector; every other field only when the expert marked
it public (Expert.public_fields). The directory's search and filters match only what is shown:
a filter on a hidden field would tell whoever filters what the expert chose not to show."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from django.conf import global_settings, settings
from django.core.exceptions import PermissionDenied
from django.core.validators import URLValidator, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.labels import labels_of
from alliance.services.changes import locked, refuse_unknown, save_locked
from assessments.models import ModelPolicy, Principle, PrincipleKey, translated

from .. import stages
from ..models import PUBLIC_FIELD_CHOICES, Expert, Sector

# What an expert changes of their own record; the rest is the secretariat's.
PROFILE_FIELDS = ("bio", "links", "languages", "public_fields")
PUBLIC_FIELDS = tuple(key for key, _label in PUBLIC_FIELD_CHOICES)
MAX_LINKS = 10
MAX_LINK = 500  # characters of one link
MAX_LANGUAGES = 20
MAX_BIO = 5000
# The languages a profile offers: the portal's own, then those most asked for in the regions.
# A code an expert already has stays offered (profile forms add it).
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES] + [
    "pt", "fr", "de", "it", "zh-hans", "zh-hant", "ko", "hi", "bn", "ar", "id", "ms", "th",
    "vi", "tl", "ru", "tr", "sw"]
_NAMES = dict(global_settings.LANGUAGES) | dict(settings.LANGUAGES)


def language_name(code: str) -> str:
    """The language's name in the reader's language; an unknown code as it is."""
    name = _NAMES.get(code)
    return str(gettext_lazy(name)) if name else code


def language_choices(extra=()) -> list[tuple[str, str]]:
    codes = LANGUAGE_CODES + [c for c in extra if c not in LANGUAGE_CODES]
    return [(code, language_name(code)) for code in codes]


# -- the expert's own edits ---------------------------------------------------------------------

def own_expert(user, region) -> Expert | None:
    """The user's own expert record in the region (the one their account is linked to)."""
    if not permissions.can(user, "experts.own_record", region=region):
        return None
    return (Expert.objects.filter(region=region, user=user).select_related("region")
            .order_by("-stage_changed_at", "-id").first())


def update_profile(*, actor, expert: Expert, principles=None, model_policies=None,
                   **changes) -> Expert:
    """The expert changes their biography, links, languages, topics (principles and model
    policies) and which of their fields the directory shows; nothing else. Every change is
    audited with its old and new value."""
    permissions.require(actor, "experts.own_record", region=expert.region)
    if expert.user_id != actor.pk:
        raise PermissionDenied(_("This is not your record."))
    refuse_unknown(changes, PROFILE_FIELDS)
    changes = _checked(changes)
    with transaction.atomic():
        row = locked(expert, "region")
        if row.user_id != actor.pk:
            raise PermissionDenied(_("This is not your record."))
        also = {}
        if principles is not None:
            also.update(_set_topics(row, "principles", principles))
        if model_policies is not None:
            also.update(_set_topics(row, "model_policies", model_policies))
        save_locked(actor=actor, row=row, changes=changes, editable=PROFILE_FIELDS,
                    action="experts.expert.profile_updated", also=also)
    return row


def _checked(changes: dict) -> dict:
    checked = dict(changes)
    if "bio" in checked:
        checked["bio"] = (checked["bio"] or "").strip()
        if len(checked["bio"]) > MAX_BIO:
            raise DomainError(_("Keep the biography under %(limit)s characters.")
                              % {"limit": MAX_BIO}, field="bio")
    if "links" in checked:
        checked["links"] = _links(checked["links"])
    if "languages" in checked:
        checked["languages"] = _languages(checked["languages"])
    if "public_fields" in checked:
        chosen = _strings(checked["public_fields"], "public_fields")
        unknown = sorted(set(chosen) - set(PUBLIC_FIELDS))
        if unknown:
            raise DomainError(_("These fields cannot be shown in the directory: %(names)s")
                              % {"names": ", ".join(unknown)}, field="public_fields")
        checked["public_fields"] = [key for key in PUBLIC_FIELDS if key in chosen]
    return checked


def _strings(value, name: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise DomainError(_("Give a list of texts."), field=name)
    return [v.strip() for v in value if v.strip()]


def _links(value) -> list[str]:
    links = _strings(value, "links")
    if len(links) > MAX_LINKS:
        raise DomainError(_("At most %(limit)s links.") % {"limit": MAX_LINKS}, field="links")
    for link in links:
        if len(link) > MAX_LINK or not _is_url(link):
            raise DomainError(_("“%(link)s” is not a web address (https://…).")
                              % {"link": link[:100]}, field="links")
    return list(dict.fromkeys(links))


def _is_url(link: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        return False
    return True


def _languages(value) -> list[str]:
    codes = list(dict.fromkeys(c.lower() for c in _strings(value, "languages")))
    if len(codes) > MAX_LANGUAGES:
        raise DomainError(_("At most %(limit)s languages.") % {"limit": MAX_LANGUAGES},
                          field="languages")
    if any(len(code) > 10 or not code.replace("-", "").isalpha() for code in codes):
        raise DomainError(_("Choose languages from the list."), field="languages")
    return codes


def _set_topics(expert: Expert, name: str, chosen) -> dict:
    """Set a many-to-many of topics; its audit part {name: {"old", "new"}} when it changed."""
    model = Principle if name == "principles" else ModelPolicy
    rows = model.objects.all()
    if model is ModelPolicy:
        rows = rows.filter(status=ModelPolicy.Status.ADOPTED)
    ids = sorted({getattr(c, "pk", c) for c in chosen})
    found = set(rows.filter(pk__in=ids).values_list("pk", flat=True))
    if found != set(ids):
        raise DomainError(_("Choose topics from the Policy Roadmap."), field=name)
    manager = getattr(expert, name)
    old = sorted(manager.values_list("pk", flat=True))
    if old == ids:
        return {}
    manager.set(ids)
    return {name: {"old": old, "new": ids}}


# -- what the directory shows -------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    """An expert as others see them: name and sector, and only the fields marked public (a
    hidden field is absent, not blank)."""

    id: int
    name: str
    sector: str
    sector_label: str
    shown: dict = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.shown


SECTOR_LABELS = dict(Sector.choices)


def cards_of(experts) -> list[Card]:
    """The cards of `directory_of` rows: the topics of those who show them read in two
    queries for the whole page (their labels straight from the rows, no model built)."""
    experts = list(experts)
    topics = _topics_of([e.pk for e in experts if "topics" in (e.public_fields or ())])
    sectors = labels_of(Sector)
    names = _language_names(get_language())
    return [_card(expert, topics.get(expert.pk), sectors, names) for expert in experts]


def card_of(expert: Expert) -> Card:
    return cards_of([expert])[0]


def _card(expert: Expert, topics, sectors: dict, names: dict) -> Card:
    public = set(expert.public_fields or ()) & set(PUBLIC_FIELDS)
    shown: dict = {}
    if "organization" in public and expert.organization:
        shown["organization"] = expert.organization
    if "bio" in public and expert.bio:
        shown["bio"] = expert.bio
    if "links" in public and expert.links:
        shown["links"] = [link for link in expert.links if _is_web(link)]
    if "languages" in public and expert.languages:
        shown["languages"] = [(code, names.get(code, code)) for code in expert.languages]
    if "email" in public and expert.email:
        shown["email"] = expert.email
    if "topics" in public and topics:
        shown["topics"] = topics
    return Card(id=expert.pk, name=expert.name, sector=expert.sector,
                sector_label=sectors.get(expert.sector, expert.sector), shown=shown)


def _topics_of(expert_ids: list[int]) -> dict[int, dict]:
    """{expert id: {"principles": [(id, label)], "model_policies": [(id, title)]}}."""
    if not expert_ids:
        return {}
    topics: dict[int, dict] = {}

    def of(expert_id) -> dict:
        return topics.setdefault(expert_id, {"principles": [], "model_policies": []})

    principles = labels_of(PrincipleKey)
    for expert_id, pk, key in (Expert.principles.through.objects
                               .filter(expert_id__in=expert_ids)
                               .order_by("principle__position", "principle_id")
                               .values_list("expert_id", "principle_id", "principle__key")):
        of(expert_id)["principles"].append((pk, principles.get(key, key)))
    for expert_id, pk, title, translations in (
            Expert.model_policies.through.objects
            .filter(expert_id__in=expert_ids, modelpolicy__status=ModelPolicy.Status.ADOPTED)
            .order_by("modelpolicy__title", "modelpolicy_id")
            .values_list("expert_id", "modelpolicy_id", "modelpolicy__title",
                         "modelpolicy__translations")):
        of(expert_id)["model_policies"].append((pk, translated(title, translations, "title")))
    return topics


@cache
def _language_names(language: str | None) -> dict[str, str]:
    return {code: language_name(code) for code in _NAMES}


def _is_web(link) -> bool:
    return isinstance(link, str) and urlsplit(link).scheme in ("http", "https")


def _public(name: str) -> Q:
    """The expert shows `name`: the JSON list holds that very string (quotes included)."""
    return Q(public_fields__icontains=f'"{name}"')


def directory_of(region, *, q: str = "", principle=None, model_policy=None, language: str = "",
                 sector: str = ""):
    """The region's working experts (confirmed and active) as the directory lists them,
    searched and filtered in SQL on what each shows (`cards_of` reads their topics)."""
    rows = Expert.objects.filter(region=region, stage__in=stages.WORKING)
    if q:
        rows = rows.filter(Q(name__icontains=q)
                           | (Q(organization__icontains=q) & _public("organization")))
    if principle:
        rows = rows.filter(_public("topics"), principles=principle)
    if model_policy:
        rows = rows.filter(_public("topics"), model_policies=model_policy)
    if language:
        rows = rows.filter(_public("languages"), languages__icontains=f'"{language}"')
    if sector:
        rows = rows.filter(sector=sector)
    return (rows.only("name", "sector", "organization", "bio", "links", "languages", "email",
                      "public_fields", "region_id")
            .order_by("name", "id"))

from functools import cache, lru_cache

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from .formats import date_formatter, shown_moment

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current URL's query string with another page number (filters are kept)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def described(entry) -> str:
    """An audit entry in words (alliance.services.audit.describe)."""
    from alliance.services.audit import describe

    return describe(entry)


@register.filter
def form_label(field, tag: str = "label") -> str:
    """A field's `<label>` (or, for a fieldset, `<legend>`): the markup of `field.label_tag`
    and the design system's label.html (suffix, `for`, the form's required class) written
    here, because alliance/_form_fields.html draws every field of a form, and through the
    template each label costs a render."""
    contents = field.label
    suffix = (field.field.label_suffix if field.field.label_suffix is not None
              else field.form.label_suffix)
    if suffix and contents and contents[-1] not in _(":?.!"):
        contents = format_html("{}{}", contents, suffix)
    widget = field.field.widget
    control = widget.attrs.get("id") or field.auto_id
    if not control:
        return conditional_escape(contents)
    css = "form-label"
    if field.field.required and hasattr(field.form, "required_css_class"):
        css = f"{css} {field.form.required_css_class}"
    target = widget.id_for_label(control)
    return format_html('<{} class="{}"{}>{}</{}>', tag, css,
                       format_html(' for="{}"', target) if target else "", contents, tag)


# A line of a history (alliance/_history.html), with what the person wrote if anything.
HISTORY_LINE = '<li><time datetime="{}">{}</time><div>{}</div></li>'
QUOTED_HISTORY_LINE = '<li><time datetime="{}">{}</time><div>{}: <q>{}</q></div></li>'


@register.simple_tag
def history_lines(entries) -> str:
    """The `<li>`s of a history: when (as |when shows it, the machine time as date:'c' writes
    it), who did what in words, what they wrote with it. A page shows up to fifty: through
    the template engine, or format_html per line, each cost several times what a string
    filled in here costs, the zone and format looked up once for all."""
    from alliance.services.audit import describe

    zone, formatter = timezone.get_current_timezone(), date_formatter("SHORT_DATETIME_FORMAT")
    lines = []
    for entry in entries:
        local = timezone.localtime(entry.created_at, zone)
        lines.append((QUOTED_HISTORY_LINE if entry.quoted else HISTORY_LINE).format(
            local.isoformat(), escape(shown_moment(local, formatter)), escape(describe(entry)),
            escape(entry.quoted)))
    return mark_safe("".join(lines))


@register.inclusion_tag("alliance/_back_link.html", takes_context=True)
def back_link(context) -> dict:
    """A way back to the page that sent the person here (`?next=`, a path on this site only):
    an approver who opens the object of a request returns to the request, not to a region
    menu."""
    from django.urls import Resolver404, resolve
    from django.utils.http import url_has_allowed_host_and_scheme

    request = context.get("request")
    target = request.GET.get("next", "") if request else ""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return {"back_url": ""}
    try:
        match = resolve(target.split("?", 1)[0])
    except Resolver404:
        return {"back_url": ""}
    return {"back_url": target, "to_approval": match.url_name == "approval-detail"}


ICON_SPRITE = "vendor/bootstrap-icons-1.13.2/icons.svg"


@register.simple_tag
def icon(name: str, label: str = "") -> str:
    """A Bootstrap icon from the vendored sprite. Decorative unless it has a `label`, which
    screen readers read in its place."""
    return _icon(name, str(label), settings.STATIC_URL)


@lru_cache(maxsize=512)
def _icon(name: str, label: str, static_url: str) -> str:
    """Made once per icon and label: a page draws a few dozen, and the sprite's address
    (through the static files manifest) costs more than the rest of the markup."""
    spoken = (format_html(' role="img" aria-label="{}"', label) if label
              else mark_safe(' aria-hidden="true"'))
    return format_html('<svg class="bi" width="1em" height="1em" fill="currentColor"{}>'
                       '<use href="{}#{}"></use></svg>', spoken, static(ICON_SPRITE), name)


@register.simple_tag
def language_options(current: str) -> str:
    """The interface languages as `<option>`s, each in its own language, `current` chosen."""
    return _language_options(current)


@cache
def _language_options(current: str) -> str:
    return format_html_join("", '<option value="{}" lang="{}"{}>{}</option>', (
        (code, code, mark_safe(" selected") if code == current else "",
         get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES))


@register.simple_tag
def empty_state(icon_name: str, text: str) -> str:
    """What a list shows when it has nothing: one icon and a sentence (portal.css .empty-state).
    Put it in a `<td colspan>` inside a table."""
    return format_html('<div class="empty-state">{}<p>{}</p></div>', icon(icon_name), text)

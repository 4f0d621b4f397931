"""The region's expert directory (the Urban Transformation Hub's experts): the confirmed and
active experts, searched and filtered, each showing their name and sector and otherwise only
what they marked public."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from alliance.pagination import paginate
from alliance.views import requires, url_prefix

from ..forms.people import DirectoryFilterForm
from ..models import Expert
from ..services.profile import Card, card_of, cards_of, directory_of


@require_safe
@requires("experts.view_directory")
def directory(request, region_slug):
    filters = DirectoryFilterForm(request.GET)
    rows = (directory_of(request.region, **filters.filters()) if filters.is_valid()
            else Expert.objects.none())
    page = paginate(request, rows)
    cards = cards_of(page)
    return render(request, "experts/directory.html", {
        "filters": filters, "page_obj": page, "cards": _cards(cards, region_slug),
        "count": page.paginator.count,
        "narrowed": any(filters.data.get(name) for name in filters.fields)})


CARD = ('<li class="card"><div class="card-body"><h2 class="h5 card-title mb-1">'
        '<a href="{url}">{name}</a></h2><p class="text-body-secondary mb-2">{sector}'
        '{organization}</p>{topics}{languages}</div></li>')


def _cards(cards: list[Card], region_slug: str) -> str:
    """The directory's cards, written once a page from one URL prefix: a card holds only
    what its expert shows."""
    prefix = escape(url_prefix("directory-detail", "expert_id", region_slug=region_slug))
    html = []
    for card in cards:
        topics = card.shown.get("topics")
        html.append(CARD.format(
            url=f"{prefix}{card.id}/", name=escape(card.name), sector=escape(card.sector_label),
            organization=(f" · {escape(card.shown['organization'])}"
                          if card.has("organization") else ""),
            topics=_pills([label for _pk, label in topics["principles"] + topics[
                "model_policies"]]) if topics else "",
            languages=_languages(card)))
    return mark_safe("".join(html))


def _languages(card: Card) -> str:
    if not card.has("languages"):
        return ""
    names = ", ".join(name for _code, name in card.shown["languages"])
    return f'<p class="small mb-0">{escape(names)}</p>'


def _pills(labels: list[str]) -> str:
    return format_html('<p class="mb-2">{}</p>', format_html_join(
        " ", '<span class="pill">{}</span>', ((label,) for label in labels)))


@require_safe
@requires("experts.view_directory")
def directory_detail(request, region_slug, expert_id):
    expert = directory_of(request.region).filter(pk=expert_id).first()
    if expert is None:
        raise Http404
    return render(request, "experts/directory_detail.html", {"card": card_of(expert)})


urlpatterns = [
    path("directory/", directory, name="directory"),
    path("directory/<int:expert_id>/", directory_detail, name="directory-detail"),
]

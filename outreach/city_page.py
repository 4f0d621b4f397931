"""What outreach adds to a city (registered with cities.extensions from OutreachConfig.ready):
the letters section of its page, its letters' history on its timeline, and its letters
following it when a duplicate is merged."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from alliance import permissions
from cities.extensions import (
    CitySection,
    add_merge_step,
    add_section,
    add_timeline_source,
    section_page,
)

from .models import Letter
from .views.rows import letter_lines

# What the section shows of a letter: its link, subject, kind, state and recipient (and its
# city, which the related manager fills in).
SHOWN_FIELDS = ("city", "subject", "kind", "state", "contact__name")


def letters_section(request, city, *, limit: int) -> dict:
    """The city's letters, newest first, a page of `limit` at a time (`?letters=<n>`): one
    more than a page is read to know whether another follows, instead of counting them."""
    letters = (city.letters.select_related("contact").only(*SHOWN_FIELDS)
               .order_by("-created_at", "-id"))
    page = section_page(request, "letters", letters, limit)
    return {"letters": page, "lines": letter_lines(page.rows, region=request.region),
            "may_write": permissions.can(request.user, "outreach.edit", region=request.region)}


def letters_history(city) -> Q:
    return Q(content_type=ContentType.objects.get_for_model(Letter),
             object_id__in=city.letters.values("pk"))


def move_letters(*, keep, duplicate) -> None:
    duplicate.letters.update(city=keep)


def register() -> None:
    add_section(CitySection(action="outreach.view", template="outreach/_city_letters.html",
                            context=letters_section))
    add_timeline_source(letters_history)
    add_merge_step(move_letters)

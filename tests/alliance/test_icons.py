"""Icons come from the vendored sprite: a template naming one the sprite lacks shows nothing."""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from alliance import navigation
from alliance.templatetags.portal import ICON_SPRITE

# {% icon "name" %} and {% empty_state "name" … %}
ICON_TAG = re.compile(r"""\{%\s*(?:icon|empty_state)\s+["']([\w-]+)["']""")


def sprite_ids() -> set[str]:
    sprite = (settings.BASE_DIR / "static" / ICON_SPRITE).read_text()
    return set(re.findall(r'<symbol[^>]*\bid="([\w-]+)"', sprite))


def test_every_icon_a_template_names_is_in_the_sprite():
    named = {name for path in Path(settings.BASE_DIR).glob("*/templates/**/*.html")
             if ".venv" not in path.parts
             for name in ICON_TAG.findall(path.read_text())}
    named |= {name for path in (settings.BASE_DIR / "templates").glob("**/*.html")
              for name in ICON_TAG.findall(path.read_text())}
    assert named - sprite_ids() == set()


def test_every_menu_item_has_an_icon_in_the_sprite():
    items = [*navigation.REGION_FIRST, *navigation.APP_ITEMS, *navigation.REGION_LAST,
             *navigation.GLOBAL_ITEMS]
    assert {item.icon for item in items} - sprite_ids() == set()


def test_a_decorative_icon_is_hidden_from_screen_readers_and_a_labelled_one_is_read():
    html = Template('{% load portal %}{% icon "bell" %}|{% icon "bell" "Notifications" %}'
                    ).render(Context())
    decorative, labelled = html.split("|")
    assert 'aria-hidden="true"' in decorative and "#bell" in decorative
    assert 'role="img" aria-label="Notifications"' in labelled

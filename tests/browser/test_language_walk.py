"""A regional secretariat reads the portal in Spanish or Brazilian Portuguese from end to end:
signed in, they switch the language and walk the dashboard, the city table (filtered by stage),
the board (moving a card with the arrow key), a city's page and its history, the scoring
grid, a letter of intent awaiting approval, the approvals and one of them, the Team page and
their notifications.

On every page nothing the portal's catalogue translates is left in English: each visible text
of the header and of `main` is compared with the catalogue's English texts whose translation
differs, and the failure lists the page and every English text found. The stage names inside
the history's "Moved from X to Y" and in the board's answer to a move are the language's own,
a decision taken meanwhile reaches them worded in the language they picked, and on a phone
the pages do not scroll sideways with the language's longer words.

The English texts and their translations are read from the .po files the server compiles
(a small parser, no polib), so a string translated there must appear translated here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scope
from playwright.async_api import expect

from cities.models import Contact, Stage
from cities.services import pipeline
from outreach.models import LetterKind
from outreach.services import letters
from tests.catalogues import parse_po
from tests.factories import (
    CityFactory,
    ContactFactory,
    CriterionFactory,
    CriterionScoreFactory,
    LetterFactory,
    LetterOfIntentFactory,
    TagFactory,
)

from .conftest import TIMEOUT_MS
from .pages import sign_in, switch_language, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGION = "/r/aurora"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# The catalogue directory of each interface language walked here.
CATALOGUES = {"es": "es", "pt-br": "pt_BR"}

# Every rendered text node of the site header and of `main`, whitespace collapsed. A text is
# rendered when its element is (checkVisibility: no display:none or visibility:hidden up the
# tree, not inside a closed <details>); text kept for screen readers (.visually-hidden) is
# rendered too. Of a <select>, only what it shows: the chosen option, or all of a list box.
VISIBLE_TEXTS = """
(selectors) => {
  const shown = (element) => {
    const option = element.closest("option");
    if (option) {
      const select = option.closest("select");
      if (!select || !shown(select)) return false;
      return select.multiple || select.size > 1 || option.selected;
    }
    return element.checkVisibility({visibilityProperty: true});
  };
  const texts = [];
  for (const root of document.querySelectorAll(selectors)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode.data.replace(/\\s+/g, " ").trim();
      const element = walker.currentNode.parentElement;
      if (!text || !element || element.closest("script, style, template, noscript")) continue;
      if (shown(element)) texts.push(text);
    }
  }
  return texts;
}
"""
CHECKED = "header.site-header, main"


# The catalogue ---------------------------------------------------------------------------

def _plain(text: str) -> str:
    return " ".join(text.split())


class Catalogue:
    """One language's catalogue: its translations, and the English texts it translates
    differently (what must not be left on a page in that language)."""

    def __init__(self, language: str):
        path = (Path(settings.BASE_DIR) / "locale" / CATALOGUES[language] / "LC_MESSAGES"
                / "django.po")
        self.translations: dict[str, str] = {}
        self.english: set[str] = set()
        for entry in parse_po(path):
            if not entry["msgid"] or "fuzzy" in entry["flags"]:
                continue
            forms = [entry["msgid"]] + ([entry["msgid_plural"]] if entry["msgid_plural"]
                                        else [])
            for index, english in enumerate(forms):
                translated = entry["msgstr"].get(index) or entry["msgstr"].get(0, "")
                if not translated:
                    continue
                if entry["msgctxt"] is None:
                    self.translations.setdefault(english, translated)
                if _plain(translated) != _plain(english):
                    self.english.add(_plain(english))

    def __getitem__(self, english: str) -> str:
        return self.translations[english]

    def left_in_english(self, texts: list[str]) -> list[str]:
        return [text for text in texts if text in self.english]


# The region's work -----------------------------------------------------------------------

def _prepared(cast) -> dict:
    """Cities in several stages, one moved through the pipeline, tagged, with a key contact,
    scored on the region's criteria and with a letter of intent waiting for the Global
    Secretariat; and a clearance the secretariat asked for, which a reviewer decides during
    the walk (their notification is worded then, in the language just picked)."""
    region, secretariat = cast.home.region, cast.home.regional_secretariat
    bogota = CityFactory(region=region, name="Bogotá", country="CO", stage=Stage.LONG_LIST)
    medellin = CityFactory(region=region, name="Medellín", country="CO", stage=Stage.LONG_LIST)
    CityFactory(region=region, name="Curitiba", country="BR", stage=Stage.CONTACTED)
    CityFactory(region=region, name="Valparaíso", country="CL", stage=Stage.IN_DIALOGUE)
    CityFactory(region=region, name="Montevideo", country="UY", stage=Stage.COMMITTED)
    CityFactory(region=region, name="Quito", country="EC", stage=Stage.MEMBER)
    recife = CityFactory(region=region, name="Recife", country="BR", stage=Stage.SHORT_LIST)
    bogota.tags.add(TagFactory(region=region, name="andes"),
                    TagFactory(region=region, name="capital"))
    key = ContactFactory(city=bogota, name="Ana Ruiz", is_key=True,
                         position=Contact.Position.MAYOR)
    for name, weight in (("Digital maturity", 3), ("Political will", 2)):
        criterion = CriterionFactory(region=region, name=name, weight=weight)
        CriterionScoreFactory(city=bogota, criterion=criterion, score=3)
        CriterionScoreFactory(city=recife, criterion=criterion, score=1)
    official = ContactFactory(city=recife, name="Director Abe", is_national_government=True)
    letter = LetterFactory(city=bogota, contact=key, kind=LetterKind.LETTER_OF_INTENT,
                           subject="Carta de intención: Bogotá", body="Estimada Ana Ruiz:",
                           language="es", owner=secretariat)
    LetterOfIntentFactory(letter=letter)
    with scope(region=region):
        pipeline.advance_stage(actor=secretariat, city=bogota, to=Stage.SHORT_LIST)
        approval = letters.request_legal_approval(actor=secretariat, letter=letter)
        clearance = letters.request_engagement_clearance(actor=secretariat, contact=official)
    return {"city": bogota, "letter": letter, "approval": approval, "clearance": clearance,
            "moved by keyboard": medellin}


async def _reviewer_approves(browser, base_url, reviewer, secret, approval_id) -> None:
    """The region's forum reviewer, in their own browser (English), clears the approach."""
    context = await browser.new_context(base_url=base_url, locale="en-GB", viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = await context.new_page()
        await sign_in(page, reviewer, secret=secret)
        await page.goto(f"{REGION}/approvals/{approval_id}/")
        await page.get_by_label("Approve", exact=True).check()
        await page.get_by_role("button", name="Record decision").click()
        await expect(page.locator(".messages")).to_contain_text("Decision recorded")
    finally:
        await context.close()


# The walk --------------------------------------------------------------------------------

async def _texts(page) -> list[str]:
    await page.wait_for_load_state("load")
    return await page.evaluate(VISIBLE_TEXTS, CHECKED)


async def _sideways(page) -> int:
    """How far the page scrolls sideways on a phone (then back to the desktop)."""
    await page.set_viewport_size(PHONE)
    await page.reload()
    await page.wait_for_load_state("load")
    overflow = await page.evaluate("document.documentElement.scrollWidth"
                                   " - document.documentElement.clientWidth")
    await page.set_viewport_size(DESKTOP)
    return overflow


async def _filter_by_stage(page, stage: str) -> None:
    filters = page.locator("details.filter-panel")
    await filters.locator("summary").click()
    await filters.locator("select[name=stage]").select_option(stage)
    await filters.locator("button[type=submit]").click()
    await expect(page).to_have_url(re.compile(rf"[?&]stage={stage}\b"))


async def _move_right_by_keyboard(page, city_id: int, name: str) -> str:
    """A card moved to the next column with the arrow key: what the board says about it."""
    card = page.locator(f"#card-{city_id}")
    await card.get_by_role("link", name=name, exact=True).focus()
    await page.keyboard.press("ArrowRight")
    news = page.locator("#board-message")
    await expect(news).not_to_be_empty()
    await expect(card.locator(".card-note")).not_to_be_empty()
    return _plain(await news.inner_text())


def _walk(ids: dict) -> list[tuple[str, str, object]]:
    """(page, address, what the person does there first) in the order they go."""
    return [
        ("dashboard", f"{REGION}/", None),
        ("city table, filtered by stage", f"{REGION}/cities/",
         lambda page: _filter_by_stage(page, Stage.SHORT_LIST)),
        ("board, a card moved", f"{REGION}/cities/board/",
         lambda page: _move_right_by_keyboard(page, ids["moved by keyboard"], "Medellín")),
        ("city page", f"{REGION}/cities/{ids['city']}/", None),
        ("scoring grid", f"{REGION}/cities/scoring/", None),
        ("letter of intent", f"{REGION}/outreach/letters/{ids['letter']}/", None),
        ("approvals", f"{REGION}/approvals/", None),
        ("approval page", f"{REGION}/approvals/{ids['approval']}/", None),
        ("Team", f"{REGION}/members/", None),
        ("notifications", "/notifications/", None),
    ]


@pytest.mark.parametrize("language", ["es", "pt-br"])
def test_a_secretariat_walks_the_portal_with_no_english_left(browse, cast, live_server,
                                                             language):
    catalogue = Catalogue(language)
    user, reviewer = cast.home.regional_secretariat, cast.home.forum_reviewer
    secret, reviewer_secret = totp_secret(user), totp_secret(reviewer)
    made = _prepared(cast)
    ids = {name: made[name].pk for name in ("city", "letter", "approval", "moved by keyboard")}
    # The history's sentence, with the stages named as the catalogue names them.
    moved = catalogue["Moved from %(old)s to %(new)s"] % {
        "old": catalogue["Long list"], "new": catalogue["Short list"]}
    assert "Long list" not in moved and "Short list" not in moved, moved
    board_news = catalogue["%(city)s moved to “%(stage)s”."] % {
        "city": "Medellín", "stage": catalogue["Short list"]}

    async def scenario(page):
        found = {"english": {}, "lang": {}, "sideways": {}, "did": {}}
        await sign_in(page, user, secret=secret)
        await expect(page).to_have_url(f"{REGION}/")
        # The check can fail: the English dashboard is full of texts the catalogue translates.
        found["english before switching"] = catalogue.left_in_english(await _texts(page))

        await switch_language(page, language)
        await _reviewer_approves(page.context.browser, live_server.url, reviewer,
                                 reviewer_secret, made["clearance"].pk)
        for name, path, action in _walk(ids):
            await page.goto(path)
            if action is not None:
                found["did"][name] = await action(page)
            found["lang"][name] = await page.locator("html").get_attribute("lang")
            texts = await _texts(page)
            if english := catalogue.left_in_english(texts):
                found["english"][name] = english
            if name == "city page":
                found["timeline"] = _plain(await page.locator("#timeline-heading").locator(
                    "xpath=ancestor::section[1]").inner_text())
            if name == "notifications":
                found["notifications"] = texts
            found["sideways"][name] = await _sideways(page)
        return found

    found = browse(scenario)

    assert "Dashboard" in found["english before switching"], found["english before switching"]
    assert found["lang"] == {name: language for name, _path, _action in _walk(ids)}
    assert found["english"] == {}, "English left on the pages in %s:\n%s" % (
        language, "\n".join(f"- {name}: {texts}" for name, texts in found["english"].items()))
    assert moved in found["timeline"], (moved, found["timeline"])
    assert found["did"]["board, a card moved"] == board_news
    assert not re.search(r"\b(Long list|Short list)\b", found["timeline"]), found["timeline"]
    # The reviewer's decision reached the secretariat in the language they had just picked.
    decided = (catalogue["Engagement clearance"], catalogue["Approved"])
    assert any(all(word in text for word in decided) for text in found["notifications"]), (
        decided, found["notifications"])
    wide = {name: px for name, px in found["sideways"].items() if px}
    assert wide == {}, f"pages scrolling sideways at 390 px in {language}: {wide}"

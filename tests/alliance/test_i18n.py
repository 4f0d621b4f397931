"""The portal speaks Japanese, Spanish and Brazilian Portuguese: the catalogs are complete,
compiled, and used.

The completeness check reads the .po files themselves (a small parser below, no polib), so a
string someone marks for translation and nobody translates fails here once makemessages ran.
"""

import gettext as gnu_gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from alliance.models import Region
from tests.catalogues import parse_po

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# Catalog directories (locale names); every language of settings.LANGUAGES but English.
LANGUAGES = ["ja", "es", "pt_BR"]
PLURAL_FORMS = {"ja": "nplurals=1; plural=0;", "es": "nplurals=2; plural=(n != 1);",
                "pt_BR": "nplurals=2; plural=(n > 1);"}
# Nav label of the approvals page, as the catalog must render it.
APPROVALS = {"en": "Approvals", "ja": "承認", "es": "Aprobaciones", "pt-br": "Aprovações"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _po_path(lang):
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def _messages(lang):
    entries = parse_po(_po_path(lang))
    return [e for e in entries if e["msgid"] != ""]


def _header(lang):
    header = next(e for e in parse_po(_po_path(lang)) if e["msgid"] == "")
    return header, dict(line.split(": ", 1) for line in header["msgstr"][0].splitlines()
                        if ": " in line)


@pytest.fixture(autouse=True)
def _restore_language():
    """The middleware activates languages in this thread; leave English for the next test."""
    before = translation.get_language()
    yield
    translation.activate(before or settings.LANGUAGE_CODE)


# (a) Complete catalogs --------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalog_header_is_filled(lang):
    header, fields = _header(lang)
    assert "fuzzy" not in header["flags"]
    assert fields["Language"] == lang
    assert "charset=UTF-8" in fields["Content-Type"]
    assert fields["Plural-Forms"] == PLURAL_FORMS[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    messages = _messages(lang)
    assert len(messages) > 100, "run makemessages first"
    nplurals = 1 if lang == "ja" else 2
    untranslated = [e["msgid"] for e in messages
                    if not all(e["msgstr"].get(i, "").strip()
                               for i in range(nplurals if e["msgid_plural"] else 1))]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == [], f"{lang}: untranslated {untranslated}"
    assert fuzzy == [], f"{lang}: fuzzy {fuzzy}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_their_placeholders(lang):
    for entry in _messages(lang):
        if "python-format" not in entry["flags"] and "%(" not in entry["msgid"]:
            continue
        # A plural form says either what the singular says ("Every day") or what the plural
        # says ("Every %(days)s days"); Japanese has only the one form for every count.
        sources = [entry["msgid"], *([entry["msgid_plural"]] if entry["msgid_plural"] else [])]
        wanted = [sorted(PLACEHOLDER.findall(source)) for source in sources]
        for msgstr in entry["msgstr"].values():
            assert sorted(PLACEHOLDER.findall(msgstr)) in wanted, (lang, entry["msgid"], msgstr)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_committed_mo_file_matches_the_po_file(lang):
    mo_path = _po_path(lang).with_suffix(".mo")
    assert mo_path.exists(), "run compilemessages"
    with mo_path.open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    stale = []
    for entry in _messages(lang):
        msgid = entry["msgid"]
        if entry["msgctxt"] is not None:
            got = compiled.pgettext(entry["msgctxt"], msgid)
        elif entry["msgid_plural"]:
            got = compiled.ngettext(msgid, entry["msgid_plural"], 1)
        else:
            got = compiled.gettext(msgid)
        if got != entry["msgstr"][0]:
            stale.append(msgid)
    assert stale == [], f"{lang}: .mo is older than .po for {stale}; run compilemessages"


@pytest.mark.parametrize("lang, expected", [
    ("ja", {"Regional Secretariat": "地域事務局", "Preparation": "準備",
            "Invitations": "招待", "Dashboard": "ダッシュボード"}),
    ("es", {"Regional Secretariat": "Secretaría Regional", "Preparation": "Preparación",
            "Invitations": "Invitaciones", "Dashboard": "Panel"}),
    ("pt-br", {"Regional Secretariat": "Secretaria Regional", "Preparation": "Preparação",
               "Invitations": "Convites", "Dashboard": "Painel"}),
])
def test_django_loads_the_catalogs(lang, expected):
    with translation.override(lang):
        assert {msgid: translation.gettext(msgid) for msgid in expected} == expected


def test_every_interface_language_but_english_has_a_catalog():
    shipped = {translation.to_locale(code) for code, _name in settings.LANGUAGES} - {"en"}
    assert shipped == set(LANGUAGES)


WRONG_PASSWORD = "The email address and/or password you specified are not correct."
BAD_EMAIL = "Enter a valid email address."


@pytest.mark.parametrize("lang, expected", [
    ("ja", {WRONG_PASSWORD: "入力されたメールアドレスもしくはパスワードが正しくありません。",
            BAD_EMAIL: "有効なメールアドレスを入力してください。"}),
    ("es", {WRONG_PASSWORD: "La dirección de correo electrónico y/o la contraseña que ha "
                            "indicado no son correctas.",
            BAD_EMAIL: "Introduzca una dirección de correo electrónico válida."}),
    ("pt-br", {WRONG_PASSWORD: "O endereço de e-mail e/ou senha especificados estão incorretos.",
               BAD_EMAIL: "Insira um endereço de email válido."}),
])
def test_sign_in_and_form_errors_come_translated_with_allauth_and_django(lang, expected):
    with translation.override(lang):
        assert {msgid: translation.gettext(msgid) for msgid in expected} == expected


# (b) Pages follow the language cookie ------------------------------------------------------

def _nav(content: str) -> str:
    match = re.search(r'<nav class="main-nav".*?</nav>', content, re.S)
    assert match, "the page has no main navigation"
    return match.group(0)


@pytest.mark.parametrize("lang, phase", [("ja", "準備"), ("es", "Preparación"),
                                         ("pt-br", "Preparação")])
def test_a_page_speaks_the_language_of_the_cookie(cast, client, lang, phase):
    client.force_login(cast.home.regional_secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(f"/r/{cast.home.region.slug}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{lang}">' in content
    assert f">{APPROVALS[lang]}</a>" in _nav(content)
    assert ">Approvals</a>" not in content
    assert phase in content


# (c) A region's default language, until a person picks one -------------------------------

def test_a_region_speaks_its_default_language_without_a_cookie(cast, client):
    Region.objects.filter(pk=cast.home.region.pk).update(default_language="ja")
    client.force_login(cast.home.regional_secretariat)
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies

    content = client.get(f"/r/{cast.home.region.slug}/").content.decode()

    assert '<html lang="ja">' in content
    assert f">{APPROVALS['ja']}</a>" in _nav(content)


def test_the_cookie_wins_over_the_region_default(cast, client):
    Region.objects.filter(pk=cast.home.region.pk).update(default_language="ja")
    client.force_login(cast.home.regional_secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    content = client.get(f"/r/{cast.home.region.slug}/").content.decode()

    assert '<html lang="es">' in content
    assert f">{APPROVALS['es']}</a>" in _nav(content)


def test_an_english_region_stays_english_without_a_cookie(cast, client):
    client.force_login(cast.home.regional_secretariat)
    content = client.get(f"/r/{cast.home.region.slug}/").content.decode()
    assert '<html lang="en">' in content
    assert f">{APPROVALS['en']}</a>" in _nav(content)

"""System checks for what the portal needs from the machine (`manage.py check`).

A feature that depends on something outside Python says so here, with what to install,
instead of degrading silently: a PDF of empty boxes, or a 500 on the first PDF request.
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

from . import pdf

# Debian's packages for the native libraries WeasyPrint loads (pango, pangoft2, harfbuzz and
# its subsetter, fontconfig; glib comes with pango).
WEASYPRINT_DEBIAN_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b",
                              "libharfbuzz-subset0", "libfontconfig1")
INSTALL_HINT = "apt-get install " + " ".join(WEASYPRINT_DEBIAN_PACKAGES)
# Kana, kanji and accented Latin: the scripts the portal's PDFs are written in.
SAMPLE = "意向書 スマートシティ Protección año"


def load_weasyprint():
    """Import WeasyPrint, which loads its native libraries (OSError when one is missing)."""
    import weasyprint

    return weasyprint


def register() -> None:
    """Called from AllianceConfig.ready(); `manage.py check --tag pdf` runs these alone."""
    checks.register(check_pdf, "pdf")
    checks.register(check_site_address, "urls")


def check_site_address(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """In production, links in emails must reach the portal from the reader's machine: a
    loopback PORTAL_BASE_URL (the development default) points every reader at themselves."""
    if not settings.PRODUCTION or not is_loopback(settings.PORTAL_BASE_URL):
        return []
    return [checks.Warning(
        f"PORTAL_BASE_URL is {settings.PORTAL_BASE_URL!r}, a loopback address: links in "
        f"emails (invitations, notifications) will not reach the portal.",
        hint="Set PORTAL_BASE_URL to the address people open the portal at, e.g. "
             "https://portal.example.org.",
        id="alliance.W001")]


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_pdf(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = check_fonts()
    try:
        load_weasyprint()
    except (ImportError, OSError) as exc:
        return [*errors, checks.Error(
            f"WeasyPrint cannot load, so no PDF can be made (letters of intent, reports): "
            f"{exc}",
            hint=f"Install its native libraries: `{INSTALL_HINT}` (Debian), then run "
                 f"`make install`.",
            id="alliance.E002")]
    if errors:
        return errors  # the sample would only fail again for want of the fonts
    return check_rendering()


def check_fonts() -> list[checks.CheckMessage]:
    missing = [path for path in [*pdf.font_paths(), pdf.FONTS_DIR / pdf.LICENSE_FILE]
               if not path.is_file() or path.stat().st_size == 0]
    if not missing:
        return []
    return [checks.Error(
        "The fonts PDFs are drawn with are missing: " + ", ".join(str(p) for p in missing),
        hint="They are part of the repository (alliance/pdf/fonts/, IPAex fonts with their "
             "licence); restore them from version control. Installing system fonts does not "
             "help: PDFs use only the project's own files.",
        id="alliance.E001")]


def check_rendering() -> list[checks.CheckMessage]:
    """Draw a line of Japanese and Spanish: the libraries work and the fonts cover it."""
    records = []
    handler = _Collect(records)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        document = pdf.html_to_pdf(f"<p>{SAMPLE}</p>")
    except Exception as exc:  # any failure here means no PDF works on this machine
        return [checks.Error(
            f"WeasyPrint cannot render a PDF: {type(exc).__name__}: {exc}",
            hint=f"Check its native libraries: `{INSTALL_HINT}` (Debian).",
            id="alliance.E003")]
    finally:
        logger.removeHandler(handler)
    missing = [r.getMessage() for r in records if ".notdef" in r.getMessage()]
    if missing or not document.startswith(b"%PDF"):
        return [checks.Error(
            "PDFs draw empty boxes instead of Japanese or accented text: "
            + ("; ".join(missing) or "no PDF was produced"),
            hint="The shipped IPAex fonts (alliance/pdf/fonts/) could not be used; check that "
                 "they are intact and readable.",
            id="alliance.E004")]
    return []


class _Collect(logging.Handler):
    def __init__(self, records: list):
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record):
        self.records.append(record)

"""PDFs rendered from a template with WeasyPrint, in the fonts the project ships.

IPAex Gothic and IPAex Mincho (``fonts/``, under the IPA Font License whose text lies beside
them) cover Japanese and accented Latin and embed in a fraction of a second (Noto CJK takes
seconds, see STACK-NOTES). They are declared by ``@font-face`` from the project's own files, so
a PDF looks the same whatever fonts the machine has, and a machine without any Japanese font
still draws Japanese instead of ``.notdef`` boxes.

Templates name the families ``IPAexGothic`` (the default for the whole document) or
``IPAexMincho``; they need no ``@font-face`` of their own.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
GOTHIC = "IPAexGothic"
MINCHO = "IPAexMincho"
FONT_FILES = {GOTHIC: "ipaexg.ttf", MINCHO: "ipaexm.ttf"}
LICENSE_FILE = "IPA_Font_License_Agreement_v1.0.txt"


def font_paths() -> list[Path]:
    return [FONTS_DIR / name for name in FONT_FILES.values()]


def base_css() -> str:
    """The shipped fonts as @font-face rules, and Gothic as the document's default family.

    Given to WeasyPrint as a user stylesheet, so a template's own rules take precedence."""
    faces = "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(FONTS_DIR / name).as_uri()}"); }}'
        for family, name in FONT_FILES.items())
    return f'{faces}\nhtml {{ font-family: "{GOTHIC}", sans-serif; }}\n'


def _allowed_roots() -> list[Path]:
    return [FONTS_DIR, *(Path(folder).resolve() for folder in settings.STATICFILES_DIRS)]


def url_fetcher():
    """A fetcher that reads only data: URLs and the project's fonts and static files.

    PDFs are made from what users typed: whatever slips into the HTML must not make the
    server read its own files or call another host."""
    from weasyprint.urls import URLFetcher

    class ProjectFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not any(path.is_relative_to(root) for root in _allowed_roots()):
                    raise ValueError(f"Not one of the project's files: {url}")
            elif parts.scheme != "data":
                raise ValueError(f"PDFs fetch no {parts.scheme or 'relative'} URL: {url}")
            return super().fetch(url, headers)

    return ProjectFilesOnly(allowed_protocols={"file", "data"})


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    """Render a Django template to HTML, then to PDF bytes with the shipped fonts."""
    return html_to_pdf(render_to_string(template_name, context))


def html_to_pdf(html: str) -> bytes:
    # WeasyPrint takes a while to import; only PDF requests should pay for it.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # One font configuration per document: WeasyPrint's is not meant to be shared by threads,
    # and a fresh one costs a few milliseconds.
    font_config = FontConfiguration()
    fetcher = url_fetcher()
    fonts = CSS(string=base_css(), font_config=font_config, url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[fonts], font_config=font_config)

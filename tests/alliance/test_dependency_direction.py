"""The apps depend in one direction: the core (alliance) knows no domain app; cities is below
the apps that use cities. A module that imports (or a model, migration or template that
names) an app above it fails here; only the modules that must know every app are exempt."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What each app may use besides itself. If an app is added, give it its place here.
MAY_USE = {
    "alliance": set(),
    "cities": {"alliance"},
    # Experts know the Policy Roadmap (assessments' principles and model policies).
    "experts": {"alliance", "cities", "assessments"},
    "assessments": {"alliance", "cities"},
    "outreach": {"alliance", "cities"},
    "events": {"alliance", "cities", "experts", "assessments"},
}
APPS = set(MAY_USE)
# Settings, root URLs, the Celery app and the seed/bench commands wire every app together.
KNOW_EVERY_APP = {"alliance/settings.py", "alliance/urls.py", "alliance/celery.py"}
MODEL_REFERENCE = re.compile(r"^(%s)\.[A-Z]\w*$" % "|".join(APPS))
TEMPLATE_REFERENCE = re.compile(r"{%%\s*(?:include|extends)\s+[\"'](%s)/" % "|".join(APPS))


def _app_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if relative in KNOW_EVERY_APP or "/management/commands/" in relative:
                continue
            yield path


def _named_apps(tree: ast.AST):
    """(line, app) for every import, lazy model reference and migration dependency."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = MODEL_REFERENCE.match(node.value)
            if match:
                yield node.lineno, match.group(1)
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            app, name = (e.value for e in node.elts)
            if re.fullmatch(r"\d{4}_\w+|__first__", name):  # a migration dependency
                yield node.lineno, app


def _python_violations(app: str, name: str, source: str) -> list[str]:
    allowed = MAY_USE[app] | {app}
    return [f"{name}:{line} uses {used}" for line, used in _named_apps(ast.parse(source, name))
            if used in APPS and used not in allowed]


def violations() -> list[str]:
    found = []
    for path in _python_files():
        found += _python_violations(_app_of(path), str(path.relative_to(ROOT)), path.read_text())
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.html")):
            for match in TEMPLATE_REFERENCE.finditer(path.read_text()):
                if match.group(1) not in MAY_USE[app] | {app}:
                    found.append(f"{path.relative_to(ROOT)} includes {match.group(1)}")
    return found


def test_no_app_depends_on_an_app_above_it():
    assert violations() == []


@pytest.mark.parametrize("source", [
    "from outreach.models import Letter",
    "def f():\n    import outreach.services\n",
    "x = models.ForeignKey('outreach.PartnerNetwork', on_delete=None)",
    "dependencies = [('outreach', '0001_initial')]",
])
def test_it_catches_a_use_against_the_direction(source):
    assert _python_violations("cities", "cities/probe.py", source) == [
        "cities/probe.py:%d uses outreach" % (source.count("\n", 0, source.index("outreach")) + 1)]


def test_it_lets_an_app_use_the_apps_below_it():
    assert _python_violations("outreach", "outreach/probe.py",
                              "from cities.models import City\nfrom alliance import audit") == []

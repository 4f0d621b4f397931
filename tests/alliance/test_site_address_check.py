"""`manage.py check` warns in production when links in emails would point at a loopback
address (PORTAL_BASE_URL left at its development default), and bin/run-portal derives that
default from the port it serves on."""

import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from alliance import checks

RUN_PORTAL = Path(__file__).resolve().parents[2] / "bin" / "run-portal"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:8001",
                                 "https://localhost", "http://[::1]:8000/",
                                 "http://127.0.1.1", "http://portal.localhost"])
def test_a_loopback_address_in_production_is_a_warning(settings, url):
    settings.PRODUCTION, settings.PORTAL_BASE_URL = True, url
    [warning] = checks.check_site_address()
    assert warning.id == "alliance.W001" and url in warning.msg


@pytest.mark.parametrize("url", ["https://portal.example.org", "http://10.0.0.5:8000",
                                 "https://127.0.0.1.example.org"])
def test_a_reachable_address_passes(settings, url):
    settings.PRODUCTION, settings.PORTAL_BASE_URL = True, url
    assert checks.check_site_address() == []


def test_outside_production_the_loopback_default_is_fine(settings):
    settings.PRODUCTION, settings.PORTAL_BASE_URL = False, "http://127.0.0.1:8000"
    assert checks.check_site_address() == []


def test_manage_py_check_shows_the_warning(settings, capsys):
    settings.PRODUCTION, settings.PORTAL_BASE_URL = True, "http://127.0.0.1:8000"
    call_command("check", "--tag", "urls")
    assert "alliance.W001" in capsys.readouterr().err


def _run_portal_settings(env: dict) -> str:
    """What bin/run-portal exports, without starting anything: its lines up to the first
    command that would, then the variables."""
    script = RUN_PORTAL.read_text().split("mkdir -p var/log")[0]
    probe = f'{script}\necho "$PORT $PORTAL_BASE_URL"'
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "PORTAL_BASE_URL")}
    return subprocess.run(["bash", "-c", probe], env={**clean, **env}, check=True,
                          capture_output=True, text=True, cwd=RUN_PORTAL.parent).stdout.strip()


def test_run_portal_serves_on_port_and_links_there_unless_told_otherwise():
    assert _run_portal_settings({}) == "8000 http://127.0.0.1:8000"
    assert _run_portal_settings({"PORT": "8123"}) == "8123 http://127.0.0.1:8123"
    assert _run_portal_settings({"PORT": "8123", "PORTAL_BASE_URL": "https://p.example.org"}
                                ) == "8123 https://p.example.org"

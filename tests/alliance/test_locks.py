"""The production image's lock (requirements-runtime.lock) is the full lock without the dev
tools: the same versions, so that what the tests ran is what production runs."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", re.MULTILINE)


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return {package.lower(): version for package, version in PIN.findall(text)}


def _project_name(requirement: str) -> str:
    return re.split(r"[\[<>=~! ]", requirement, maxsplit=1)[0].lower()


def test_the_runtime_lock_pins_the_versions_the_tests_ran():
    full, runtime = _pins("requirements.lock"), _pins("requirements-runtime.lock")
    assert runtime, "requirements-runtime.lock pins nothing"
    assert {package: version for package, version in runtime.items()
            if full.get(package) != version} == {}


def test_the_runtime_lock_leaves_out_the_dev_tools_and_keeps_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _pins("requirements-runtime.lock")
    dev_only = {_project_name(r) for r in project["optional-dependencies"]["dev"]}
    assert {_project_name(r) for r in project["dependencies"]} - set(runtime) == set()
    assert dev_only & set(runtime) == set()

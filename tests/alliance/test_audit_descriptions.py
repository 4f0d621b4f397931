"""Every audit action the code records reads as a sentence: a code with no description would
show people a raw `app.thing.verb` on a history."""

import ast
from pathlib import Path

from django.conf import settings

from alliance.services.audit import DESCRIPTIONS

ROOT = Path(settings.BASE_DIR)
APPS = [ROOT / name for name in ("alliance", "cities", "outreach", "experts", "assessments",
                                 "events") if (ROOT / name).is_dir()]


def _is_code(value) -> bool:
    return isinstance(value, str) and value.count(".") == 2 and value.replace(".", "").replace(
        "_", "").isalnum() and value.islower()


def _recorded_actions() -> dict[str, str]:
    """{code: where} for every `action=` keyword whose value is a dotted code, a name bound
    to a code, or a subscript of a dict of codes (`MOVED[to]`)."""
    found, dynamic = {}, []
    for app in APPS:
        for path in app.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), str(path))
            constants = {}
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                        node.targets[0], ast.Name):
                    constants[node.targets[0].id] = node.value
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                for keyword in node.keywords:
                    if keyword.arg != "action":
                        continue
                    value = keyword.value
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
                        value = constants.get(value.value.id, value)
                    elif isinstance(value, ast.Name):
                        value = constants.get(value.id, value)
                    if isinstance(value, ast.JoinedStr):
                        dynamic.append(where)
                    for leaf in ast.walk(value):
                        if isinstance(leaf, ast.Constant) and _is_code(leaf.value):
                            found.setdefault(leaf.value, where)
    assert not dynamic, f"audit action codes built at run time cannot be checked: {dynamic}"
    return found


def test_the_scan_finds_the_codes_it_should():
    found = _recorded_actions()
    assert "alliance.approval.requested" in found
    assert "outreach.letter.sent" in found  # recorded through the MOVED table
    assert "cities.view" not in found  # a permission action, not an audit code


def test_every_recorded_audit_action_has_a_description():
    missing = {code: where for code, where in _recorded_actions().items()
               if code not in DESCRIPTIONS}
    assert not missing, f"describe these with audit.describe_as in the app's ready(): {missing}"


def test_a_request_reads_as_its_kind_words_it(db):
    from alliance.models import AuditEntry
    from alliance.services.audit import describe
    from tests.factories import UserFactory

    asker = UserFactory(full_name="Paola Herrera")
    entry = AuditEntry(actor=asker, action="alliance.approval.requested",
                       data={"kind": "legal_document", "summary": "Letter of intent to Bogotá"})
    assert describe(entry) == ("Paola Herrera asked for legal approval of this letter: "
                               "Letter of intent to Bogotá")
    entry.data["kind"] = "a_kind_no_app_registers"
    assert describe(entry).startswith("Paola Herrera asked for a decision (")


def _entry(action, **data):
    from alliance.models import AuditEntry

    return AuditEntry(action=action, data=data)


def test_stored_codes_read_in_the_readers_language_when_shown():
    from django.utils import translation

    from alliance.services.audit import describe

    moved = _entry("cities.city.stage_changed", old="committed", new="member")
    decided = _entry("alliance.approval.decided", old="pending", new="changes_requested")
    with translation.override("es"):
        assert describe(moved) == "El portal: Pasó de Comprometida a Miembro"
        assert describe(decided) == "El portal decidió: Cambios solicitados"
    assert describe(moved) == "The portal: Moved from Committed to Member"


def test_changed_fields_read_as_their_names_and_numbers_as_the_language_writes_them():
    from django.utils import translation

    from alliance.services.audit import describe

    edited = _entry("outreach.template.changed", fields="body, char_limit")
    added = _entry("cities.criterion.added", name="Size", weight="1.50")
    assert describe(edited) == "The portal: Template edited (body, character limit)"
    with translation.override("es"):
        assert describe(edited) == "El portal: Plantilla editada (cuerpo, límite de caracteres)"
        assert describe(added).endswith("(peso 1,50)")


def test_an_entry_older_than_its_wording_still_reads():
    from alliance.services.audit import describe

    # Written before the stage was recorded: the sentence shows, it does not raise.
    assert describe(_entry("cities.city.stage_changed")).startswith("The portal: Moved from")
    # A code no label knows is shown as stored rather than guessed into English.
    assert describe(_entry("cities.city.stage_changed", old="gone", new="member")) == (
        "The portal: Moved from gone to Member")

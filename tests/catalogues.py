"""Reading gettext catalogues in tests: a small .po parser (no polib), shared by the
catalogue checks and the browser walk that looks for English left on translated pages."""

import ast


def parse_po(path):
    """Entries of a .po file: dicts with msgctxt, msgid, msgid_plural, msgstr (a list) and
    flags. Obsolete entries (#~) are skipped: gettext ignores them too."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            if "msgid" in entry and keyword in ("msgctxt", "msgid"):
                # A new entry without the blank line between them.
                finish()
                entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
            field, value = keyword, ast.literal_eval(rest)
            if field.startswith("msgstr"):
                index = int(field[7:-1]) if field.startswith("msgstr[") else 0
                entry["msgstr"][index] = ""
        if field.startswith("msgstr"):
            index = int(field[7:-1]) if field.startswith("msgstr[") else 0
            entry["msgstr"][index] += value
        else:
            entry[field] = (entry.get(field) or "") + value
    finish()
    return entries

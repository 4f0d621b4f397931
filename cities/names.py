"""How city names compare: "Bogota", "BOGOTÁ" and "  bogotá " are the same name."""

import unicodedata

# Accents are dropped from Latin letters only: in Japanese a combining mark makes another
# letter (が is not か), so names in other scripts keep theirs.
LATIN_END = 0x024F


def name_key(name: str) -> str:
    """The name casefolded, without accents on Latin letters, with single spaces."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", str(name).casefold()):
        if unicodedata.combining(char) and kept and ord(kept[-1]) <= LATIN_END:
            continue
        kept.append(char)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())


def tidy_name(name: str) -> str:
    """A name as the list keeps it: no surrounding spaces and single spaces inside."""
    return " ".join(str(name).split())

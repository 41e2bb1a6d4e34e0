"""Vietnamese text as it arrives from spreadsheets, made comparable.

Exports from the national member database, and files retyped by hand, mix Unicode forms: the
same "Nguyễn" can be one precomposed code point per letter (NFC) or a base letter plus combining
marks (NFD, typical of text pasted from macOS). Stored text is always NFC so that equal names are
equal strings; comparisons go through `name_key`, which also ignores case.
"""

from __future__ import annotations

import unicodedata

# Tab, LF and CR are legitimate inside a spreadsheet cell (Alt+Enter in Excel); they are
# whitespace and get collapsed. Every other control or invisible format character (NUL, BEL,
# zero-width space, bidi overrides, ...) is rejected: it would make two names that look the same
# compare different, and a person reading the error report could never see what is wrong.
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_REJECTED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})


class ControlCharacterError(ValueError):
    """Text contains a character nobody can see or type on purpose; names it by code point."""

    def __init__(self, codepoint: int, position: int) -> None:
        self.codepoint = codepoint
        self.position = position
        super().__init__(
            f"control character U+{codepoint:04X} at position {position} is not allowed"
        )


def normalise(text: str) -> str:
    """NFC, trimmed, inner whitespace runs collapsed to one space; control characters rejected.

    Raises `ControlCharacterError` (a `ValueError`) rather than silently dropping the character,
    because a silent fix could merge two records that a person would consider different.
    """
    nfc = unicodedata.normalize("NFC", text)
    for position, char in enumerate(nfc):
        if char in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(char) in _REJECTED_CATEGORIES:
            raise ControlCharacterError(ord(char), position)
    return " ".join(nfc.split())


def name_key(name: str) -> str:
    """Comparison key for a person's name: NFC + casefold, so NFD and NFC spellings match.

    Casefolding can itself produce decomposed sequences, hence the second NFC.
    """
    return unicodedata.normalize("NFC", normalise(name).casefold())


def fold_accents(text: str) -> str:
    """Lower-case ASCII-ish form with Vietnamese diacritics removed ("Ngày vào Đảng" -> "ngay vao
    dang"), for matching column headers typed with or without accents. Not for names: "Lê" and
    "Lệ" are different people.
    """
    decomposed = unicodedata.normalize("NFD", normalise(text).casefold())
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    # đ/Đ is a letter of its own, not d plus a mark, so NFD leaves it alone.
    return unicodedata.normalize("NFC", stripped.replace("đ", "d"))

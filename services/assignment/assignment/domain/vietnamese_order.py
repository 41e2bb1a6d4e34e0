"""Names in the order Vietnamese lists give them: by the given name (the last word), then
the whole name, letter by letter in the Vietnamese alphabet (a ă â b c d đ e ê … o ô ơ … u
ư …), tones deciding only between names otherwise the same (ngang, huyền, hỏi, ngã, sắc,
nặng). Built from Unicode decomposition alone, so the order is the same on every machine,
whatever its locale."""

from __future__ import annotations

import unicodedata

# Marks that make another letter of the alphabet, ranked as the alphabet orders them:
# a < ă < â, e < ê, o < ô < ơ, u < ư (and d < đ, below).
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}
# Tones, in dictionary order after the level tone (ngang, 0).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

Letters = tuple[tuple[str, int], ...]
TextKey = tuple[Letters, tuple[int, ...]]


def text_key(text: str) -> TextKey:
    """(the letters with their alphabet rank, then the tones): compared in that order."""
    letters: list[tuple[str, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).casefold()):
        if char in _LETTER_MARKS and letters:
            base, _ = letters[-1]
            letters[-1] = (base, _LETTER_MARKS[char])
        elif char in _TONES and tones:
            tones[-1] = _TONES[char]
        elif unicodedata.combining(char):
            continue  # any other mark is not Vietnamese: ignored
        elif char == "đ":
            letters.append(("d", 9))
            tones.append(0)
        else:
            letters.append((char, 0))
            tones.append(0)
    return tuple(letters), tuple(tones)


def name_order(full_name: str) -> tuple[TextKey, TextKey]:
    """Sort key of a person's name: the given name (last word) first, then the whole name
    ("Nguyễn Văn An" before "Lê Thị Bình": An before Bình)."""
    words = full_name.split()
    return text_key(words[-1] if words else ""), text_key(full_name)

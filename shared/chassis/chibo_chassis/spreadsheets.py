"""What every file handed to a spreadsheet needs, whichever service writes it.

- Cell text comes from what people typed, and a spreadsheet runs text that starts with
  `=`, `+`, `-` or `@` as a formula (CSV/formula injection): such text gets a leading
  apostrophe so it stays text.
- Excel refuses sheet names over 31 characters, with any of []:*?/\\, or starting or ending
  with an apostrophe.
- Old clients read only the plain `filename` of a download, so it must be ASCII; the exact
  Vietnamese name travels in `filename*` (RFC 6266, RFC 5987), whose percent-encoding also
  keeps quotes and line breaks out of the header.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_UNSAFE_FILENAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def guard(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def sheet_title(title: str, default: str = "Dữ liệu") -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("", title)[:SHEET_TITLE_MAX].strip().strip("'")
    return cleaned or default


def ascii_filename(stem: str, extension: str, fallback: str) -> str:
    """ "Bảng điểm 2025" → "Bang-diem-2025.<extension>"."""
    decomposed = unicodedata.normalize("NFD", stem.replace("đ", "d").replace("Đ", "D"))
    ascii_stem = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Leading dots would hide the file on Unix; leading/trailing dashes are just noise.
    safe = _UNSAFE_FILENAME_CHARS.sub("-", ascii_stem).strip("-.") or fallback
    return f"{safe}.{extension}"


def content_disposition(stem: str, extension: str, fallback: str) -> str:
    """An attachment named `stem`.`extension`: the ASCII fallback and the exact name."""
    exact = quote(f"{stem}.{extension}", safe="")
    plain = ascii_filename(stem, extension, fallback)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{exact}"

"""How Vietnamese readers expect dates and numbers: dd/mm/yyyy, "96,3 %", names in NFC."""

from __future__ import annotations

import datetime as dt
import unicodedata

ERASED_VI = "đã xóa"


def day(value: str | dt.date | None) -> str:
    """dd/mm/yyyy from an ISO day or time; "" for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def month(value: str) -> str:
    """ "2026-11" → "11/2026"."""
    year, number = value.split("-")[:2]
    return f"{number}/{year}"


def percent(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}".replace(".", ",") + " %"


def name(value: str | None) -> str:
    """A member's name as stored (NFC), or "đã xóa" where their key was destroyed."""
    return nfc(value) if value else ERASED_VI


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def vietnamese_order(full_name: str) -> tuple[str, str]:
    """Vietnamese lists sort by the given name (the last word), then the whole name."""
    folded = unicodedata.normalize("NFD", full_name.casefold())
    plain = "".join(c for c in folded if unicodedata.category(c) != "Mn").replace("đ", "d")
    return (plain.split()[-1] if plain.split() else "", plain)

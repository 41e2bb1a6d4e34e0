"""Names as people type them: NFC, single spaces, no control or invisible characters."""

from __future__ import annotations

from .errors import refuse
from .text import ControlCharacterError, normalise


def clean_name(text: str, *, max_length: int = 200) -> str:
    try:
        name = normalise(text)
    except ControlCharacterError as exc:
        raise refuse(
            "invalid_name",
            f"a name has a control character: {exc}",
            f"tên có ký tự điều khiển: {exc}",
        ) from None
    if not name or len(name) > max_length:
        raise refuse(
            "invalid_name",
            f"a name needs 1-{max_length} characters",
            f"tên cần từ 1 đến {max_length} ký tự",
        )
    return name

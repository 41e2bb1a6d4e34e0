"""Names as people type them: NFC, single spaces, no control characters."""

from __future__ import annotations

import unicodedata

from .errors import refuse


def clean_name(text: str, *, max_length: int = 200) -> str:
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name or len(name) > max_length:
        raise refuse(
            "invalid_name",
            f"a name needs 1-{max_length} characters",
            f"tên cần từ 1 đến {max_length} ký tự",
        )
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise refuse("invalid_name", "a name has control characters", "tên có ký tự điều khiển")
    return name

"""One command of a scripted branch's work: its path and body may name earlier steps'
answers as `<step>`, the id that step's answer gave (a member's, a meeting's, a problem's)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_NAMED = re.compile(r"<([^>]+)>")


@dataclass(frozen=True)
class Step:
    kind: str
    service: str
    path: str
    body: dict[str, Any]
    raw: str = ""  # a file sent as the body instead of JSON (a CSV upload)
    method: str = "POST"

    def filled(self, ids: dict[str, str]) -> tuple[str, dict[str, Any]]:
        """The path and body with every `<step>` replaced by the id its answer gave."""
        return _fill(self.path, ids), _fill(self.body, ids)


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _NAMED.sub(lambda m: ids[m.group(1)], value)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def answered_id(answer: dict[str, Any]) -> str | None:
    for key in ("member_id", "meeting_id", "problem_id"):
        if key in answer:
            return str(answer[key])
    return None

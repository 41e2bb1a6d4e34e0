"""Scheduling a meeting from the web form: the day and time as a secretary writes them, in
Vietnam's time, checked here so a mistyped day is pointed at beside its field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .meeting_sheet import KIND_LABELS
from .meeting_times import BAD_CLOCK, BAD_DAY, MISSING, at, field_error, parse_clock, parse_day


def schedule_body(
    form: Mapping[str, str], lang: str
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """`POST /v1/branches/{id}/meetings`'s body, or the message of each wrong field."""
    errors: dict[str, str] = {}
    on, clock = parse_day(form.get("on", "")), parse_clock(form.get("time", ""))
    for name, value, bad in (("on", on, BAD_DAY), ("time", clock, BAD_CLOCK)):
        if value is None:
            errors[name] = field_error(bad if form.get(name, "").strip() else MISSING, lang)
    if not form.get("place", "").strip():
        errors["place"] = field_error(MISSING, lang)
    if errors or on is None or clock is None:
        return None, errors
    kind = form.get("kind", "regular")
    body: dict[str, Any] = {
        "kind": kind if kind in KIND_LABELS else "regular",
        "scheduled_for": at(on, clock).isoformat(),
        "place": form["place"].strip(),
        "topic": form.get("topic", "").strip(),
    }
    if form.get("extra_reason", "").strip():
        body["extra_reason"] = form["extra_reason"].strip()
    return body, {}

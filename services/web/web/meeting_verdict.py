"""Whether a meeting is "đạt chất lượng", asked of the rating service (its year's rules):
from the sheet as it is being filled, and once recorded from the attendance service's
stored facts. Absences in a row need the meetings before: read once when the sheet is
shown and carried in the form, so the verdict as the sheet changes costs one call."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .adapters.api import Api, ApiProblem
from .branch_data import optional
from .meeting_sheet import ABSENT, MARKS, decode_runs, longest_streak
from .meeting_times import VIETNAM, at, local, minutes_between, parse_clock, parse_day

# Meetings looked back at: more than any rule set's limit of absences in a row (3), so a
# run longer than that is seen as longer, whatever its exact length.
LOOKBACK = 6
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
KINDS = ("regular", "thematic", "committee", "extraordinary")


@dataclass(frozen=True)
class Verdict:
    of_quality: bool
    checks: list[dict[str, Any]]
    recorded: bool  # from the stored facts, not the sheet being filled


async def prior_runs(api: Api, token: str, meeting: Mapping[str, Any]) -> dict[str, int]:
    """Each member's absences in a row over the branch's recorded meetings before this one
    (committee meetings aside, as the attendance and rating services count them)."""
    if meeting["kind"] == "committee":
        return {}
    this_start = local(meeting.get("started_at") or meeting["scheduled_for"])
    year = int(meeting["month"][:4])
    earlier: list[Mapping[str, Any]] = []
    for asked in (year, year - 1):
        view = await optional(
            api.get("attendance", f"/branches/{meeting['branch_id']}/years/{asked}", token)
        )
        earlier += [
            m
            for m in (view or {}).get("meetings", [])
            if m["status"] == "held"
            and m["recorded"]
            and m["kind"] != "committee"
            and m["meeting_id"] != meeting["meeting_id"]
            and (started := local(m.get("started_at"))) is not None
            and this_start is not None
            and started < this_start
        ]
        if len(earlier) >= LOOKBACK:
            break
    earlier.sort(key=lambda m: local(m["started_at"]) or dt.datetime.min.replace(tzinfo=VIETNAM))
    details = await asyncio.gather(
        *(api.get("attendance", f"/meetings/{m['meeting_id']}", token) for m in earlier[-LOOKBACK:])
    )
    runs: dict[str, int] = {}
    for detail in details:
        for line in detail.get("lines", []):
            if line["state"] in ABSENT:
                runs[line["member_id"]] = runs.get(line["member_id"], 0) + 1
            elif line["state"] == "present":
                runs[line["member_id"]] = 0
    return {member: count for member, count in runs.items() if count}


def facts_from_form(form: Mapping[str, Any]) -> dict[str, Any] | None:
    """The rating's facts from the sheet being filled (the htmx form); None when the
    form is not a meeting's sheet."""
    month, kind = str(form.get("month", "")), str(form.get("kind", ""))
    if not _MONTH.match(month) or kind not in KINDS:
        return None
    marks = {
        key.removeprefix("mark_"): str(value)
        for key, value in form.items()
        if key.startswith("mark_") and value in MARKS
    }
    absent = [member for member, state in marks.items() if state in ABSENT]
    return {
        "month": month,
        "kind": kind,
        "expected": len(marks),
        "present": sum(1 for state in marks.values() if state == "present"),
        "absent_unexcused": sum(1 for state in marks.values() if state == "absent_unexcused"),
        "longest_absence_streak": longest_streak(decode_runs(str(form.get("runs", ""))), absent),
        "duration_minutes": _form_minutes(form),
        "minutes_recorded": form.get("minutes_recorded") == "1",
        "prepared_by_committee": form.get("prepared") == "1",
    }


def _form_minutes(form: Mapping[str, Any]) -> int:
    """From the times typed, or the meeting's as held; 0 while they are not typed yet."""
    held = str(form.get("held_minutes", ""))
    if held.isdigit():
        return min(int(held), 720)
    day = parse_day(str(form.get("on", "")))
    start, end = parse_clock(str(form.get("start", ""))), parse_clock(str(form.get("end", "")))
    if day is None or start is None or end is None:
        return 0
    return max(0, min(minutes_between(at(day, start), at(day, end)), 720))


def stored_facts(meeting: Mapping[str, Any], runs: Mapping[str, int]) -> dict[str, Any] | None:
    facts = meeting.get("facts")
    if not facts or not meeting.get("recorded"):
        return None
    absent = [line["member_id"] for line in meeting.get("lines", []) if line["state"] in ABSENT]
    streak = longest_streak(runs, absent)
    if facts.get("absent_more_than_3_in_a_row"):
        streak = max(streak, 4)  # the attendance service's own count, beyond the look-back
    return {
        "month": meeting["month"],
        "kind": meeting["kind"],
        "expected": facts["expected"],
        "present": facts["present"],
        "absent_unexcused": facts["absent_unexcused"],
        "longest_absence_streak": streak,
        "duration_minutes": max(0, min(facts["duration_minutes"], 720)),
        "minutes_recorded": facts["minutes_recorded"],
        "prepared_by_committee": facts["prepared_by_committee"],
    }


async def judge(
    api: Api, token: str, facts: Mapping[str, Any] | None, lang: str, *, recorded: bool
) -> tuple[Verdict | None, str | None]:
    """The verdict, or why there is none (the rating service's own words)."""
    if facts is None:
        return None, None
    year = str(facts["month"])[:4]
    try:
        found = await api.ask("rating", f"/rule-sets/{year}/meeting-verdict", token, json=facts)
    except ApiProblem as problem:
        if problem.status == 401:
            raise
        return None, problem.text(lang)
    return Verdict(bool(found["of_quality"]), list(found["checks"]), recorded), None

"""A meeting's sheet as the web form holds it: everyone expected starts as present and the
secretary marks only the exceptions, and ticks the guests from higher committees who came.
The same state is rendered, re-rendered with a refusal (nothing typed is lost), judged for
the verdict and sent as one command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .formats import ERASED_VI, vietnamese_order
from .meeting_guests import GuestChoice, guest_marks, read_chosen
from .meeting_times import BAD_CLOCK, BAD_DAY, MISSING, at, field_error, parse_clock, parse_day

MARKS = ("present", "absent_excused", "absent_unexcused")
ABSENT = ("absent_excused", "absent_unexcused")

KIND_LABELS = {
    "regular": ("Sinh hoạt thường kỳ", "Regular meeting"),
    "thematic": ("Sinh hoạt chuyên đề", "Thematic meeting"),
    "committee": ("Họp chi ủy", "Committee meeting"),
    "extraordinary": ("Họp bất thường", "Extraordinary meeting"),
}
STATE_LABELS = {
    "present": ("Có mặt", "Present"),
    "absent_excused": ("Vắng có lý do", "Absent with a reason"),
    "absent_unexcused": ("Vắng không lý do", "Absent without a reason"),
    "not_recorded": ("Chưa ghi", "Not recorded"),
    "exempt": ("Miễn sinh hoạt", "Exempt"),
    "suspended": ("Đình chỉ sinh hoạt", "Suspended"),
    "away": ("Sinh hoạt tạm thời nơi khác", "Attending elsewhere for now"),
    "off_roster": ("Không còn trong danh sách", "No longer on the roster"),
}
MEETING_STATUS_LABELS = {
    "scheduled": ("Đã lên lịch", "Scheduled"),
    "held": ("Đã họp", "Held"),
    "cancelled": ("Đã hủy", "Cancelled"),
    "none": ("Chưa có", "None yet"),
}
LEVEL_LABELS = {
    "province": ("cấp tỉnh", "province"),
    "district": ("cấp huyện", "district"),
    "commune": ("cấp xã", "commune"),
}


@dataclass
class Line:
    member_id: str
    full_name: str
    state: str = "present"
    reason: str = ""
    refused: bool = False  # named by the service's refusal: the form points at them


@dataclass
class Sheet:
    lines: list[Line]  # the members expected: the checklist
    others: list[Line]  # on the roster but not expected (exempt, suspended, away)
    on: str = ""
    start: str = ""
    end: str = ""
    place: str = ""
    chair_id: str = ""
    minutes_recorded: bool = False
    prepared: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    guests: list[GuestChoice] = field(default_factory=list)  # the followers it may record

    def count(self, state: str) -> int:
        return sum(1 for line in self.lines if line.state == state)

    def marks(self) -> list[dict[str, Any]]:
        # A reason typed and then un-chosen stays in the form but is not sent.
        return [
            {
                "member_id": line.member_id,
                "status": line.state,
                "reason": line.reason.strip() if line.state == "absent_excused" else None,
            }
            for line in self.lines
        ]


def roster_lines(roster: Mapping[str, Any], kind: str) -> tuple[list[Line], list[Line]]:
    """The roster of the meeting's day in Vietnamese name order; a committee meeting
    expects its committee only."""
    members = [m for m in roster.get("members", []) if kind != "committee" or m.get("committee")]
    members.sort(key=lambda m: vietnamese_order(m.get("full_name") or ""))
    expected = [
        Line(m["member_id"], m.get("full_name") or ERASED_VI) for m in members if m["expected"]
    ]
    others = [
        Line(m["member_id"], m.get("full_name") or ERASED_VI, m.get("standing", "exempt"))
        for m in members
        if not m["expected"]
    ]
    return expected, others


def read_form(form: Mapping[str, Any], sheet: Sheet) -> Sheet:
    """The posted form over the roster's lines: a member the form does not mention stays
    present; a field for anyone not on the roster is ignored."""
    for line in sheet.lines:
        state = str(form.get(f"mark_{line.member_id}", "present"))
        line.state = state if state in MARKS else "present"
        line.reason = str(form.get(f"reason_{line.member_id}", ""))[:300]
    sheet.on = str(form.get("on", ""))[:20]
    sheet.start = str(form.get("start", ""))[:10]
    sheet.end = str(form.get("end", ""))[:10]
    sheet.place = str(form.get("place", ""))[:300]
    sheet.chair_id = str(form.get("chair", ""))[:40]
    sheet.minutes_recorded = form.get("minutes_recorded") == "1"
    sheet.prepared = form.get("prepared") == "1"
    read_chosen(form, sheet.guests)
    return sheet


def times_of(sheet: Sheet, lang: str) -> tuple[dt.datetime, dt.datetime] | None:
    """Start and end from the form; each field that is wrong gets its message."""
    day = parse_day(sheet.on)
    start, end = parse_clock(sheet.start), parse_clock(sheet.end)
    for name, text, value, bad in (
        ("on", sheet.on, day, BAD_DAY),
        ("start", sheet.start, start, BAD_CLOCK),
        ("end", sheet.end, end, BAD_CLOCK),
    ):
        if value is None:
            sheet.errors[name] = field_error(MISSING if not text.strip() else bad, lang)
    if not sheet.place.strip():
        sheet.errors["place"] = field_error(MISSING, lang)
    if day is None or start is None or end is None:
        return None
    return at(day, start), at(day, end)


def hold_body(sheet: Sheet, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """`POST /v1/meetings/{id}/held` with the whole sheet: one command, one transaction."""
    return {
        "started_at": start.isoformat(),
        "ended_at": end.isoformat(),
        "place": sheet.place.strip(),
        "chair_id": sheet.chair_id,
        "minutes_recorded": sheet.minutes_recorded,
        "prepared_by_committee": sheet.prepared,
        "attendance": sheet.marks(),
        "guests": guest_marks(sheet.guests),
    }


def point_at_refused(sheet: Sheet, problem_body: Mapping[str, Any]) -> None:
    named = {m.get("member_id") for m in problem_body.get("members", []) or []}
    for line in sheet.lines:
        line.refused = line.member_id in named


def longest_streak(runs: Mapping[str, int], absent: list[str]) -> int:
    """The longest run of absences in a row this meeting makes: each absent member's run
    before it, plus this one (rating's `absence_streaks`)."""
    return max((runs.get(member, 0) + 1 for member in absent), default=0)


def encode_runs(runs: Mapping[str, int]) -> str:
    return " ".join(f"{member}:{count}" for member, count in runs.items() if count)


def decode_runs(text: str) -> dict[str, int]:
    runs: dict[str, int] = {}
    for part in text.split()[:1000]:
        member, _, count = part.partition(":")
        if count.isdigit():
            runs[member] = min(int(count), 100)
    return runs


def label_of(labels: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = labels.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]

"""Checking an attendance sheet against the roster. Every problem of one kind is reported
with all the members it concerns, so a secretary fixes a sheet in one pass."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from .events import AttendanceMark
from .named_refusal import MembersRefused
from .roster import Roster


def _refuse(code: str, en: str, vi: str, members: Iterable[str], roster: Roster) -> MembersRefused:
    return MembersRefused(code, en, vi, members, roster.names())


def check_marks(
    marks: Sequence[AttendanceMark],
    roster: Roster,
    *,
    guests: Iterable[str] = (),
    marked_before: Iterable[str] = (),
) -> None:
    """Refuse a sheet (or a correction) that names someone twice or off the roster, marks a
    member who is not expected as absent, or gets reasons wrong. `marked_before` are members
    an earlier sheet marked: a correction may still reach them after a late roster change."""
    twice = [m for m, n in Counter(m.member_id for m in marks).items() if n > 1]
    if twice:
        raise _refuse(
            "member_listed_twice",
            "members listed more than once",
            "đảng viên bị ghi nhiều lần",
            twice,
            roster,
        )
    guest_ids = set(guests)
    both = [m.member_id for m in marks if m.member_id in guest_ids]
    if both:
        raise _refuse(
            "guest_is_member",
            "listed both as a member and as a guest",
            "vừa được ghi là đảng viên vừa là khách mời",
            both,
            roster,
        )
    known_before = set(marked_before)
    off = [
        m.member_id for m in marks if m.member_id not in roster and m.member_id not in known_before
    ]
    if off:
        raise _refuse(
            "not_on_roster",
            f"not on the branch's roster on {roster.day}; record guests from higher "
            "committees as guests",
            f"không có trong danh sách chi bộ ngày {roster.day:%d/%m/%Y}; "
            "cấp ủy viên cấp trên được ghi là khách mời",
            off,
            roster,
        )
    not_expected = [
        m.member_id
        for m in marks
        if m.status != "present" and (entry := roster.get(m.member_id)) and not entry.expected
    ]
    if not_expected:
        raise _refuse(
            "not_expected",
            "exempt, suspended or away members are not expected, so cannot be absent",
            "đảng viên được miễn, bị đình chỉ hoặc đang sinh hoạt tạm thời nơi khác không "
            "phải dự họp nên không thể ghi vắng",
            not_expected,
            roster,
        )
    no_reason = [m.member_id for m in marks if m.status == "absent_excused" and not m.reason]
    if no_reason:
        raise _refuse(
            "reason_required",
            "an excused absence needs its reason",
            "vắng có lý do phải ghi rõ lý do",
            no_reason,
            roster,
        )
    stray = [m.member_id for m in marks if m.status != "absent_excused" and m.reason]
    if stray:
        raise _refuse(
            "reason_not_expected",
            "a reason goes only with an excused absence",
            "chỉ ghi lý do khi vắng có lý do",
            stray,
            roster,
        )


def check_complete(marks: Sequence[AttendanceMark], roster: Roster) -> None:
    missing = roster.expected_ids() - {m.member_id for m in marks}
    if missing:
        raise _refuse(
            "sheet_incomplete",
            "the sheet leaves out members the branch expected",
            "bảng điểm danh còn thiếu đảng viên phải dự họp",
            missing,
            roster,
        )


def check_chair(chair_id: str, roster: Roster) -> None:
    if chair_id not in roster:
        raise MembersRefused(
            "chair_not_on_roster",
            f"the chair is not on the branch's roster on {roster.day}",
            f"người chủ trì không có trong danh sách chi bộ ngày {roster.day:%d/%m/%Y}",
            [chair_id],
            {},
        )

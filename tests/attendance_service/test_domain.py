"""The meeting book's rules and the quality facts, as pure domain logic (no I/O)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from attendance.domain.events import AttendanceMark, MeetingKind
from attendance.domain.meeting_attendance import GuestVisit
from attendance.domain.meeting_book import MeetingBook
from attendance.domain.roster import Roster, RosterEntry
from chibo_contracts.meeting_quality import HeldMeeting, SheetLine, quality_facts, removal_review
from chibo_kernel.clock import VIETNAM
from chibo_kernel.errors import RuleViolation

NOW = datetime(2026, 1, 1, tzinfo=VIETNAM)


def at(day: str, hour: int = 19) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=VIETNAM)


def roster(day: str, *entries: RosterEntry) -> Roster:
    return Roster("B", date.fromisoformat(day), entries)


def member(member_id: str, standing: str = "expected", committee: bool = False) -> RosterEntry:
    return RosterEntry(member_id, member_id.upper(), "official", standing, committee)  # type: ignore[arg-type]


def held_book(kind: str = "regular", day: str = "2025-03-05", *entries: RosterEntry) -> MeetingBook:
    book = MeetingBook("B-2025")
    book.schedule("m1", kind=kind, scheduled_for=at(day), place="x", topic="t")  # type: ignore[arg-type]
    book.hold(
        "m1",
        started_at=at(day),
        ended_at=at(day, 21),
        place="x",
        chair_id="a",
        minutes_recorded=True,
        prepared_by_committee=False,
        now=NOW,
        roster=roster(day, member("a"), *entries),
    )
    return book


class _Refusal:
    def __init__(self, code: str) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: object, tb: object) -> bool:
        assert isinstance(error, RuleViolation), f"expected refusal {self.code}, got {error!r}"
        assert error.code == self.code
        assert error.message_vi
        assert error.message_en != error.message_vi
        return True


def test_the_branch_id_may_hold_dashes() -> None:
    book = MeetingBook("VL-TT-2025")
    assert (book.branch_id, book.year) == ("VL-TT", 2025)


def test_a_meeting_cannot_be_held_before_it_ends() -> None:
    book = MeetingBook("B-2025")
    book.schedule("m1", kind="regular", scheduled_for=at("2025-12-31"), place="x")
    now = at("2025-12-31", 20)
    with _Refusal("held_in_future"):
        book.hold(
            "m1",
            started_at=at("2025-12-31", 19),
            ended_at=at("2025-12-31", 21),
            place="x",
            chair_id="a",
            minutes_recorded=True,
            prepared_by_committee=True,
            now=now,
            roster=roster("2025-12-31", member("a")),
        )
    assert not book.pending[1:]


def test_a_meeting_in_another_year_belongs_to_another_book() -> None:
    book = MeetingBook("B-2025")
    with _Refusal("outside_year"):
        book.schedule("m1", kind="regular", scheduled_for=at("2026-01-05"), place="x")
    # Days and months are Vietnam's: 18:00 UTC on 31 December is already 2026 there...
    with _Refusal("outside_year"):
        book.schedule(
            "m2", kind="regular", scheduled_for=datetime(2025, 12, 31, 18, tzinfo=UTC), place="x"
        )
    # ...and 16:30 UTC is 23:30, still December's meeting.
    book.schedule(
        "m3", kind="regular", scheduled_for=datetime(2025, 12, 31, 16, 30, tzinfo=UTC), place="x"
    )
    assert book.meetings["m3"].month == "2025-12"


def test_a_committee_meeting_expects_only_the_committee() -> None:
    book = held_book("committee", "2025-03-05", member("b"), member("c", committee=True))
    # "a" chairs but is not on the committee in this roster: only "c" is expected.
    marks = [AttendanceMark(member_id="c", status="present")]
    day = roster("2025-03-05", member("a"), member("b"), member("c", committee=True))
    book.record_attendance("m1", marks, day)
    with _Refusal("not_on_roster"):
        book2 = held_book("committee", "2025-03-05", member("b"))
        book2.record_attendance("m1", [AttendanceMark(member_id="b", status="present")], day)


def test_exempt_members_may_come_but_cannot_be_absent() -> None:
    day = roster("2025-03-05", member("a"), member("x", "exempt"))
    book = held_book("regular", "2025-03-05", member("x", "exempt"))
    absent = [
        AttendanceMark(member_id="a", status="present"),
        AttendanceMark(member_id="x", status="absent_unexcused"),
    ]
    with _Refusal("not_expected"):
        book.record_attendance("m1", absent, day)
    present = [absent[0], AttendanceMark(member_id="x", status="present")]
    book.record_attendance("m1", present, day)
    assert book.meetings["m1"].recorded


def test_a_guest_on_the_branch_roster_is_refused() -> None:
    day = roster("2025-03-05", member("a"))
    book = held_book()
    with _Refusal("guest_is_member"):
        book.add_guests("m1", [GuestVisit("a", "commune", True)], day)
    book.add_guests("m1", [GuestVisit("g", "commune", True)], day)
    with _Refusal("guest_already_recorded"):
        book.add_guests("m1", [GuestVisit("g", "commune", True)], day)


def _meeting(
    n: int, lines: list[SheetLine], kind: MeetingKind = "regular", day: int = 5
) -> HeldMeeting:
    start = at(f"2025-{n:02}-{day:02}")
    return HeldMeeting(
        meeting_id=f"m{n}" if kind != "committee" else f"c{n}",
        kind=kind,
        month=f"2025-{n:02}",
        held_on=start.date(),
        started_at=start,
        ended_at=start + timedelta(minutes=80),
        minutes_recorded=True,
        prepared_by_committee=True,
        recorded=True,
        lines=lines,
    )


def test_streaks_count_absences_in_a_row_and_committee_meetings_do_not_break_them() -> None:
    absent = SheetLine("x", "X", "absent_excused")
    here = SheetLine("x", "X", "present")
    meetings = [_meeting(n, [absent]) for n in range(1, 5)]
    meetings.insert(2, _meeting(2, [here], kind="committee", day=20))
    meetings.append(_meeting(5, [here]))
    facts = quality_facts(meetings)
    assert facts["m3"].absent_more_than_3_in_a_row == []
    assert facts["m4"].absent_more_than_3_in_a_row == ["x"]  # the fourth in a row
    assert facts["m5"].absent_more_than_3_in_a_row == []
    assert facts["m1"].duration_minutes == 80
    assert not facts["m1"].at_least_90_minutes


def test_art_8_needs_three_months_without_reason_not_three_absences() -> None:
    unexcused = SheetLine("x", "X", "absent_unexcused")
    excused = SheetLine("x", "X", "absent_excused", "ốm")
    two = [_meeting(1, [unexcused]), _meeting(2, [excused]), _meeting(4, [unexcused])]
    assert removal_review(two) == {}
    three = [*two, _meeting(9, [unexcused])]
    assert removal_review(three) == {"x": ["2025-01", "2025-04", "2025-09"]}

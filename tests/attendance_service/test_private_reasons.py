"""The reasons people give stay beside the published meeting book: version 2 of a sheet, a
correction, a postponement or a cancellation says what happened, and a private event
appended with it says why, one per member for a member's reason. The book and the read
models come out the same from either version, so the figures and facts built on them do."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date, datetime

import pytest

from attendance.adapters.projection import project
from attendance.domain.events import (
    AbsenceReasonRecorded,
    AttendanceCorrected,
    AttendanceCorrectedV2,
    AttendanceMark,
    AttendanceRecorded,
    AttendanceRecordedV2,
    CancellationReasonRecorded,
    CorrectionReasonRecorded,
    MeetingCancelled,
    MeetingCancelledV2,
    MeetingHeld,
    MeetingPostponed,
    MeetingPostponedV2,
    MeetingScheduled,
    PostponementReasonRecorded,
)
from attendance.domain.meeting_book import MeetingBook
from attendance.domain.meeting_notes import MeetingNotes
from attendance.domain.roster import Roster, RosterEntry
from attendance.migrations import upgrade
from chibo_kernel import DomainEvent
from chibo_kernel.clock import VIETNAM
from chibo_kernel.db import create_pool
from chibo_kernel.errors import RuleViolation
from chibo_kernel.privacy import Category, classified_fields
from chibo_kernel.store import StreamAppend

BOOK_ID = "B-2025"
ILL = "ốm, đang nằm viện"
LATE = "báo vắng muộn"
FIX = "thư ký ghi nhầm"


def at(day: str, hour: int = 19) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=VIETNAM)


ROSTER = Roster(
    "B",
    date(2025, 3, 5),
    [RosterEntry(m, m.upper(), "official", "expected", m == "a") for m in ("a", "b", "c")],
)


def mark(member_id: str, status: str = "present", reason: str | None = None) -> AttendanceMark:
    return AttendanceMark(member_id=member_id, status=status, reason=reason)


SHEET = [mark("a"), mark("b", "absent_excused", ILL), mark("c", "absent_unexcused")]
CORRECTION = [mark("c", "absent_excused", LATE)]

# A year as the service recorded it before version 2: the reasons in the published events.
V1_YEAR: list[DomainEvent] = [
    MeetingScheduled(
        meeting_id="m1",
        branch_id="B",
        kind="regular",
        month="2025-03",
        scheduled_for=at("2025-03-05"),
        place="Nhà văn hóa",
        topic="",
        extra_reason=None,
    ),
    MeetingHeld(
        meeting_id="m1",
        branch_id="B",
        kind="regular",
        month="2025-03",
        started_at=at("2025-03-05"),
        ended_at=at("2025-03-05", 21),
        place="Nhà văn hóa",
        chair_id="a",
        minutes_recorded=True,
        prepared_by_committee=True,
    ),
    AttendanceRecorded(
        meeting_id="m1", branch_id="B", kind="regular", held_on=date(2025, 3, 5), marks=SHEET
    ),
    AttendanceCorrected(
        meeting_id="m1",
        branch_id="B",
        kind="regular",
        held_on=date(2025, 3, 5),
        marks=CORRECTION,
        reason=FIX,
    ),
    MeetingScheduled(
        meeting_id="m2",
        branch_id="B",
        kind="regular",
        month="2025-04",
        scheduled_for=at("2025-04-03"),
        place="Nhà văn hóa",
        topic="",
        extra_reason=None,
    ),
    MeetingPostponed(
        meeting_id="m2",
        branch_id="B",
        month="2025-04",
        from_time=at("2025-04-03"),
        to_time=at("2025-04-10"),
        reason="đồng chí bí thư ốm",
    ),
    MeetingCancelled(
        meeting_id="m2", branch_id="B", kind="regular", month="2025-04", reason="tang lễ"
    ),
]


Saved = list[tuple[list[DomainEvent], list[DomainEvent]]]


def v2_year() -> Saved:
    """The same year through today's commands: each command's (book events, notes)."""
    book = MeetingBook(BOOK_ID)
    saved: Saved = []

    def appended() -> None:
        saved.append((list(book.pending), list(book.notes.pending)))
        book.pending.clear()
        book.notes.pending.clear()

    book.schedule("m1", kind="regular", scheduled_for=at("2025-03-05"), place="Nhà văn hóa")
    appended()
    book.hold(
        "m1",
        started_at=at("2025-03-05"),
        ended_at=at("2025-03-05", 21),
        place="Nhà văn hóa",
        chair_id="a",
        minutes_recorded=True,
        prepared_by_committee=True,
        now=at("2026-01-01"),
        roster=ROSTER,
    )
    book.record_attendance("m1", SHEET, ROSTER)
    appended()
    book.correct_attendance("m1", CORRECTION, ROSTER, reason=f" {FIX} ")
    appended()
    book.schedule("m2", kind="regular", scheduled_for=at("2025-04-03"), place="Nhà văn hóa")
    appended()
    book.postpone("m2", to_time=at("2025-04-10"), reason="đồng chí bí thư ốm")
    appended()
    book.cancel("m2", reason="tang lễ")
    appended()
    return saved


def published(saved: Sequence[tuple[list[DomainEvent], list[DomainEvent]]]) -> list[DomainEvent]:
    return [e for public, _ in saved for e in public]


def kept(saved: Sequence[tuple[list[DomainEvent], list[DomainEvent]]]) -> list[DomainEvent]:
    return [e for _, private in saved for e in private]


def test_the_book_publishes_what_happened_and_keeps_each_reason_beside_it() -> None:
    saved = v2_year()
    types = [type(e) for e in published(saved)]
    assert types[2:] == [
        AttendanceRecordedV2,
        AttendanceCorrectedV2,
        MeetingScheduled,
        MeetingPostponedV2,
        MeetingCancelledV2,
    ]
    for event in published(saved):
        assert type(event).published
        assert Category.SENSITIVE.value not in str(type(event).model_json_schema())
        assert ILL not in event.model_dump_json()
        assert LATE not in event.model_dump_json()
    # One event per member, each keyed by that member; the meeting's reasons by no one.
    assert kept(saved) == [
        AbsenceReasonRecorded(meeting_id="m1", branch_id="B", member_id="b", reason=ILL),
        CorrectionReasonRecorded(meeting_id="m1", branch_id="B", member_id="c", reason=FIX),
        AbsenceReasonRecorded(meeting_id="m1", branch_id="B", member_id="c", reason=LATE),
        PostponementReasonRecorded(meeting_id="m2", branch_id="B", reason="đồng chí bí thư ốm"),
        CancellationReasonRecorded(meeting_id="m2", branch_id="B", reason="tang lễ"),
    ]
    for event in kept(saved):
        assert not type(event).published
        subject = type(event).data_subject
        assert subject is None or classified_fields(type(event))[subject] is Category.IDENTIFIER
    assert MeetingNotes(BOOK_ID).stream_id == "meetings_private-B-2025"


def test_a_book_rebuilt_from_either_version_holds_the_same_meetings_and_marks() -> None:
    saved = v2_year()
    old = MeetingBook.from_history(BOOK_ID, V1_YEAR)
    new = MeetingBook.from_history(BOOK_ID, published(saved))
    new.notes = MeetingNotes.from_history(BOOK_ID, kept(saved))

    def state(book: MeetingBook) -> dict[str, tuple[object, ...]]:
        return {
            m.meeting_id: (
                m.status,
                m.scheduled_for,
                m.recorded,
                {k: book.notes.with_reason(m.meeting_id, v) for k, v in m.marks.items()},
            )
            for m in book.meetings.values()
        }

    assert state(old) == state(new)
    m1 = new.meetings["m1"]
    assert new.notes.with_reason("m1", m1.marks["c"]) == mark("c", "absent_excused", LATE)


def test_a_correction_knows_the_reason_a_v1_sheet_gave() -> None:
    book = MeetingBook.from_history(BOOK_ID, V1_YEAR)
    with pytest.raises(RuleViolation) as refusal:
        book.correct_attendance("m1", [mark("b", "absent_excused", ILL)], ROSTER, reason="lại")
    assert refusal.value.code == "correction_changes_nothing"
    book.correct_attendance("m1", [mark("b", "absent_excused", "đi viện")], ROSTER, reason="sửa")
    assert [type(e) for e in book.pending] == [AttendanceCorrectedV2]
    assert [(type(e), e.member_id) for e in book.notes.pending] == [  # type: ignore[attr-defined]
        (CorrectionReasonRecorded, "b"),
        (AbsenceReasonRecorded, "b"),
    ]


TABLES = {
    "meetings": "SELECT * FROM meetings ORDER BY meeting_id",
    "attendance_marks": "SELECT * FROM attendance_marks ORDER BY meeting_id, member_id",
}


async def test_the_read_models_are_the_same_from_either_version(fresh_database: str) -> None:
    """Appended as the store appends them: each command's book events, then its notes, in
    one transaction. The meeting view's figures and the quality facts read these rows."""
    await asyncio.to_thread(upgrade, fresh_database)
    pool = await create_pool(fresh_database)
    rows: list[dict[str, list[tuple[object, ...]]]] = []
    try:
        before: Saved = [(V1_YEAR, [])]
        for year in (before, v2_year()):
            async with pool.acquire() as conn, conn.transaction():
                await conn.execute("TRUNCATE meetings, attendance_marks")
                for public, private in year:
                    appends = [StreamAppend(f"meetings-{BOOK_ID}", 0, public)]
                    if private:
                        appends.append(StreamAppend(f"meetings_private-{BOOK_ID}", 0, private))
                    await project(conn, appends)
                rows.append(
                    {t: [tuple(r) for r in await conn.fetch(sql)] for t, sql in TABLES.items()}
                )
    finally:
        await pool.close()
    v1, v2 = rows
    assert v1 == v2
    reasons = {(r[0], r[1]): r[3] for r in v2["attendance_marks"]}
    assert (reasons[("m1", "b")], reasons[("m1", "c")], reasons[("m1", "a")]) == (ILL, LATE, None)
    assert [r[-1] for r in v2["meetings"]] == [None, "tang lễ"]  # the cancellation's reason

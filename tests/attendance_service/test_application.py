"""The attendance service's commands through its composition root (`bootstrap.boundary`),
without HTTP or NATS: one suite, run on the in-memory store (the roster, the org tree and
the meetings' places kept in memory: `MemoryRoster`) and on PostgreSQL (the read models: the
roster projected as its consumer would, the meetings in each append's transaction). The same
permissions table decides on both, and a refused command stores nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

import pytest
from delivered import as_delivered

from attendance.adapters.lookups import ReadModelLookups
from attendance.adapters.memory_roster import MemoryRoster
from attendance.adapters.places import Places
from attendance.adapters.projection import project
from attendance.adapters.roster_projection import roster_projection
from attendance.bootstrap import boundary
from attendance.domain import commands as c
from attendance.domain.events import (
    REGISTRY,
    AbsenceReasonRecorded,
    AttendanceCorrectedV2,
    AttendanceRecordedV2,
    CancellationReasonRecorded,
    CorrectionReasonRecorded,
    GuestAttended,
    MeetingCancelledV2,
    MeetingPostponedV2,
    PostponementReasonRecorded,
)
from attendance.migrations import upgrade
from chibo_chassis.auth import Boundary, Forbidden, acting_as
from chibo_kernel import DomainEvent
from chibo_kernel.db import create_pool
from chibo_kernel.domain import Repository
from chibo_kernel.errors import NotFound, RuleViolation
from chibo_kernel.pool import LeanPool
from chibo_kernel.store import EventStore, InMemoryEventStore, PostgresEventStore

from .branch import BRANCH, OTHER
from .builders import (
    ADMIN,
    BOOK,
    CHAIR,
    EXEMPT,
    EXPECTED,
    FOLLOWER,
    MEMBERS,
    NEIGHBOUR,
    NEXT_DOOR_BOOK,
    NOW,
    SECRETARY,
    STRANGER,
    VISITOR,
    assignment_world,
    at,
    hold,
    marks,
    roster_changes,
    schedule,
)

SCHEDULED = "chibo.attendance.meeting_scheduled.v1"
POSTPONED = "chibo.attendance.meeting_postponed.v2"
CANCELLED = "chibo.attendance.meeting_cancelled.v2"
HELD = "chibo.attendance.meeting_held.v1"
RECORDED = "chibo.attendance.attendance_recorded.v2"
CORRECTED = "chibo.attendance.attendance_corrected.v2"
GUEST = "chibo.attendance.guest_attended.v1"
NOTES = BOOK.replace("meetings-", "meetings_private-", 1)  # the reasons, never published


class Backend:
    def __init__(self, bus: Boundary[Places], store: EventStore) -> None:
        self.bus, self.store = bus, store

    async def events(self, stream_id: str) -> list[DomainEvent]:
        return [r.decode(REGISTRY) for r in await self.store.load(stream_id)]

    async def types(self, stream_id: str) -> list[str]:
        return [e.event_type for e in await self.events(stream_id)]


async def consumed(pool: LeanPool, events: Sequence[DomainEvent]) -> None:
    """The assignment service's events through the roster projection, in one transaction,
    as the roster consumer applies what JetStream delivers."""
    received = as_delivered(events, NOW)
    async with pool.acquire() as conn, conn.transaction():
        await roster_projection().apply(conn, received)


@pytest.fixture(params=["memory", "postgres"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    """The service with the world of `builders.assignment_world` already consumed, its
    clock at `NOW`."""
    if request.param == "memory":
        memory, roster = InMemoryEventStore(), MemoryRoster()
        roster.consume(assignment_world())
        repository = Repository(lambda: memory, REGISTRY, project=roster.project)
        yield Backend(boundary(repository, roster, clock=lambda: NOW), memory)
        return
    url: str = request.getfixturevalue("fresh_database")
    await asyncio.to_thread(upgrade, url)
    pool = await create_pool(url)
    try:
        await consumed(pool, assignment_world())
        store = PostgresEventStore(pool)
        repository = Repository(lambda: store, REGISTRY, project=project)
        bus = boundary(repository, ReadModelLookups(lambda: pool), clock=lambda: NOW)
        yield Backend(bus, store)
    finally:
        await pool.close()


@contextmanager
def refused(code: str) -> Iterator[None]:
    with pytest.raises(RuleViolation) as refusal:
        yield
    assert refusal.value.code == code


async def held_meeting(bus: Boundary[Places], day: str = "2025-03-05") -> str:
    """A regular meeting scheduled and held at the branch, its sheet not yet in."""
    with acting_as(ADMIN):
        meeting_id, _ = await bus.run(schedule(day))
        await bus.run(hold(meeting_id, day))
    return meeting_id


# Every expected member: two present, one excused with the reason, one unexcused.
FULL_SHEET = marks(EXPECTED, excused={MEMBERS[2]: "đi công tác"}, unexcused=[MEMBERS[3]])


async def test_a_secretary_schedules_holds_and_records_a_meeting_with_its_absences(
    backend: Backend,
) -> None:
    bus = backend.bus
    with acting_as(SECRETARY):
        meeting_id, scheduled = await bus.run(schedule("2025-03-05"))
        await bus.run(hold(meeting_id, "2025-03-05"))
        recorded = await bus.run(
            c.RecordAttendance(meeting_id, FULL_SHEET, (c.Guest(FOLLOWER, "district"),))
        )
    assert meeting_id
    assert scheduled.versions == {BOOK: 1}
    assert recorded.versions == {BOOK: 4, NOTES: 1}
    assert len(recorded.event_ids) == 3  # the sheet, the guest and the absence's reason
    events = await backend.events(BOOK)
    assert [e.event_type for e in events] == [SCHEDULED, HELD, RECORDED, GUEST]
    sheet, guest = events[2], events[3]
    assert isinstance(sheet, AttendanceRecordedV2)
    assert isinstance(guest, GuestAttended)
    # The exempt member is not expected, so not on the sheet; the reason is not on it either.
    assert {m.member_id: m.status for m in sheet.marks} == {
        MEMBERS[0]: "present",
        MEMBERS[1]: "present",
        MEMBERS[2]: "absent_excused",
        MEMBERS[3]: "absent_unexcused",
    }
    assert await backend.events(NOTES) == [
        AbsenceReasonRecorded(
            meeting_id=meeting_id, branch_id=BRANCH, member_id=MEMBERS[2], reason="đi công tác"
        )
    ]
    assert (sheet.meeting_id, sheet.held_on.isoformat()) == (meeting_id, "2025-03-05")
    assert (guest.guest_id, guest.level, guest.within_assignment) == (FOLLOWER, "district", True)


async def test_a_correction_supersedes_the_marks_it_changes_and_keeps_the_reason(
    backend: Backend,
) -> None:
    bus = backend.bus
    meeting_id = await held_meeting(bus)
    came_late = marks([MEMBERS[3]])
    with acting_as(SECRETARY):
        await bus.run(c.RecordAttendance(meeting_id, FULL_SHEET))
        corrected = await bus.run(
            c.CorrectAttendance(meeting_id, came_late + marks([MEMBERS[0]]), " đến muộn ")
        )
        with refused("correction_changes_nothing"):
            await bus.run(c.CorrectAttendance(meeting_id, came_late, "lần nữa"))
        with refused("reason_required"):
            await bus.run(c.CorrectAttendance(meeting_id, marks([MEMBERS[2]]), "  "))
    assert corrected.versions == {BOOK: 4, NOTES: 2}
    events = await backend.events(BOOK)
    assert [e.event_type for e in events] == [SCHEDULED, HELD, RECORDED, CORRECTED]
    correction = events[-1]
    assert isinstance(correction, AttendanceCorrectedV2)
    # Only the mark that changed; the one already recorded as present is left out.
    assert [(m.member_id, m.status) for m in correction.marks] == [(MEMBERS[3], "present")]
    assert (await backend.events(NOTES))[-1] == CorrectionReasonRecorded(
        meeting_id=meeting_id, branch_id=BRANCH, member_id=MEMBERS[3], reason="đến muộn"
    )


async def test_a_correction_of_an_absences_reason_alone_is_a_change_read_from_the_notes(
    backend: Backend,
) -> None:
    bus = backend.bus
    meeting_id = await held_meeting(bus)
    ill = marks([], excused={MEMBERS[2]: "ốm"})
    with acting_as(SECRETARY):
        await bus.run(c.RecordAttendance(meeting_id, FULL_SHEET))
        with refused("correction_changes_nothing"):  # the reason the sheet gave, again
            await bus.run(c.CorrectAttendance(meeting_id, FULL_SHEET[2:3], "như cũ"))
        await bus.run(c.CorrectAttendance(meeting_id, ill, "ghi lại lý do"))
        with refused("correction_changes_nothing"):  # the reason the correction gave
            await bus.run(c.CorrectAttendance(meeting_id, ill, "lần nữa"))
    correction = (await backend.events(BOOK))[-1]
    assert isinstance(correction, AttendanceCorrectedV2)
    assert [(m.member_id, m.status) for m in correction.marks] == [(MEMBERS[2], "absent_excused")]
    assert [type(e) for e in await backend.events(NOTES)] == [
        AbsenceReasonRecorded,
        CorrectionReasonRecorded,
        AbsenceReasonRecorded,
    ]
    assert (await backend.events(NOTES))[-1] == AbsenceReasonRecorded(
        meeting_id=meeting_id, branch_id=BRANCH, member_id=MEMBERS[2], reason="ốm"
    )


async def test_guests_are_marked_by_whether_they_follow_the_branch_and_a_wrong_list_records_none(
    backend: Backend,
) -> None:
    bus = backend.bus
    meeting_id = await held_meeting(bus)
    with acting_as(SECRETARY):
        guests = (c.Guest(FOLLOWER, "district"), c.Guest(VISITOR, "district"))
        saved = await bus.run(c.AddGuests(meeting_id, guests))
        with refused("guest_already_recorded"):
            await bus.run(c.AddGuests(meeting_id, (c.Guest(FOLLOWER, "district"),)))
        with refused("guest_is_member"):  # the stranger is refused with the member
            both = (c.Guest(STRANGER, "commune"), c.Guest(MEMBERS[1], "commune"))
            await bus.run(c.AddGuests(meeting_id, both))
    assert len(saved.event_ids) == 2
    events = await backend.events(BOOK)
    assert [e.event_type for e in events] == [SCHEDULED, HELD, GUEST, GUEST]
    visits = {e.guest_id: e.within_assignment for e in events if isinstance(e, GuestAttended)}
    assert visits == {FOLLOWER: True, VISITOR: False}


async def test_a_postponed_meeting_stays_in_its_month_and_a_cancelled_one_takes_no_more(
    backend: Backend,
) -> None:
    bus = backend.bus
    with acting_as(SECRETARY):
        meeting_id, _ = await bus.run(schedule("2025-04-03", meeting_id="apr-2025"))
        await bus.run(c.PostponeMeeting(meeting_id, at("2025-04-10"), "trùng mùa gặt"))
        with refused("regular_meeting_leaves_month"):
            await bus.run(c.PostponeMeeting(meeting_id, at("2025-05-02"), "mưa lũ"))
        with refused("postponed_backwards"):
            await bus.run(c.PostponeMeeting(meeting_id, at("2025-04-05"), "mưa lũ"))
        await bus.run(c.CancelMeeting(meeting_id, "mưa lũ"))
        with refused("meeting_cancelled"):
            await bus.run(hold(meeting_id, "2025-04-10"))
        # The month has no regular meeting any more, so another may be scheduled.
        another, _ = await bus.run(schedule("2025-04-24"))
    assert meeting_id == "apr-2025"
    assert another != meeting_id
    events = await backend.events(BOOK)
    assert [e.event_type for e in events] == [SCHEDULED, POSTPONED, CANCELLED, SCHEDULED]
    postponed, cancelled = events[1], events[2]
    assert isinstance(postponed, MeetingPostponedV2)
    assert isinstance(cancelled, MeetingCancelledV2)
    assert (postponed.from_time, postponed.to_time) == (at("2025-04-03"), at("2025-04-10"))
    assert cancelled.meeting_id == meeting_id
    assert await backend.events(NOTES) == [
        PostponementReasonRecorded(meeting_id=meeting_id, branch_id=BRANCH, reason="trùng mùa gặt"),
        CancellationReasonRecorded(meeting_id=meeting_id, branch_id=BRANCH, reason="mưa lũ"),
    ]


async def test_a_secretary_works_at_their_branch_and_nowhere_else(backend: Backend) -> None:
    bus = backend.bus
    with acting_as(ADMIN):
        next_door, _ = await bus.run(schedule("2025-03-06", branch=OTHER))
    with acting_as(SECRETARY):
        with pytest.raises(Forbidden):
            await bus.run(schedule("2025-03-07", branch=OTHER))
        with pytest.raises(Forbidden):
            await bus.run(c.PostponeMeeting(next_door, at("2025-03-20"), "trùng lịch"))
        with pytest.raises(Forbidden):  # unknown: refused as if out of scope, revealing nothing
            await bus.run(c.CancelMeeting("no-such-meeting", "không họp"))
    with acting_as(ADMIN), pytest.raises(NotFound):
        await bus.run(c.CancelMeeting("no-such-meeting", "không họp"))
    assert await backend.types(NEXT_DOOR_BOOK) == [SCHEDULED]
    assert await backend.types(BOOK) == []


async def test_a_sheet_with_a_wrong_line_is_refused_whole_and_stores_nothing(
    backend: Backend,
) -> None:
    bus = backend.bus
    meeting_id = await held_meeting(bus)
    with acting_as(SECRETARY):
        with refused("sheet_incomplete"):
            await bus.run(c.RecordAttendance(meeting_id, marks(EXPECTED[:3])))
        with refused("not_on_roster"):  # a neighbour is a guest or nothing
            await bus.run(c.RecordAttendance(meeting_id, marks([*EXPECTED, NEIGHBOUR])))
        with refused("not_expected"):  # the exempt member cannot be absent
            sheet = marks([*EXPECTED, EXEMPT], unexcused=[EXEMPT])
            await bus.run(c.RecordAttendance(meeting_id, sheet))
        with refused("reason_required"):
            sheet = marks(EXPECTED, excused={MEMBERS[1]: None})
            await bus.run(c.RecordAttendance(meeting_id, sheet))
        with refused("attendance_not_recorded"):
            await bus.run(c.CorrectAttendance(meeting_id, marks([MEMBERS[1]]), "sửa"))
    assert await backend.types(BOOK) == [SCHEDULED, HELD]
    assert await backend.types(NOTES) == []


async def test_a_meeting_held_with_a_wrong_sheet_is_not_held_at_all(backend: Backend) -> None:
    bus = backend.bus
    with acting_as(SECRETARY):
        meeting_id, _ = await bus.run(schedule("2025-05-07"))
        with refused("sheet_incomplete"):
            await bus.run(hold(meeting_id, "2025-05-07", attendance=marks([CHAIR])))
        assert await backend.types(BOOK) == [SCHEDULED]
        saved = await bus.run(hold(meeting_id, "2025-05-07", attendance=marks(EXPECTED)))
    assert saved.versions == {BOOK: 3}
    assert await backend.types(BOOK) == [SCHEDULED, HELD, RECORDED]


async def test_a_committee_meeting_expects_only_the_committee(backend: Backend) -> None:
    bus = backend.bus
    with acting_as(SECRETARY):
        meeting_id, _ = await bus.run(schedule("2025-06-02", kind="committee"))
        with refused("not_on_roster"):  # a member off the committee is not on its sheet
            await bus.run(hold(meeting_id, "2025-06-02", attendance=marks([CHAIR, MEMBERS[1]])))
        await bus.run(hold(meeting_id, "2025-06-02", attendance=marks([CHAIR])))
    sheet = (await backend.events(BOOK))[-1]
    assert isinstance(sheet, AttendanceRecordedV2)
    assert (sheet.kind, [m.member_id for m in sheet.marks]) == ("committee", [CHAIR])


async def test_meetings_are_held_only_at_a_branch_or_a_chi_bo_co_so(backend: Backend) -> None:
    with acting_as(ADMIN):
        with refused("grassroots_has_branches"):  # Võ Lao's members meet in its branches
            await backend.bus.run(schedule("2025-03-05", branch="VL"))
        with refused("branch_unknown"):
            await backend.bus.run(schedule("2025-03-05", branch="VB"))
    assert await backend.types("meetings-VL-2025") == []
    assert await backend.types("meetings-VB-2025") == []


async def test_the_service_itself_needs_no_principal(backend: Backend) -> None:
    meeting_id, saved = await backend.bus.run(schedule("2025-03-06", branch=OTHER))
    assert saved.versions == {NEXT_DOOR_BOOK: 1}
    assert await backend.types(NEXT_DOOR_BOOK) == [SCHEDULED]
    assert meeting_id


async def test_the_memory_roster_answers_as_the_read_models_do(fresh_database: str) -> None:
    """The in-memory backend is only as good as its roster: the same events, richer than
    the suite's world, give the same answers from `MemoryRoster` as from PostgreSQL."""
    world = [*assignment_world(), *roster_changes()]
    memory = MemoryRoster()
    memory.consume(world)
    await asyncio.to_thread(upgrade, fresh_database)
    pool = await create_pool(fresh_database)
    try:
        await consumed(pool, world)
        postgres = ReadModelLookups(lambda: pool)
        for day in ("2025-01-15", "2025-04-15", "2025-05-15", "2025-07-15", "2025-12-15"):
            for branch in (BRANCH, OTHER):
                on = date.fromisoformat(day)
                mine, theirs = (
                    await memory.roster_on(branch, on),
                    await postgres.roster_on(branch, on),
                )
                assert list(mine.entries.values()) == list(theirs.entries.values()), (branch, day)
        for unit in ("LC", "VB", "VL", BRANCH, OTHER, "VL-MOI", "VL-CU", "nowhere"):
            assert await memory.consumed_unit(unit) == await postgres.consumed_unit(unit)
            assert await memory.unit_path(unit) == await postgres.unit_path(unit)
        for follower in (FOLLOWER, VISITOR, STRANGER):
            assert await memory.followed_units(follower, 2025) == await postgres.followed_units(
                follower, 2025
            )
    finally:
        await pool.close()
    april = await memory.roster_on(BRANCH, date(2025, 4, 15))
    assert {e.member_id: e.standing for e in april.entries.values()} == {
        **{m: "expected" for m in MEMBERS[:4]},
        EXEMPT: "exempt",
        NEIGHBOUR: "expected",  # attending here meanwhile
    }

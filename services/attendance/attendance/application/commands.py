"""The service's commands: load the branch's meeting book, check against the roster as
consumed, save the new events in one append (one transaction, read models included)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from chibo_kernel.auth import Permission, refuse_unknown
from chibo_kernel.clock import local_date
from chibo_kernel.domain import Repository, Saved
from chibo_kernel.pool import LeanPool

from ..adapters import roster_reader as read
from ..domain.events import AttendanceMark, CommitteeLevel, MeetingKind
from ..domain.meeting_attendance import GuestVisit
from ..domain.meeting_book import MeetingBook, book_id
from ..domain.meeting_unit import require_meeting_unit
from ..domain.roster import Roster


def utc_now() -> datetime:
    return datetime.now(UTC)


class MeetingCommands:
    def __init__(
        self,
        repository: Repository,
        pool: Callable[[], LeanPool],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.repo = repository
        self._pool = pool  # a getter: the runtime opens the pool after the app is composed
        self._clock = clock

    async def schedule(
        self,
        branch_id: str,
        *,
        kind: MeetingKind,
        scheduled_for: datetime,
        place: str,
        topic: str = "",
        extra_reason: str | None = None,
        meeting_id: str | None = None,
    ) -> tuple[str, Saved]:
        path = await self._branch_path(branch_id)
        book = await self.repo.load(MeetingBook, book_id(branch_id, local_date(scheduled_for).year))
        meeting_id = meeting_id or uuid.uuid4().hex
        book.schedule(
            meeting_id,
            kind=kind,
            scheduled_for=scheduled_for,
            place=place,
            topic=topic,
            extra_reason=extra_reason,
        )
        return meeting_id, await self.repo.save([(book, path)])

    async def postpone(self, meeting_id: str, *, to_time: datetime, reason: str) -> Saved:
        book, path = await self._book_of(meeting_id)
        book.postpone(meeting_id, to_time=to_time, reason=reason)
        return await self.repo.save([(book, path)])

    async def cancel(self, meeting_id: str, *, reason: str) -> Saved:
        book, path = await self._book_of(meeting_id)
        book.cancel(meeting_id, reason=reason)
        return await self.repo.save([(book, path)])

    async def hold(
        self,
        meeting_id: str,
        *,
        started_at: datetime,
        ended_at: datetime,
        place: str,
        chair_id: str,
        minutes_recorded: bool,
        prepared_by_committee: bool,
        attendance: Sequence[AttendanceMark] | None = None,
        guests: Sequence[tuple[str, CommitteeLevel]] = (),
    ) -> Saved:
        """Held, and (for the secretary entering it all at once) the sheet and the guests,
        in one transaction."""
        book, path = await self._book_of(meeting_id)
        roster = await read.roster_on(self._pool(), book.branch_id, local_date(started_at))
        book.hold(
            meeting_id,
            started_at=started_at,
            ended_at=ended_at,
            place=place,
            chair_id=chair_id,
            minutes_recorded=minutes_recorded,
            prepared_by_committee=prepared_by_committee,
            now=self._clock(),
            roster=roster,
        )
        visits = await self._visits(guests, path, book.year)
        if attendance is not None:
            book.record_attendance(meeting_id, attendance, roster, visits)
        elif visits:
            book.add_guests(meeting_id, visits, roster)
        return await self.repo.save([(book, path)])

    async def record_attendance(
        self,
        meeting_id: str,
        marks: Sequence[AttendanceMark],
        guests: Sequence[tuple[str, CommitteeLevel]] = (),
    ) -> Saved:
        book, path = await self._book_of(meeting_id)
        roster = await self._roster_at(book, meeting_id)
        book.record_attendance(
            meeting_id, marks, roster, await self._visits(guests, path, book.year)
        )
        return await self.repo.save([(book, path)])

    async def correct_attendance(
        self, meeting_id: str, marks: Sequence[AttendanceMark], *, reason: str
    ) -> Saved:
        book, path = await self._book_of(meeting_id)
        roster = await self._roster_at(book, meeting_id)
        book.correct_attendance(meeting_id, marks, roster, reason=reason)
        return await self.repo.save([(book, path)])

    async def add_guests(
        self, meeting_id: str, guests: Sequence[tuple[str, CommitteeLevel]]
    ) -> Saved:
        book, path = await self._book_of(meeting_id)
        roster = await self._roster_at(book, meeting_id)
        book.add_guests(meeting_id, await self._visits(guests, path, book.year), roster)
        return await self.repo.save([(book, path)])

    async def _branch_path(self, branch_id: str) -> list[str]:
        """Where the meetings' events are filed, at a branch or a chi bộ cơ sở
        (`domain/meeting_unit.py`); asking for it checks the right to write."""
        found = await read.consumed_unit(self._pool(), branch_id)
        if found is not None:  # the right first: a refusal says nothing about the unit
            self.repo.authorize(Permission.BRANCH_WORK, found.path)
        return require_meeting_unit(found, branch_id).path

    async def _book_of(self, meeting_id: str) -> tuple[MeetingBook, list[str]]:
        place = await read.meeting_place(self._pool(), meeting_id)
        if place is None:
            # A scoped principal gets 403: ids cannot be probed.
            refuse_unknown(f"meeting {meeting_id}", f"cuộc họp {meeting_id}")
        self.repo.authorize(Permission.BRANCH_WORK, place.path)
        book = await self.repo.load(MeetingBook, book_id(place.branch_id, place.year))
        return book, place.path

    async def _roster_at(self, book: MeetingBook, meeting_id: str) -> Roster:
        meeting = book.meeting(meeting_id)
        meeting.require_held()
        return await read.roster_on(self._pool(), book.branch_id, meeting.held_on)

    async def _visits(
        self, guests: Sequence[tuple[str, CommitteeLevel]], branch_path: Sequence[str], year: int
    ) -> list[GuestVisit]:
        """Each guest, marked by whether this branch lies under a unit they follow."""
        visits = []
        for guest_id, level in guests:
            followed = await read.followed_units(self._pool(), guest_id, year)
            visits.append(GuestVisit(guest_id, level, bool(followed & set(branch_path))))
        return visits

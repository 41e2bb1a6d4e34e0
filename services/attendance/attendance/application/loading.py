"""What every command handler loads from: the repository, the read models as consumed
(through `Lookups`: the roster, the org tree, the followings, where each meeting is filed)
and the clock. Unknown things are refused here in both languages; who may is the
boundary's (`permissions.py`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from chibo_kernel.domain import Repository, Saved
from chibo_kernel.errors import NotFound

from ..adapters.lookups import Lookups
from ..domain.commands import Guest
from ..domain.meeting_attendance import GuestVisit
from ..domain.meeting_book import MeetingBook, book_id
from ..domain.meeting_notes import MeetingNotes
from ..domain.meeting_unit import ConsumedUnit, require_meeting_unit
from ..domain.roster import Roster


def utc_now() -> datetime:
    return datetime.now(UTC)


class Loader:
    def __init__(
        self,
        repository: Repository,
        lookups: Lookups,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.repo = repository
        self._lookups = lookups
        self.clock = clock

    async def branch_path(self, branch_id: str) -> list[str]:
        """Where the meetings' events are filed, at a branch or a chi bộ cơ sở
        (`domain/meeting_unit.py`)."""
        return (await self.meeting_unit(branch_id)).path

    async def meeting_unit(self, branch_id: str) -> ConsumedUnit:
        """The branch or chi bộ cơ sở whose members meet in it, with its name and path."""
        found = await self._lookups.consumed_unit(branch_id)
        return require_meeting_unit(found, branch_id)

    async def book(self, branch_id: str, year: int) -> MeetingBook:
        """A branch's meeting book for a year, with its notes (the reasons people gave)."""
        book = await self.repo.load(MeetingBook, book_id(branch_id, year))
        book.notes = await self.repo.load(MeetingNotes, book.id)
        return book

    async def book_of(self, meeting_id: str) -> tuple[MeetingBook, list[str]]:
        """The meeting book holding the meeting, and where its events are filed."""
        place = await self._lookups.meeting_place(meeting_id)
        if place is None:
            raise NotFound(f"meeting {meeting_id}", f"cuộc họp {meeting_id}")
        return await self.book(place.branch_id, place.year), place.path

    async def save(self, book: MeetingBook, path: list[str]) -> Saved:
        """The book and its notes in one append, both filed at the branch."""
        return await self.repo.save([(book, path), (book.notes, path)])

    async def member_names(self, member_ids: Sequence[str]) -> dict[str, str]:
        return await self._lookups.member_names(member_ids)

    async def roster_on(self, branch_id: str, day: date) -> Roster:
        return await self._lookups.roster_on(branch_id, day)

    async def roster_at(self, book: MeetingBook, meeting_id: str) -> Roster:
        """The roster of the day the meeting was held (it must have been)."""
        meeting = book.meeting(meeting_id)
        meeting.require_held()
        return await self.roster_on(book.branch_id, meeting.held_on)

    async def visits(
        self, guests: Sequence[Guest], branch_path: Sequence[str], year: int
    ) -> list[GuestVisit]:
        """Each guest, marked by whether this branch lies under a unit they follow."""
        visits = []
        for guest in guests:
            followed = await self._lookups.followed_units(guest.member_id, year)
            visits.append(
                GuestVisit(guest.member_id, guest.level, bool(followed & set(branch_path)))
            )
        return visits

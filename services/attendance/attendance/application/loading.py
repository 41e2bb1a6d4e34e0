"""What every command handler loads from: the repository, the read models as consumed
(through the pool: the roster, the org tree, the followings) and the clock. Unknown things
are refused here in both languages; who may is the boundary's (`permissions.py`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from chibo_kernel.domain import Repository
from chibo_kernel.errors import NotFound
from chibo_kernel.pool import LeanPool

from ..adapters import roster_reader as read
from ..domain.commands import Guest
from ..domain.meeting_attendance import GuestVisit
from ..domain.meeting_book import MeetingBook, book_id
from ..domain.meeting_unit import require_meeting_unit
from ..domain.roster import Roster


def utc_now() -> datetime:
    return datetime.now(UTC)


class Loader:
    def __init__(
        self,
        repository: Repository,
        pool: Callable[[], LeanPool],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.repo = repository
        self._pool = pool  # a getter: the runtime opens the pool after the app is composed
        self.clock = clock

    @property
    def pool(self) -> LeanPool:
        return self._pool()

    async def branch_path(self, branch_id: str) -> list[str]:
        """Where the meetings' events are filed, at a branch or a chi bộ cơ sở
        (`domain/meeting_unit.py`)."""
        found = await read.consumed_unit(self.pool, branch_id)
        return require_meeting_unit(found, branch_id).path

    async def book_of(self, meeting_id: str) -> tuple[MeetingBook, list[str]]:
        """The meeting book holding the meeting, and where its events are filed."""
        place = await read.meeting_place(self.pool, meeting_id)
        if place is None:
            raise NotFound(f"meeting {meeting_id}", f"cuộc họp {meeting_id}")
        book = await self.repo.load(MeetingBook, book_id(place.branch_id, place.year))
        return book, place.path

    async def roster_at(self, book: MeetingBook, meeting_id: str) -> Roster:
        """The roster of the day the meeting was held (it must have been)."""
        meeting = book.meeting(meeting_id)
        meeting.require_held()
        return await read.roster_on(self.pool, book.branch_id, meeting.held_on)

    async def visits(
        self, guests: Sequence[Guest], branch_path: Sequence[str], year: int
    ) -> list[GuestVisit]:
        """Each guest, marked by whether this branch lies under a unit they follow."""
        visits = []
        for guest in guests:
            followed = await read.followed_units(self.pool, guest.member_id, year)
            visits.append(
                GuestVisit(guest.member_id, guest.level, bool(followed & set(branch_path)))
            )
        return visits

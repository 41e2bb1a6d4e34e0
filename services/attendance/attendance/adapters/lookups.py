"""What the commands and the locators check against: the org tree, the rosters and the
followings as consumed from the assignment service, and which branch and year each meeting
is filed under. The running service answers from its read models (`ReadModelLookups`); the
service wired on the in-memory store, from `memory_roster.py`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol

from chibo_kernel.pool import LeanPool

from ..domain.meeting_unit import ConsumedUnit
from ..domain.roster import Roster
from . import roster_reader as read
from .roster_reader import MeetingPlace


class Lookups(Protocol):
    async def unit_path(self, unit_id: str) -> list[str] | None:
        """The unit's organisation path, or None while it is unknown here."""

    async def consumed_unit(self, unit_id: str) -> ConsumedUnit | None: ...

    async def meeting_place(self, meeting_id: str) -> MeetingPlace | None: ...

    async def roster_on(self, branch_id: str, day: date) -> Roster: ...

    async def followed_units(self, follower_id: str, year: int) -> set[str]: ...

    async def member_path(self, member_id: str) -> list[str] | None:
        """The path of the branch the member last belonged to officially, or None while
        the member is unknown here."""

    async def member_names(self, member_ids: Sequence[str]) -> dict[str, str]:
        """The names of those of the members known here, on any roster ("đã xóa" where
        their data was erased)."""


class ReadModelLookups:
    def __init__(self, pool: Callable[[], LeanPool]) -> None:
        self._pool = pool  # a getter: the runtime opens the pool after the app is composed

    async def unit_path(self, unit_id: str) -> list[str] | None:
        found = await read.unit_path(self._pool(), unit_id)
        return None if found is None else found[0]

    async def consumed_unit(self, unit_id: str) -> ConsumedUnit | None:
        return await read.consumed_unit(self._pool(), unit_id)

    async def meeting_place(self, meeting_id: str) -> MeetingPlace | None:
        return await read.meeting_place(self._pool(), meeting_id)

    async def roster_on(self, branch_id: str, day: date) -> Roster:
        return await read.roster_on(self._pool(), branch_id, day)

    async def followed_units(self, follower_id: str, year: int) -> set[str]:
        return await read.followed_units(self._pool(), follower_id, year)

    async def member_path(self, member_id: str) -> list[str] | None:
        return await read.member_path(self._pool(), member_id)

    async def member_names(self, member_ids: Sequence[str]) -> dict[str, str]:
        return await read.member_names(self._pool(), member_ids)

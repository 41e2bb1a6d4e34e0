"""Who a branch expects at a meeting on a given day, as this service knows it from the
assignment service's membership events.

Official members of the branch that day and members on temporary attendance there are on
the roster. Exempt and suspended members are on it but not expected; so is an official
member away on temporary attendance at another branch. A committee meeting expects only
the committee.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .events import MeetingKind

Membership = Literal["official", "temporary"]
Standing = Literal["expected", "exempt", "suspended", "away"]


@dataclass(frozen=True, slots=True)
class RosterEntry:
    member_id: str
    full_name: str
    membership: Membership
    standing: Standing
    committee: bool

    @property
    def expected(self) -> bool:
        return self.standing == "expected"


class Roster:
    def __init__(self, branch_id: str, day: date, entries: Iterable[RosterEntry]) -> None:
        self.branch_id = branch_id
        self.day = day
        self.entries = {e.member_id: e for e in entries}

    def for_meeting(self, kind: MeetingKind) -> Roster:
        if kind != "committee":
            return self
        return Roster(self.branch_id, self.day, (e for e in self.entries.values() if e.committee))

    def get(self, member_id: str) -> RosterEntry | None:
        return self.entries.get(member_id)

    def names(self) -> dict[str, str]:
        return {e.member_id: e.full_name for e in self.entries.values()}

    def expected_ids(self) -> set[str]:
        return {e.member_id for e in self.entries.values() if e.expected}

    def __contains__(self, member_id: object) -> bool:
        return member_id in self.entries

    def __len__(self) -> int:
        return len(self.entries)

"""The lookups (`lookups.py`) kept in memory, for the service wired on the in-memory store:
the org tree, rosters and followings from the assignment service's events, handed to
`consume` as the roster consumer would apply them (`roster_projection.py`), and where each
meeting is filed, from this service's own events in each append (as `projection.py` keeps
the `meetings` table). The rosters follow `roster_reader.ROSTER_SQL`'s rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from chibo_contracts import assignment as a
from chibo_kernel import DomainEvent
from chibo_kernel.clock import local_date
from chibo_kernel.keyring import ERASED_VI
from chibo_kernel.store import StreamAppend

from ..domain.events import MeetingScheduled
from ..domain.meeting_unit import ConsumedUnit
from ..domain.roster import Roster, RosterEntry, Standing
from .roster_reader import MeetingPlace


@dataclass
class _Unit:
    kind: str
    name: str
    parent_id: str | None
    path: list[str]
    active: bool = True


@dataclass(frozen=True)
class _Period:
    """Official membership of a branch, temporary attendance at one, exemption or
    suspension: `what` over the days from `start` to `end` (None: open)."""

    member_id: str
    where: str  # the branch; '' for a standing, which holds wherever the member is
    what: Literal["official", "temporary", "exempt", "suspended"]
    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class MemoryRoster:
    _units: dict[str, _Unit] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)
    _periods: list[_Period] = field(default_factory=list)
    _roles: dict[tuple[str, str, str], date] = field(default_factory=dict)
    _followings: set[tuple[str, int, str]] = field(default_factory=set)
    _meetings: dict[str, tuple[str, int]] = field(default_factory=dict)

    def consume(self, events: Iterable[DomainEvent]) -> None:
        """The assignment service's events, in order; the others are ignored."""
        for event in events:
            self._apply(event)

    async def project(self, conn: Any, appends: Sequence[StreamAppend]) -> None:
        """This service's own events, in the append (the in-memory store gives no `conn`)."""
        for event in (e for append in appends for e in append.events):
            if isinstance(event, MeetingScheduled):
                year = local_date(event.scheduled_for).year
                self._meetings[event.meeting_id] = (event.branch_id, year)

    def _apply(self, e: DomainEvent) -> None:
        match e:
            case a.OrgUnitCreated():
                self._units[e.unit_id] = _Unit(e.kind, e.name, e.parent_id, list(e.path))
            case a.OrgUnitRenamed() if e.unit_id in self._units:
                self._units[e.unit_id].name = e.name
            case a.OrgUnitMoved() if e.unit_id in self._units:
                old = self._units[e.unit_id].path
                self._units[e.unit_id].parent_id = e.to_parent_id
                for unit in self._units.values():
                    if unit.path[: len(old)] == old:
                        unit.path = [*e.path, *unit.path[len(old) :]]
            case a.OrgUnitMerged() | a.OrgUnitDissolved() if e.unit_id in self._units:
                self._units[e.unit_id].active = False
            case a.MemberRegistered() | a.MemberRegisteredV2() | a.MemberRegisteredV3():
                self._names[e.member_id] = ERASED_VI if e.full_name is None else e.full_name
                self._periods.append(
                    _Period(e.member_id, e.branch_id, "official", a.attending_since(e))
                )
            case a.MemberRenamed():
                self._names[e.member_id] = ERASED_VI if e.full_name is None else e.full_name
            case a.MemberTransferred():
                self._close_official(e.member_id, e.on)
                self._periods.append(_Period(e.member_id, e.to_branch_id, "official", e.on))
            case a.MemberLeft() | a.MemberLeftV2():
                self._close_official(e.member_id, e.on)
            case a.TemporaryAttendanceStarted():
                temporary = _Period(
                    e.member_id, e.host_branch_id, "temporary", e.from_date, e.to_date
                )
                self._periods.append(temporary)
            case (
                a.MemberExempted()
                | a.MemberExemptedV2()
                | a.MemberSuspended()
                | a.MemberSuspendedV2()
            ):
                exempt = isinstance(e, a.MemberExempted | a.MemberExemptedV2)
                what: Literal["exempt", "suspended"] = "exempt" if exempt else "suspended"
                self._periods.append(_Period(e.member_id, "", what, e.from_date, e.to_date))
            case a.MemberRoleGiven():
                self._roles.setdefault((e.member_id, e.branch_id, e.role), e.since)
            case a.FollowingAssigned():
                self._followings |= {(e.follower_id, e.year, unit) for unit in e.unit_ids}
            case a.MemberErased():
                self._names[e.member_id] = ERASED_VI

    def _close_official(self, member_id: str, on: date) -> None:
        """The open official membership ends the day before `on`."""
        self._periods = [
            replace(p, end=on - timedelta(days=1))
            if p.member_id == member_id and p.what == "official" and p.end is None
            else p
            for p in self._periods
        ]

    async def unit_path(self, unit_id: str) -> list[str] | None:
        unit = self._units.get(unit_id)
        return None if unit is None else list(unit.path)

    async def consumed_unit(self, unit_id: str) -> ConsumedUnit | None:
        unit = self._units.get(unit_id)
        if unit is None:
            return None
        subs = sorted(u for u, c in self._units.items() if c.parent_id == unit_id and c.active)
        return ConsumedUnit(
            unit_id, unit.name, unit.kind, list(unit.path), unit.active, tuple(subs)
        )

    async def member_path(self, member_id: str) -> list[str] | None:
        official = [p for p in self._periods if p.member_id == member_id and p.what == "official"]
        latest = max(official, key=lambda p: p.start, default=None)
        return None if latest is None else await self.unit_path(latest.where)

    async def meeting_place(self, meeting_id: str) -> MeetingPlace | None:
        if meeting_id not in self._meetings:
            return None
        branch_id, year = self._meetings[meeting_id]
        return MeetingPlace(branch_id, year, await self.unit_path(branch_id) or [branch_id])

    async def roster_on(self, branch_id: str, day: date) -> Roster:
        entries = [
            RosterEntry(
                p.member_id,
                self._names[p.member_id],
                "official" if p.what == "official" else "temporary",
                self._standing(p, day),
                self._committee(p.member_id, branch_id, day),
            )
            for p in self._periods
            if p.where == branch_id
            and p.what in ("official", "temporary")
            and p.covers(day)
            and p.member_id in self._names  # the member's registration has arrived
        ]
        return Roster(branch_id, day, sorted(entries, key=lambda e: (e.full_name, e.member_id)))

    def _standing(self, period: _Period, day: date) -> Standing:
        mine = [p for p in self._periods if p.member_id == period.member_id and p.covers(day)]
        if any(p.what == "suspended" for p in mine):
            return "suspended"
        if any(p.what == "exempt" for p in mine):
            return "exempt"
        elsewhere = any(p.what == "temporary" and p.where != period.where for p in mine)
        return "away" if period.what == "official" and elsewhere else "expected"

    def _committee(self, member_id: str, branch_id: str, day: date) -> bool:
        return any(
            (m, b) == (member_id, branch_id) and since <= day
            for (m, b, _), since in self._roles.items()
        )

    async def member_names(self, member_ids: Sequence[str]) -> dict[str, str]:
        return {m: self._names[m] for m in member_ids if m in self._names}

    async def followed_units(self, follower_id: str, year: int) -> set[str]:
        return {u for f, y, u in self._followings if f == follower_id and y == year}

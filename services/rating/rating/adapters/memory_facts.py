"""The consumed organisation tree and the members' branches kept in memory, for the service
wired on the in-memory store (its application tests): fed the assignment service's events,
as the facts are, and asked what the locators ask (`places.Places`) and what the commands
that read only where they act ask (`application/whereabouts.py`), the units' names among it.
Units are neither moved, renamed nor dissolved here: the fake knows what its callers need
and no more."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from chibo_chassis.auth import Place
from chibo_contracts import assignment as a
from chibo_kernel import DomainEvent

from ..application.loading import unknown_member, unknown_unit
from .places import year_end


@dataclass
class _Period:
    branch_id: str
    from_date: date
    to_date: date | None = None

    def covers(self, on: date) -> bool:
        return self.from_date <= on and (self.to_date is None or self.to_date >= on)


class MemoryFacts:
    def __init__(self) -> None:
        self._units: dict[str, a.OrgUnitCreated] = {}
        self._periods: dict[str, list[_Period]] = {}

    def consume(self, events: Iterable[DomainEvent]) -> None:
        for event in events:
            match event:
                case a.OrgUnitCreated():
                    self._units.setdefault(event.unit_id, event)
                case a.MemberRegistered() | a.MemberRegisteredV2() | a.MemberRegisteredV3():
                    periods = self._periods.setdefault(event.member_id, [])
                    periods.append(_Period(event.branch_id, a.attending_since(event)))
                case a.MemberTransferred():
                    self._close(event.member_id, event.on)
                    self._periods[event.member_id].append(_Period(event.to_branch_id, event.on))
                case a.MemberLeft() | a.MemberLeftV2():
                    self._close(event.member_id, event.on)

    def _close(self, member_id: str, on: date) -> None:
        for period in self._periods.get(member_id, []):
            if period.to_date is None:
                period.to_date = on - timedelta(days=1)

    # What the locators ask.

    async def of_unit(self, unit_id: object) -> list[str] | None:
        known = self._units.get(unit_id) if isinstance(unit_id, str) else None
        return None if known is None else list(known.path)

    async def of_units(self, named: Sequence[Any]) -> list[Place]:
        return [await self.of_unit(u) for u in named]

    async def of_member(self, member_id: object, year: object) -> list[str] | None:
        """As the facts answer it: the branch at the year's end, else the last one before
        it, else the latest."""
        periods = self._periods.get(member_id, []) if isinstance(member_id, str) else []
        on = year_end(year)
        if not periods:
            return None
        chosen = max(periods, key=lambda p: (p.covers(on), p.from_date <= on, p.from_date))
        return await self.of_unit(chosen.branch_id)

    # What the commands that read only where they act ask.

    async def unit(self, unit_id: str) -> tuple[list[str], str]:
        known = self._units.get(unit_id)
        if known is None:
            raise unknown_unit(unit_id)
        # A grassroots organisation without branches is a chi bộ cơ sở (as `loading.unit`).
        leaf = not any(u.parent_id == unit_id for u in self._units.values())
        kind = "grassroots_cell" if known.kind == "grassroots" and leaf else known.kind
        return list(known.path), kind

    async def member_branch(self, member_id: str, year: int) -> tuple[str, list[str]]:
        on = date(year, 12, 31)
        for period in self._periods.get(member_id, []):
            branch = self._units.get(period.branch_id)
            if period.covers(on) and branch is not None:
                return period.branch_id, list(branch.path)
        raise unknown_member(member_id, year)

    # What names who signs (`application/signer.py`).

    async def unit_name(self, unit_id: str) -> str | None:
        known = self._units.get(unit_id)
        return None if known is None else known.name

    async def province_name(self) -> str | None:
        roots = [u.name for u in self._units.values() if len(u.path) == 1]
        return roots[0] if len(roots) == 1 else None

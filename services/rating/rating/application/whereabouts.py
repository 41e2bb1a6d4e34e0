"""Where a command acts, for the commands that read nothing else of the consumed facts (a
member's inputs, a unit's appraisal, an allowance): the member's branch at the year's end, or
the unit's path and kind as rated. Read from the active facts in the running service
(`FactWhereabouts`), from the facts kept in memory on the in-memory store
(`adapters/memory_facts.py`); both refuse what is not there in the same words (`loading.py`).
The other commands weigh the year's evidence or the decisions: they read the facts
themselves, in one snapshot (`Deps.facts`). Either way the units are named, for who
signs (`signer.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from chibo_kernel.domain import Repository
from chibo_kernel.pool import LeanPool

from ..adapters.facts_schema import facts
from ..domain.rule_book import RuleBook
from .loading import member_branch, unit
from .signer import FactNames, UnitNames


class Whereabouts(UnitNames, Protocol):
    async def unit(self, unit_id: str) -> tuple[list[str], str]:
        """The unit's path and its kind as rated; refused as `unit_unknown`."""
        ...

    async def member_branch(self, member_id: str, year: int) -> tuple[str, list[str]]:
        """The member's branch at the end of the year and its path; refused as
        `member_unknown`."""
        ...


@dataclass(frozen=True)
class PlacedDeps:
    """What a command that reads only where it acts is given."""

    repo: Repository
    rules: RuleBook
    where: Whereabouts


class FactWhereabouts:
    """In the generation queries read now."""

    def __init__(self, pool: Callable[[], LeanPool], schema: Callable[[], str]) -> None:
        self._pool = pool
        self._schema = schema

    async def unit(self, unit_id: str) -> tuple[list[str], str]:
        async with facts(self._pool(), self._schema()) as conn:
            return await unit(conn, unit_id)

    async def member_branch(self, member_id: str, year: int) -> tuple[str, list[str]]:
        async with facts(self._pool(), self._schema()) as conn:
            return await member_branch(conn, member_id, year)

    async def unit_name(self, unit_id: str) -> str | None:
        async with facts(self._pool(), self._schema()) as conn:
            return await FactNames(conn).unit_name(unit_id)

    async def province_name(self) -> str | None:
        async with facts(self._pool(), self._schema()) as conn:
            return await FactNames(conn).province_name()

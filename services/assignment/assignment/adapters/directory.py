"""Read-model lookups that commands spanning many aggregates need: who belongs to a branch,
what sits under a unit, whose card is which. Read in the service's own consistent read
models."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from chibo_kernel.pool import LeanPool


class Directory(Protocol):
    async def members_of(self, branch_id: str) -> list[str]: ...

    async def children_of(self, unit_id: str) -> list[str]: ...

    async def cards_of(self, branch_id: str) -> dict[str, str]: ...

    async def card_holder(self, card_number: str) -> str | None:
        """The member registered with this card number, serving or not."""
        ...


class ReadModelDirectory:
    def __init__(self, pool: Callable[[], LeanPool]) -> None:
        self._pool = pool

    async def members_of(self, branch_id: str) -> list[str]:
        rows = await self._pool().fetch(
            "SELECT member_id FROM members WHERE branch_id = $1 AND left_on IS NULL"
            " ORDER BY member_id",
            branch_id,
        )
        return [r["member_id"] for r in rows]

    async def children_of(self, unit_id: str) -> list[str]:
        rows = await self._pool().fetch(
            "SELECT unit_id FROM org_units WHERE parent_id = $1 AND dissolved_on IS NULL"
            " ORDER BY unit_id",
            unit_id,
        )
        return [r["unit_id"] for r in rows]

    async def cards_of(self, branch_id: str) -> dict[str, str]:
        """The serving members of a branch by card number."""
        rows = await self._pool().fetch(
            "SELECT c.card_number, m.member_id FROM member_cards c JOIN members m"
            " USING (member_id) WHERE m.branch_id = $1 AND m.left_on IS NULL",
            branch_id,
        )
        return {r["card_number"]: r["member_id"] for r in rows}

    async def card_holder(self, card_number: str) -> str | None:
        member_id: str | None = await self._pool().fetchval(
            "SELECT member_id FROM member_cards WHERE card_number = $1", card_number
        )
        return member_id

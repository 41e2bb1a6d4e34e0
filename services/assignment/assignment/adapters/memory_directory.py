"""The directory (`directory.py`) kept in memory, for the service wired on the in-memory
store: a projection the store runs in each append, as PostgreSQL runs the read models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chibo_kernel.store import StreamAppend

from ..domain.events import (
    MemberErased,
    MemberIdentityCorrected,
    MemberIdentityRecorded,
    MemberLeft,
    MemberLeftV2,
    MemberRegistered,
    MemberRegisteredV2,
    MemberRegisteredV3,
    MemberTransferred,
    OrgUnitCreated,
    OrgUnitDissolved,
    OrgUnitMerged,
    OrgUnitMoved,
)


class MemoryDirectory:
    def __init__(self) -> None:
        self._parent: dict[str, str | None] = {}
        self._gone: set[str] = set()
        self._branch: dict[str, str] = {}  # serving members only
        self._card: dict[str, str] = {}

    async def project(self, conn: Any, appends: Sequence[StreamAppend]) -> None:
        for event in (e for append in appends for e in append.events):
            match event:
                case OrgUnitCreated(unit_id=unit, parent_id=parent):
                    self._parent[unit] = parent
                case OrgUnitMoved(unit_id=unit, to_parent_id=parent):
                    self._parent[unit] = parent
                case OrgUnitDissolved(unit_id=unit) | OrgUnitMerged(unit_id=unit):
                    self._gone.add(unit)
                case (
                    MemberRegistered(member_id=member, branch_id=branch)
                    | MemberRegisteredV2(member_id=member, branch_id=branch)
                    | MemberRegisteredV3(member_id=member, branch_id=branch)
                ):
                    self._branch[member] = branch
                case MemberTransferred(member_id=member, to_branch_id=branch):
                    self._branch[member] = branch
                case MemberLeft(member_id=member) | MemberLeftV2(member_id=member):
                    self._branch.pop(member, None)
                case (
                    MemberIdentityRecorded(member_id=member, card_number=card)
                    | MemberIdentityCorrected(member_id=member, card_number=card)
                ):
                    self._card[member] = card
                case MemberErased(member_id=member):  # as PostgreSQL's: the card is free
                    self._card.pop(member, None)

    async def members_of(self, branch_id: str) -> list[str]:
        return sorted(m for m, b in self._branch.items() if b == branch_id)

    async def children_of(self, unit_id: str) -> list[str]:
        return sorted(u for u, p in self._parent.items() if p == unit_id and u not in self._gone)

    async def cards_of(self, branch_id: str) -> dict[str, str]:
        return {self._card[m]: m for m in await self.members_of(branch_id) if m in self._card}

    async def card_holder(self, card_number: str) -> str | None:
        return next((m for m, card in self._card.items() if card == card_number), None)

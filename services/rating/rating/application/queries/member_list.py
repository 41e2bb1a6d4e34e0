"""The member scorecards under a unit, page by page: a commune's list answers from its own
members' facts, and a download of a whole province goes page by page instead of holding
every member at once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from chibo_kernel.domain import Message

from ..deps import Deps
from .assessments import assess_members
from .evidence import member_count, member_evidence
from .member_assessment import MemberAssessment


@dataclass(frozen=True)
class ScorecardPage:
    members: list[MemberAssessment]
    total: int  # members under the unit, every page together


@dataclass(frozen=True)
class UnitMemberScorecards(Message[ScorecardPage]):
    """One page, in branch and name order (`limit` None: every member)."""

    unit_id: str
    year: int
    limit: int | None = 500
    offset: int = 0


@dataclass(frozen=True)
class UnitMemberScorecardPages(Message[AsyncIterator[list[MemberAssessment]]]):
    """Every member, `page` at a time, each page read when the one before has been used."""

    unit_id: str
    year: int
    page: int = 1000


async def _page(
    deps: Deps, unit_id: str, year: int, limit: int | None, offset: int
) -> list[MemberAssessment]:
    async with deps.facts() as conn:
        found = await member_evidence(conn, unit_id, year, limit=limit, offset=offset)
    return assess_members(found, deps.rules.for_year(year), deps.rules)


async def handle(query: UnitMemberScorecards, deps: Deps) -> ScorecardPage:
    deps.rules.for_year(query.year)  # a year without rules is a 404 before anything is read
    async with deps.facts() as conn:
        total = await member_count(conn, query.unit_id, query.year)
    members = await _page(deps, query.unit_id, query.year, query.limit, query.offset)
    return ScorecardPage(members, total)


async def handle_pages(
    query: UnitMemberScorecardPages, deps: Deps
) -> AsyncIterator[list[MemberAssessment]]:
    deps.rules.for_year(query.year)  # a 404 before anything streams

    async def pages() -> AsyncIterator[list[MemberAssessment]]:
        offset = 0
        while True:
            found = await _page(deps, query.unit_id, query.year, query.page, offset)
            yield found
            if len(found) < query.page:
                return
            offset += query.page

    return pages()

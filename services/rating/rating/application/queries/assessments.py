"""Proposals and scorecards: the evidence read from the facts, judged by the year's rule set.

Members first, then branches and chi bộ cơ sở from their members and meetings, then
grassroots organisations from their branches: the order the rules decide in. A unit's level
counted upward is the decided one where decided, else the proposed one; a unit that cannot
be proposed yet counts as not yet rated, never as good.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg

from chibo_contracts.rating import Level

from ...domain.collective_rating import CollectiveProposal, rate_collective
from ...domain.collective_year import CollectiveKind, CollectiveYear
from ...domain.member_rating import rate_member
from ...domain.member_year import TaskRecord
from ...domain.removal import removal_flag
from ...domain.rule_book import RuleBook
from ...domain.rule_set import RuleSet
from .branch_year import BranchYear, branch_year
from .evidence import member_evidence
from .member_assessment import MemberAssessment as MemberAssessment
from .rows import UnitAppraisal, UnitRow, fetch_units, unit_appraisals
from .scorecard import MemberEvidence


@dataclass
class UnitAssessment:
    unit_id: str
    name: str
    kind: str
    path: list[str]
    proposal: CollectiveProposal | None  # None: rated above this service (district, province)
    decided: Level | None
    branch: BranchYear | None = None
    levels: dict[str, int] = field(default_factory=dict)
    disciplined: bool = False  # the collective itself, as its appraisal records

    @property
    def level(self) -> Level | None:
        return self.decided or (self.proposal.level if self.proposal else None)


def assess_members(
    members: Sequence[MemberEvidence], rules: RuleSet, book: RuleBook
) -> list[MemberAssessment]:
    return [
        MemberAssessment(
            evidence,
            rate_member(evidence.year_record(), rules.member),
            removal_flag(evidence.member_id, evidence.unexcused_months, (), book.charter),
        )
        for evidence in members
    ]


UNITS_SQL = """
SELECT unit_id, name, kind, path, parent_id,
       NOT EXISTS (SELECT 1 FROM units b WHERE b.parent_id = u.unit_id AND b.active) AS leaf
  FROM units u
 WHERE $1 = ANY (path) AND (active OR unit_id = $1) ORDER BY cardinality(path), unit_id
"""


async def assess_subtree(
    conn: asyncpg.Connection, unit_id: str, year: int, book: RuleBook
) -> tuple[list[MemberAssessment], dict[str, UnitAssessment]]:
    """Every member and every unit under `unit_id` (itself included)."""
    rules = book.for_year(year)
    members = assess_members(await member_evidence(conn, unit_id, year), rules, book)
    units = await fetch_units(conn, UNITS_SQL, unit_id)
    return members, await assess_units(conn, units, members, year, rules)


async def assess_units(
    conn: asyncpg.Connection,
    units: Sequence[UnitRow],
    members: Sequence[MemberAssessment],
    year: int,
    rules: RuleSet,
) -> dict[str, UnitAssessment]:
    """The units given (rows of `UNITS_SQL`), each from the members given and the units
    given below it, deepest first."""
    ids = [u.unit_id for u in units]
    decided: dict[str, Level] = {
        r["subject_id"]: r["level"]
        for r in await conn.fetch(
            "SELECT subject_id, level FROM decisions WHERE subject = 'unit' AND year = $1 "
            "AND subject_id = ANY ($2::text[])",
            year,
            ids,
        )
    }
    appraisals = await unit_appraisals(conn, year, ids)
    by_unit: dict[str, list[MemberAssessment]] = defaultdict(list)
    for member in members:
        by_unit[member.evidence.branch_id].append(member)
    cells = [u.unit_id for u in units if unit_kind(u) in CELL_KINDS]
    years = await branch_year(conn, cells, year, by_unit, rules)
    result: dict[str, UnitAssessment] = {}
    children: dict[str, list[UnitAssessment]] = defaultdict(list)
    # From the deepest up: each unit from what it contains.
    for unit in sorted(units, key=lambda u: -len(u.path)):
        kind, path = unit_kind(unit), unit.path
        appraisal = appraisals.get(unit.unit_id)
        below = children[unit.unit_id]
        inside = by_unit.get(unit.unit_id, []) if kind != "grassroots" else []
        rated = [m for m in inside if m.rated]
        proposal = None
        if kind in COLLECTIVE_KINDS:
            record = collective_year(
                unit,
                kind,
                year,
                rated,
                tuple(u.level for u in below if u.proposal is not None),
                sum(1 for u in below if u.disciplined),
                appraisal,
            )
            proposal = rate_collective(record, rules.collective)
        result[unit.unit_id] = UnitAssessment(
            unit_id=unit.unit_id,
            name=unit.name,
            kind=kind,
            path=path,
            proposal=proposal,
            decided=decided.get(unit.unit_id),
            branch=years.get(unit.unit_id),
            levels=dict(Counter(m.level or "undecided" for m in rated)),
            disciplined=appraisal is not None and appraisal.disciplined,
        )
        if len(path) > 1:
            children[path[-2]].append(result[unit.unit_id])
    return dict(sorted(result.items(), key=lambda kv: len(kv[1].path)))


CELL_KINDS = ("branch", "grassroots_cell")
UNIT_ROWS_SQL = """
SELECT unit_id, name, kind, path, parent_id,
       NOT EXISTS (SELECT 1 FROM units b WHERE b.parent_id = u.unit_id AND b.active) AS leaf
  FROM units u WHERE unit_id = ANY ($1::text[])
"""
COLLECTIVE_KINDS = ("branch", "grassroots_cell", "grassroots")


def unit_kind(unit: UnitRow) -> str:
    """A grassroots organisation with no branch, whose members meet in it, is a chi bộ cơ sở:
    rated once, as a branch-level cell."""
    if unit.kind == "grassroots" and unit.leaf:
        return "grassroots_cell"
    return unit.kind


def collective_year(
    unit: UnitRow,
    kind: str,
    year: int,
    members: Sequence[MemberAssessment],
    sub_unit_levels: tuple[Level | None, ...],
    sub_units_disciplined: int,
    appraisal: UnitAppraisal | None,
) -> CollectiveYear:
    collective_kind: CollectiveKind = kind  # type: ignore[assignment]
    tasks = None
    if appraisal is not None and appraisal.targets_total:
        tasks = TaskRecord(
            appraisal.targets_total,
            appraisal.targets_done,
            appraisal.targets_done,
            appraisal.targets_exceeded,
            "appraisal",
        )
    return CollectiveYear(
        unit_id=unit.unit_id,
        name=unit.name,
        kind=collective_kind,
        year=year,
        member_levels=tuple(m.level for m in members),
        sub_unit_levels=sub_unit_levels,
        leaders_disciplined=sum(
            1 for m in members if m.evidence.committee and m.evidence.disciplines
        ),
        sub_units_disciplined=sub_units_disciplined,
        disciplined=appraisal is not None and appraisal.disciplined,
        score=None if appraisal is None else appraisal.points,
        judged=None if appraisal is None else appraisal.level,
        tasks=tasks,
    )

"""Proposals and scorecards: the evidence read from the facts, judged by the year's rule set.

Members first, then branches from their members and meetings, then organisations from
their branches: the order the rules decide in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from chibo_kernel.clock import VIETNAM
from chibo_kernel.meeting_quality import HeldMeeting, SheetLine, quality_facts

from ..domain.evidence import MemberEvidence, ratio
from ..domain.rules import GOOD_OR_BETTER, Proposal, RuleSet
from .evidence_query import member_evidence


@dataclass
class MemberAssessment:
    evidence: MemberEvidence
    excluded: list[str]
    metrics: dict[str, float]
    proposal: Proposal | None  # None when not rated

    @property
    def level(self) -> str | None:
        """The decided level, else the proposed one."""
        if self.evidence.decided:
            return self.evidence.decided
        return self.proposal.level if self.proposal else None


@dataclass
class UnitAssessment:
    unit_id: str
    name: str
    kind: str
    path: list[str]
    metrics: dict[str, float]
    proposal: Proposal
    decided: str | None
    bon_tot: dict[str, bool] = field(default_factory=dict)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    months_missed: list[str] = field(default_factory=list)
    levels: dict[str, int] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return self.decided or self.proposal.level


def assess_members(
    members: Sequence[MemberEvidence], rules: RuleSet, year: int
) -> list[MemberAssessment]:
    assessed = []
    for evidence in members:
        excluded = evidence.excluded(rules, year)
        metrics = evidence.metrics(rules)
        proposal = None
        if not excluded:
            proposal = rules.member.propose(metrics, evidence.score(rules, metrics))
            if evidence.appraisal and evidence.appraisal != proposal.level:
                note = f"the committee's appraisal proposes {evidence.appraisal} | chi ủy đề xuất"
                proposal = Proposal(proposal.level, proposal.score, [*proposal.reasons, note])
        assessed.append(MemberAssessment(evidence, excluded, metrics, proposal))
    return assessed


BRANCH_MEETINGS_SQL = """
SELECT mt.meeting_id, mt.branch_id, mt.kind, mt.month, mt.started_at, mt.ended_at,
       coalesce(mt.minutes_recorded, false) AS minutes_recorded,
       coalesce(mt.prepared_by_committee, false) AS prepared_by_committee,
       coalesce(array_agg(k.member_id ORDER BY k.member_id)
                FILTER (WHERE k.member_id IS NOT NULL), '{}') AS members,
       coalesce(array_agg(k.status ORDER BY k.member_id)
                FILTER (WHERE k.member_id IS NOT NULL), '{}') AS statuses
  FROM meetings mt LEFT JOIN marks k USING (meeting_id)
 WHERE mt.branch_id = ANY ($1::text[]) AND mt.status = 'held' AND mt.month LIKE $2 || '-%'
 GROUP BY mt.meeting_id ORDER BY mt.branch_id, mt.started_at
"""

UNITS_SQL = """
SELECT unit_id, name, kind, path, parent_id FROM units
 WHERE $1 = ANY (path) AND (active OR unit_id = $1) ORDER BY cardinality(path), unit_id
"""


async def assess_subtree(
    conn: asyncpg.Connection, unit_id: str, year: int, rules: RuleSet
) -> tuple[list[MemberAssessment], dict[str, UnitAssessment]]:
    """Every member and every branch and organisation under `unit_id` (itself included)."""
    members = assess_members(await member_evidence(conn, unit_id, year), rules, year)
    units = await conn.fetch(UNITS_SQL, unit_id)
    decided = {
        r["subject_id"]: r["level"]
        for r in await conn.fetch(
            "SELECT subject_id, level FROM decisions WHERE subject = 'unit' AND year = $1", year
        )
    }
    by_branch: dict[str, list[MemberAssessment]] = defaultdict(list)
    for member in members:
        by_branch[member.evidence.branch_id].append(member)
    branch_ids = [u["unit_id"] for u in units if u["kind"] == "branch"]
    paths = {u["unit_id"]: list(u["path"]) for u in units}
    meetings: dict[str, list[Any]] = defaultdict(list)
    for row in await conn.fetch(BRANCH_MEETINGS_SQL, branch_ids, str(year)):
        meetings[row["branch_id"]].append(row)
    result: dict[str, UnitAssessment] = {}
    for unit in units:
        if unit["kind"] == "branch":
            result[unit["unit_id"]] = _branch(
                unit, by_branch[unit["unit_id"]], meetings[unit["unit_id"]], rules, year, decided
            )
    # Higher units from the deepest up: each from the units directly under it.
    for unit in sorted(units, key=lambda u: -len(u["path"])):
        if unit["kind"] != "branch":
            below = [a for a in result.values() if a.path[:-1] == list(unit["path"])]
            result[unit["unit_id"]] = _organisation(unit, below, members, paths, rules, decided)
    return members, result


def _branch(
    unit: Any,
    members: Sequence[MemberAssessment],
    meetings: Sequence[Any],
    rules: RuleSet,
    year: int,
    decided: Mapping[str, str],
) -> UnitAssessment:
    rated = [m for m in members if m.proposal is not None]
    levels = Counter(m.level for m in rated if m.level)
    quality = rules.meeting_quality
    held = [_held(row) for row in meetings]
    facts = quality_facts(held)
    judged = []
    for meeting in held:
        f = facts[meeting.meeting_id]
        checks = {
            "attendance": f.attendance_rate is not None
            and f.attendance_rate > float(quality["attendance_above"]),
            "no_unexcused": f.absent_unexcused <= int(quality["max_unexcused"]),
            "nobody_absent_in_a_row": not f.absent_more_than_3_in_a_row,
            "duration": f.duration_minutes >= int(quality["min_minutes"]),
            "minutes": f.minutes_recorded or not quality["minutes_required"],
            "prepared": f.prepared_by_committee or not quality["prepared_required"],
        }
        judged.append(
            {
                "meeting_id": meeting.meeting_id,
                "kind": meeting.kind,
                "month": meeting.month,
                "attendance_rate": f.attendance_rate,
                "duration_minutes": f.duration_minutes,
                "checks": checks,
                "of_quality": all(checks.values()),
            }
        )
    regular_months = {m.month for m in held if m.kind == "regular"}
    own = [j for j in judged if j["kind"] != "committee"]
    eligible = [m for m in rated if not m.evidence.committee]
    expected = sum(m.evidence.year.reports_expected for m in rated)
    metrics = {
        "coverage": ratio(sum(1 for m in eligible if m.evidence.assignments), len(eligible)),
        "report_compliance": ratio(sum(m.evidence.year.reports_submitted for m in rated), expected),
        "regular_meetings_held": float(len(regular_months)),
        "quality_meeting_ratio": ratio(sum(1 for j in own if j["of_quality"]), len(own), 0.0),
        "members_disciplined": float(sum(1 for m in members if m.evidence.discipline)),
        "art8_members": float(sum(1 for m in members if len(m.evidence.unexcused_months) >= 3)),
        "members_good_ratio": ratio(sum(levels[k] for k in GOOD_OR_BETTER), len(rated)),
        "members_not_completed": float(levels["not_completed"]),
    }
    bon_tot = {
        name: all(c.holds(metrics[c.metric]) for c in conditions)
        for name, conditions in rules.bon_tot.items()
    }
    metrics["bon_tot_criteria"] = float(sum(bon_tot.values()))
    return UnitAssessment(
        unit_id=unit["unit_id"],
        name=unit["name"],
        kind=unit["kind"],
        path=list(unit["path"]),
        metrics=metrics,
        proposal=rules.branch.propose(metrics),
        decided=decided.get(unit["unit_id"]),
        bon_tot=bon_tot,
        meetings=judged,
        months_missed=[
            f"{year}-{m:02}" for m in range(1, 13) if f"{year}-{m:02}" not in regular_months
        ],
        levels=dict(levels),
    )


def _organisation(
    unit: Any,
    below: Sequence[UnitAssessment],
    members: Sequence[MemberAssessment],
    paths: Mapping[str, Sequence[str]],
    rules: RuleSet,
    decided: Mapping[str, str],
) -> UnitAssessment:
    path = list(unit["path"])
    inside = [
        m
        for m in members
        if m.proposal is not None and unit["unit_id"] in paths.get(m.evidence.branch_id, ())
    ]
    levels = Counter(m.level for m in inside if m.level)
    metrics = {
        "branches_good_ratio": ratio(
            sum(1 for u in below if u.level in GOOD_OR_BETTER), len(below)
        ),
        "members_good_ratio": ratio(sum(levels[k] for k in GOOD_OR_BETTER), len(inside)),
    }
    return UnitAssessment(
        unit_id=unit["unit_id"],
        name=unit["name"],
        kind=unit["kind"],
        path=path,
        metrics=metrics,
        proposal=rules.organisation.propose(metrics),
        decided=decided.get(unit["unit_id"]),
        levels=dict(levels),
    )


def _held(row: Any) -> HeldMeeting:
    lines = [SheetLine(m, "", s) for m, s in zip(row["members"], row["statuses"], strict=True)]
    started = row["started_at"]
    return HeldMeeting(
        meeting_id=row["meeting_id"],
        kind=row["kind"],
        month=row["month"],
        held_on=started.astimezone(VIETNAM).date(),
        started_at=started,
        ended_at=row["ended_at"],
        minutes_recorded=row["minutes_recorded"],
        prepared_by_committee=row["prepared_by_committee"],
        recorded=bool(row["members"]),
        lines=lines,
    )

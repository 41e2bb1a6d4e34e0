"""A branch-level cell's year (a branch or a chi bộ cơ sở): its meetings judged one by one
against the year's meeting-quality rules, the months without a regular meeting, and the
record that "chi bộ bốn tốt" and the collective's proposal read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

import asyncpg

from chibo_kernel.clock import local_date

from ...domain.bon_tot import BonTotResult, bon_tot
from ...domain.branch_record import BranchRecord, MeetingFacts, absence_streaks, judge_meeting
from ...domain.rule_set import RuleSet
from .member_assessment import MemberAssessment

MEETINGS_SQL = """
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


@dataclass(frozen=True, slots=True)
class HeldMeeting:
    """A row of `MEETINGS_SQL`: a meeting held, and the marks of its sheet."""

    meeting_id: str
    branch_id: str
    kind: str
    month: str
    started_at: datetime
    ended_at: datetime
    minutes_recorded: bool
    prepared_by_committee: bool
    members: list[str]
    statuses: list[str]  # each member's mark, in the order of `members`


class JudgedMeeting(TypedDict):
    """A meeting as a branch card shows it: each meeting-quality check, and the verdict."""

    meeting_id: str
    kind: str
    month: str
    attendance_rate: float | None
    duration_minutes: int
    checks: dict[str, bool]
    of_quality: bool


@dataclass
class BranchYear:
    record: BranchRecord
    meetings: list[JudgedMeeting]
    months_missed: list[str]
    bon_tot: BonTotResult | None  # None: the title did not exist that year
    metrics: dict[str, float] = field(default_factory=dict)


async def branch_year(
    conn: asyncpg.Connection,
    cells: Sequence[str],
    year: int,
    members: Mapping[str, Sequence[MemberAssessment]],
    rules: RuleSet,
) -> dict[str, BranchYear]:
    meetings: dict[str, list[HeldMeeting]] = defaultdict(list)
    for r in await conn.fetch(MEETINGS_SQL, list(cells), str(year)):
        meetings[r["branch_id"]].append(
            HeldMeeting(
                r["meeting_id"],
                r["branch_id"],
                r["kind"],
                r["month"],
                r["started_at"],
                r["ended_at"],
                r["minutes_recorded"],
                r["prepared_by_committee"],
                list(r["members"]),
                list(r["statuses"]),
            )
        )
    return {cell: _year(cell, year, members.get(cell, []), meetings[cell], rules) for cell in cells}


def _year(
    cell: str,
    year: int,
    members: Sequence[MemberAssessment],
    rows: Sequence[HeldMeeting],
    rules: RuleSet,
) -> BranchYear:
    rated = [m for m in members if m.rated]
    streaks = absence_streaks(
        [(r.meeting_id, r.kind, list(zip(r.members, r.statuses, strict=True))) for r in rows]
    )
    # A regular and a thematic meeting held in one sitting (HD 42: "trong cùng một buổi")
    # are recorded as two meetings on the same day; the regular one is judged as combined.
    thematic_days = {local_date(r.started_at) for r in rows if r.kind == "thematic"}
    judged: list[JudgedMeeting] = []
    for row in rows:
        statuses = row.statuses
        combined = row.kind == "regular" and local_date(row.started_at) in thematic_days
        facts = MeetingFacts(
            meeting_id=row.meeting_id,
            month=row.month,
            kind="combined" if combined else row.kind,
            attendance_rate=round(statuses.count("present") / len(statuses), 4)
            if statuses
            else None,
            absent_unexcused=statuses.count("absent_unexcused"),
            longest_absence_streak=streaks[row.meeting_id],
            duration_minutes=int((row.ended_at - row.started_at).total_seconds() // 60),
            minutes_recorded=row.minutes_recorded,
            prepared_by_committee=row.prepared_by_committee,
        )
        checks = judge_meeting(facts, rules.meeting_quality)
        judged.append(
            {
                "meeting_id": facts.meeting_id,
                "kind": row.kind,
                "month": facts.month,
                "attendance_rate": facts.attendance_rate,
                "duration_minutes": facts.duration_minutes,
                "checks": checks,
                "of_quality": all(checks.values()),
            }
        )
    regular = {j["month"] for j in judged if j["kind"] == "regular"}
    own = [j for j in judged if j["kind"] != "committee"]
    eligible = [m for m in rated if not m.evidence.committee]
    record = BranchRecord(
        unit_id=cell,
        name=cell,
        year=year,
        eligible_members=len(eligible),
        members_assigned=sum(1 for m in eligible if m.evidence.assignments),
        reports_expected=sum(m.evidence.year.reports_expected for m in rated),
        reports_submitted=sum(m.evidence.year.reports_submitted for m in rated),
        regular_meeting_months=len(regular),
        meetings_judged=len(own),
        meetings_of_quality=sum(1 for j in own if j["of_quality"]),
        members_disciplined=sum(1 for m in members if m.evidence.disciplines),
        removal_flags=sum(1 for m in members if m.removal is not None),
        member_levels=tuple(m.level for m in rated),
    )
    title = rules.bon_tot
    return BranchYear(
        record=record,
        meetings=judged,
        months_missed=[f"{year}-{m:02}" for m in range(1, 13) if f"{year}-{m:02}" not in regular],
        bon_tot=bon_tot(record, title) if title is not None and year >= title.since.value else None,
        metrics=_metrics(record),
    )


def _metrics(record: BranchRecord) -> dict[str, float]:
    """The figures a branch card shows; an empty denominator shows nothing, not 100%."""
    found: dict[str, float] = {
        "regular_meetings_held": float(record.regular_meeting_months),
        "members_disciplined": float(record.members_disciplined),
        "removal_flags": float(record.removal_flags),
    }
    for name, part, whole in (
        ("coverage", record.members_assigned, record.eligible_members),
        ("report_compliance", record.reports_submitted, record.reports_expected),
        ("quality_meeting_ratio", record.meetings_of_quality, record.meetings_judged),
    ):
        if whole:
            found[name] = round(part / whole, 4)
    levels = [x for x in record.member_levels if x is not None]
    if levels and len(levels) == len(record.member_levels):
        good = sum(1 for x in levels if x in ("excellent", "good"))
        found["members_good_ratio"] = round(good / len(levels), 4)
    return found

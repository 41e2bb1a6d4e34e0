"""What a command loads from the facts, refusing in both languages what is not there: a
unit's path and kind, a member's branch at the year's end, and the cohort whose book counts a
branch's member decisions. Whether the caller may act there is the boundary's to say
(`permissions.py`), before any of this runs."""

from __future__ import annotations

from datetime import date
from typing import Any

from chibo_kernel.errors import RuleViolation

from ..domain.rule_set import RuleSet

MEMBER_CELLS = ("branch", "grassroots_cell")  # the cells a branch's members are rated in

UNIT_SQL = """
SELECT path, kind,
       NOT EXISTS (SELECT 1 FROM units b WHERE b.parent_id = u.unit_id AND b.active) AS leaf
  FROM units u WHERE unit_id = $1
"""

BRANCH_OF_SQL = """
SELECT p.branch_id, u.path FROM member_periods p JOIN units u ON u.unit_id = p.branch_id
 WHERE p.member_id = $1 AND p.from_date <= $2 AND (p.to_date IS NULL OR p.to_date >= $2)
"""

# The nearest grassroots organisation on the path (the unit itself included).
GRASSROOTS_SQL = """
SELECT unit_id, path FROM units WHERE unit_id = ANY ($1::text[]) AND kind = 'grassroots'
 ORDER BY cardinality(path) DESC LIMIT 1
"""


async def unit(conn: Any, unit_id: str) -> tuple[list[str], str]:
    """The unit's path and its kind as rated (a grassroots organisation without branches is
    a chi bộ cơ sở, "grassroots_cell")."""
    row = await conn.fetchrow(UNIT_SQL, unit_id)
    if row is None:
        raise unknown_unit(unit_id)
    kind = "grassroots_cell" if row["kind"] == "grassroots" and row["leaf"] else row["kind"]
    return list(row["path"]), str(kind)


async def member_branch(conn: Any, member_id: str, year: int) -> tuple[str, list[str]]:
    row = await conn.fetchrow(BRANCH_OF_SQL, member_id, date(year, 12, 31))
    if row is None:
        raise unknown_member(member_id, year)
    return str(row["branch_id"]), list(row["path"])


async def member_cohort(
    conn: Any, path: list[str], rules: RuleSet, year: int
) -> tuple[str, list[str]]:
    """The unit whose book counts the quota for members of the branch at `path`: the one
    the competent level set for the year, else the rule set's default (the grassroots
    organisation, or the branch itself)."""
    chosen = await conn.fetchval(
        "SELECT cohort_id FROM cohorts WHERE unit_id = $1 AND year = $2", path[-1], year
    )
    if chosen is not None and chosen in path:  # a unit moved since keeps the default
        return str(chosen), path[: path.index(chosen) + 1]
    if rules.quota.cohort.value == "branch":
        return path[-1], path
    row = await conn.fetchrow(GRASSROOTS_SQL, path)
    return (path[-1], path) if row is None else (str(row["unit_id"]), list(row["path"]))


def unknown_member(member_id: str, year: int) -> RuleViolation:
    return RuleViolation(
        "member_unknown",
        f"no member {member_id} in a branch at the end of {year} (members come from "
        "the assignment service's events)",
        f"không có đảng viên {member_id} sinh hoạt tại chi bộ vào cuối năm {year}",
    )


def unknown_unit(unit_id: str) -> RuleViolation:
    return RuleViolation(
        "unit_unknown",
        f"no unit {unit_id} is known to the rating service",
        f"dịch vụ đánh giá không biết đơn vị {unit_id}",
    )

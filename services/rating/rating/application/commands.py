"""People's inputs and decisions, checked against the facts and saved in one append.

Order is enforced here, where the facts are: a branch is decided only after all of its
rated members are, an organisation only after all of its units are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from chibo_kernel.auth import Permission, require
from chibo_kernel.contracts.rating import Level, Measure, SubjectKind
from chibo_kernel.domain import Repository, Saved
from chibo_kernel.errors import RuleViolation
from chibo_kernel.pool import LeanPool

from ..domain.cohort import CohortBook, Decision, book_id
from ..domain.rules import RuleBook
from .assessments import assess_subtree
from .evidence_query import facts
from .read_models import ReadModels

BRANCH_OF_SQL = """
SELECT p.branch_id, u.path FROM member_periods p JOIN units u ON u.unit_id = p.branch_id
 WHERE p.member_id = $1 AND p.from_date <= $2 AND (p.to_date IS NULL OR p.to_date >= $2)
"""


class RatingCommands:
    def __init__(
        self,
        repository: Repository,
        pool: Callable[[], LeanPool],
        read_models: ReadModels,
        rules: RuleBook,
    ) -> None:
        self.repo = repository
        self._pool = pool
        self._read_models = read_models
        self.rules = rules

    async def record_discipline(
        self, member_id: str, year: int, *, measure: Measure, decided_on: date, reason: str
    ) -> Saved:
        book, path = await self._member_book(member_id, year, Permission.DECIDE)
        book.record_discipline(member_id, measure=measure, decided_on=decided_on, reason=reason)
        return await self.repo.save([(book, path)])

    async def submit_self_assessment(self, member_id: str, year: int, **fields: Any) -> Saved:
        book, path = await self._member_book(member_id, year, Permission.SELF_ASSESS)
        book.submit_self_assessment(member_id, **fields)
        return await self.repo.save([(book, path)])

    async def record_appraisal(
        self, member_id: str, year: int, *, level: Level, note: str
    ) -> Saved:
        book, path = await self._member_book(member_id, year, Permission.APPRAISE)
        book.record_appraisal(member_id, level=level, note=note)
        return await self.repo.save([(book, path)])

    async def decide(
        self,
        unit_id: str,
        year: int,
        decisions: Sequence[Decision],
        *,
        decided_by: str,
        decided_on: date,
    ) -> Saved:
        """A branch decides its members; a higher unit decides the units directly under it."""
        rules = self.rules.for_year(year)
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            path, kind = await _unit(conn, unit_id)
            self.repo.authorize(Permission.DECIDE, path)
            members, units = await assess_subtree(conn, unit_id, year, rules)
            outstanding = bool(
                await conn.fetchval(
                    "SELECT level = 'excellent' FROM decisions WHERE subject = 'unit' "
                    "AND subject_id = $1 AND year = $2",
                    unit_id,
                    year - 1,
                )
            )
        subject: SubjectKind = "member" if kind == "branch" else "unit"
        if subject == "member":
            rated = {m.evidence.member_id: m for m in members if m.proposal is not None}
            proposals = {k: m.proposal for k, m in rated.items() if m.proposal is not None}
        else:
            below = {u.unit_id: u for u in units.values() if u.path[:-1] == path}
            _require_members_first(decisions, below, members, units)
            proposals = {k: u.proposal for k, u in below.items()}
        book = await self.repo.load(CohortBook, book_id(unit_id, year))
        book.decide(
            subject,
            decisions,
            cohort=set(proposals),
            proposals=proposals,
            rules=rules,
            outstanding=outstanding,
            decided_by=decided_by,
            decided_on=decided_on,
        )
        return await self.repo.save([(book, path)])

    async def cancel(
        self,
        unit_id: str,
        year: int,
        subject_id: str,
        *,
        by_unit_id: str,
        reason: str,
        cancelled_by: str,
        cancelled_on: date,
    ) -> Saved:
        """A level above the cohort cancels one of its decisions so it is rated again."""
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            path, kind = await _unit(conn, unit_id)
            by_row = await conn.fetchrow("SELECT path FROM units WHERE unit_id = $1", by_unit_id)
        # Decide at the cohort's unit (the route asked already) and at the cancelling unit:
        # one cancels only in the name of a level one holds; an unknown one is refused
        # like one outside the subtree, unless the principal is province-wide.
        self.repo.authorize(Permission.DECIDE, path)
        if by_row is None:
            require(Permission.DECIDE, None)
            raise _unknown_unit(by_unit_id)
        self.repo.authorize(Permission.DECIDE, list(by_row["path"]))
        if by_unit_id == unit_id or by_unit_id not in path:
            raise RuleViolation(
                "not_a_higher_level",
                f"{by_unit_id} is not above {unit_id}: only a higher level cancels",
                f"{by_unit_id} không phải cấp trên của {unit_id}: chỉ cấp trên được hủy kết quả",
            )
        book = await self.repo.load(CohortBook, book_id(unit_id, year))
        subject: SubjectKind = "member" if kind == "branch" else "unit"
        book.cancel(
            subject,
            subject_id,
            by_unit_id=by_unit_id,
            reason=reason,
            cancelled_by=cancelled_by,
            cancelled_on=cancelled_on,
        )
        return await self.repo.save([(book, path)])

    async def _member_book(
        self, member_id: str, year: int, permission: Permission
    ) -> tuple[CohortBook, list[str]]:
        """The book of the branch the member belongs to at the year's end, once the
        principal in force holds `permission` there (the member role: for itself only)."""
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            row = await conn.fetchrow(BRANCH_OF_SQL, member_id, date(year, 12, 31))
        if row is None:
            raise RuleViolation(
                "member_unknown",
                f"no member {member_id} in a branch at the end of {year} (members come from "
                "the assignment service's events)",
                f"không có đảng viên {member_id} sinh hoạt tại chi bộ vào cuối năm {year}",
            )
        path = list(row["path"])
        self.repo.authorize(permission, path, member_id=member_id)
        return await self.repo.load(CohortBook, book_id(row["branch_id"], year)), path


async def _unit(conn: Any, unit_id: str) -> tuple[list[str], str]:
    row = await conn.fetchrow("SELECT path, kind FROM units WHERE unit_id = $1", unit_id)
    if row is None:
        raise _unknown_unit(unit_id)
    return list(row["path"]), str(row["kind"])


def _unknown_unit(unit_id: str) -> RuleViolation:
    return RuleViolation(
        "unit_unknown",
        f"no unit {unit_id} is known to the rating service",
        f"dịch vụ đánh giá không biết đơn vị {unit_id}",
    )


def _require_members_first(
    decisions: Sequence[Decision],
    below: dict[str, Any],
    members: Sequence[Any],
    units: dict[str, Any],
) -> None:
    """Members and sub-units are decided before the unit that contains them."""
    undecided: dict[str, int] = {}
    for m in members:
        if m.proposal is not None and not m.evidence.decided:
            undecided[m.evidence.branch_id] = undecided.get(m.evidence.branch_id, 0) + 1
    for u in units.values():
        if not u.decided and len(u.path) > 1:
            undecided[u.path[-2]] = undecided.get(u.path[-2], 0) + 1
    waiting = [
        f"{d.subject_id} ({undecided[d.subject_id]})"
        for d in decisions
        if d.subject_id in below and undecided.get(d.subject_id)
    ]
    if waiting:
        listed = ", ".join(waiting)
        raise RuleViolation(
            "members_first",
            f"decide every member and sub-unit first; still undecided under: {listed}",
            f"phải xếp loại hết đảng viên và đơn vị trực thuộc trước; còn chưa xếp loại: {listed}",
        )

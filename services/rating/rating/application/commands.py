"""Decisions about levels, cancellations, collectives' appraisals and cohort allowances,
checked against the facts and saved in one append.

Order is enforced here, where the facts are (`decision_order.py`): a branch is decided
only after all of its rated members are, an organisation only after all of its units are.
A branch's member decisions are counted in the book of the cohort the year's rules name (by
default the grassroots organisation), so the quota holds across its branches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from chibo_kernel.auth import Permission, require
from chibo_kernel.contracts.rating import Level, SubjectKind
from chibo_kernel.domain import Repository, Saved
from chibo_kernel.errors import RuleViolation
from chibo_kernel.pool import LeanPool

from ..domain.cohort import CohortBook, book_id
from ..domain.decisions import Decision, Proposed, RuleSetName
from ..domain.rule_book import RuleBook
from .assessments import assess_subtree
from .decision_order import require_members_first
from .evidence_query import facts
from .places import member_cohort, unit, unknown_unit
from .read_models import ReadModels

MEMBER_CELLS = ("branch", "grassroots_cell")


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
            path, kind = await unit(conn, unit_id)
            self.repo.authorize(Permission.DECIDE, path)
            members, units = await assess_subtree(conn, unit_id, year, self.rules)
            cohort_id, _ = await member_cohort(conn, path, rules, year)
        subject: SubjectKind = "member" if kind in MEMBER_CELLS else "unit"
        proposals: dict[str, Proposed]
        if subject == "member":
            mine = [m for m in members if m.rated and m.evidence.branch_id == unit_id]
            proposals = {m.evidence.member_id: Proposed(m.proposal.level, m.reasons) for m in mine}
        else:
            cohort_id = unit_id
            below = {u.unit_id: u for u in units.values() if u.path[:-1] == path}
            require_members_first(decisions, below, members, units)
            proposals = {
                k: Proposed(u.proposal.level, u.proposal.texts)
                for k, u in below.items()
                if u.proposal is not None
            }
        book = await self.repo.load(CohortBook, book_id(cohort_id, year))
        book.decide(
            subject,
            decisions,
            cohort=set(proposals),
            proposals=proposals,
            quota=rules.quota,
            rule_set=RuleSetName(rules.id, rules.title),
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
        rules = self.rules.for_year(year)
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            path, kind = await unit(conn, unit_id)
            by_row = await conn.fetchrow("SELECT path FROM units WHERE unit_id = $1", by_unit_id)
            cohort_id, _ = await member_cohort(conn, path, rules, year)
        # Decide at the cohort's unit (the route asked already) and at the cancelling unit:
        # one cancels only in the name of a level one holds; an unknown one is refused
        # like one outside the subtree, unless the principal is province-wide.
        self.repo.authorize(Permission.DECIDE, path)
        if by_row is None:
            require(Permission.DECIDE, None)
            raise unknown_unit(by_unit_id)
        self.repo.authorize(Permission.DECIDE, list(by_row["path"]))
        if by_unit_id == unit_id or by_unit_id not in path:
            raise RuleViolation(
                "not_a_higher_level",
                f"{by_unit_id} is not above {unit_id}: only a higher level cancels",
                f"{by_unit_id} không phải cấp trên của {unit_id}: chỉ cấp trên được hủy kết quả",
            )
        subject: SubjectKind = "member" if kind in MEMBER_CELLS else "unit"
        book = await self.repo.load(
            CohortBook, book_id(cohort_id if subject == "member" else unit_id, year)
        )
        book.cancel(
            subject,
            subject_id,
            by_unit_id=by_unit_id,
            reason=reason,
            cancelled_by=cancelled_by,
            cancelled_on=cancelled_on,
        )
        return await self.repo.save([(book, path)])

    async def appraise_unit(
        self,
        unit_id: str,
        year: int,
        *,
        points: float | None,
        level: Level,
        targets_total: int,
        targets_done: int,
        targets_exceeded: int,
        disciplined: bool,
        appraised_by: str,
        note: str,
    ) -> Saved:
        """The level above appraises a branch, chi bộ cơ sở or grassroots organisation."""
        rules = self.rules.for_year(year)
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            path, kind = await unit(conn, unit_id)
        self.repo.authorize(Permission.DECIDE, path)
        if kind not in (*MEMBER_CELLS, "grassroots"):
            raise RuleViolation(
                "not_rated_here",
                f"{unit_id} is a {kind}: rated by the level above the province's system",
                f"{unit_id} không thuộc diện đánh giá trong hệ thống này",
            )
        scoring = rules.collective.scoring
        if (points is None) != (scoring is None):
            needs = "points out of 100" if scoring else "no points (criteria in words)"
            raise RuleViolation(
                "points_by_rule_set",
                f"{rules.title} rates collectives with {needs}",
                f"{rules.title}: "
                + ("cần chấm điểm trên thang 100" if scoring else "không chấm điểm"),
            )
        book = await self.repo.load(CohortBook, book_id(unit_id, year))
        book.appraise_unit(
            points=points,
            level=level,
            targets_total=targets_total,
            targets_done=targets_done,
            targets_exceeded=targets_exceeded,
            disciplined=disciplined,
            appraised_by=appraised_by,
            note=note,
        )
        return await self.repo.save([(book, path)])

    async def set_cohort(
        self, unit_id: str, year: int, *, cohort_id: str, decided_by: str, decided_on: date
    ) -> Saved:
        """The competent level (the cohort's unit) sets where a unit's members are counted;
        not once any of them is decided, or the counts would move under a decision."""
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            path, kind = await unit(conn, unit_id)
            decided = await conn.fetchval(
                "SELECT count(*) FROM decisions d JOIN member_periods p "
                "ON p.member_id = d.subject_id AND p.branch_id = $1 "
                "WHERE d.subject = 'member' AND d.year = $2",
                unit_id,
                year,
            )
        self.repo.authorize(Permission.DECIDE, path)
        if cohort_id in path:
            self.repo.authorize(Permission.DECIDE, path[: path.index(cohort_id) + 1])
        if kind not in MEMBER_CELLS:
            raise RuleViolation(
                "not_a_branch",
                f"{unit_id} has no members of its own to count in a cohort",
                f"{unit_id} không có đảng viên trực tiếp để tính vào nhóm đánh giá",
            )
        if decided:
            raise RuleViolation(
                "cohort_in_use",
                f"{decided} members of {unit_id} are already decided for {year}: cancel their "
                "decisions before moving them to another cohort",
                f"đã có {decided} đảng viên của {unit_id} được quyết định xếp loại năm {year}: "
                "hủy các quyết định đó trước khi đổi nhóm đánh giá",
            )
        book = await self.repo.load(CohortBook, book_id(unit_id, year))
        book.set_cohort(cohort_id, path=path, decided_by=decided_by, decided_on=decided_on)
        return await self.repo.save([(book, path)])

    async def grant_allowance(
        self, unit_id: str, year: int, *, granted_by: str, granted_on: date, reason: str
    ) -> Saved:
        """The competent level, above the cohort, grants it the outstanding unit's share."""
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            path, _ = await unit(conn, unit_id)
        self.repo.authorize(Permission.DECIDE, path)
        if len(path) > 1:
            self.repo.authorize(Permission.DECIDE, path[:-1])
        book = await self.repo.load(CohortBook, book_id(unit_id, year))
        book.grant_allowance(granted_by=granted_by, granted_on=granted_on, reason=reason)
        return await self.repo.save([(book, path)])

"""People's inputs about a member's year: the self-assessment and the committee's appraisal
(in the branch's rating book), and the personal-data inputs the rules weigh (discipline,
conclusions, leave), in the member's private rating file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from chibo_kernel.auth import Permission
from chibo_kernel.contracts.rating import CommentSource, ConclusionKind, LeaveKind, Level, Measure
from chibo_kernel.domain import Repository, Saved
from chibo_kernel.pool import LeanPool

from ..domain.cohort import CohortBook, book_id
from ..domain.member_file import MemberFile, file_id
from ..domain.rule_set import Charter
from .evidence_query import facts, member_evidence
from .places import member_branch
from .read_models import ReadModels


class MemberInputs:
    def __init__(
        self,
        repository: Repository,
        pool: Callable[[], LeanPool],
        read_models: ReadModels,
        charter: Charter,
    ) -> None:
        self.repo = repository
        self._pool = pool
        self._read_models = read_models
        self._charter = charter

    async def submit_self_assessment(self, member_id: str, year: int, **fields: Any) -> Saved:
        branch_id, path = await self._place(member_id, year, Permission.SELF_ASSESS)
        book = await self.repo.load(CohortBook, book_id(branch_id, year))
        book.submit_self_assessment(member_id, **fields)
        return await self.repo.save([(book, path)])

    async def record_appraisal(
        self, member_id: str, year: int, *, level: Level, note: str
    ) -> Saved:
        branch_id, path = await self._place(member_id, year, Permission.APPRAISE)
        book = await self.repo.load(CohortBook, book_id(branch_id, year))
        book.record_appraisal(member_id, level=level, note=note)
        return await self.repo.save([(book, path)])

    async def record_discipline(
        self,
        member_id: str,
        year: int,
        *,
        measure: Measure,
        decided_on: date,
        violation_year: int | None,
        in_duties: bool,
        self_reported_and_remedied: bool,
        reason: str,
    ) -> Saved:
        branch_id, path = await self._place(member_id, year, Permission.DECIDE)
        file = await self.repo.load(MemberFile, file_id(member_id, year))
        file.record_discipline(
            branch_id=branch_id,
            measure=measure,
            decided_on=decided_on,
            violation_year=year if violation_year is None else violation_year,
            in_duties=in_duties,
            self_reported_and_remedied=self_reported_and_remedied,
            reason=reason,
        )
        return await self.repo.save([(file, path)])

    async def record_conclusion(
        self,
        member_id: str,
        year: int,
        *,
        kind: ConclusionKind,
        concluded_on: date,
        concluded_by: str,
        reason: str,
    ) -> Saved:
        branch_id, path = await self._place(member_id, year, Permission.DECIDE)
        file = await self.repo.load(MemberFile, file_id(member_id, year))
        file.record_conclusion(
            branch_id=branch_id,
            kind=kind,
            concluded_on=concluded_on,
            concluded_by=concluded_by,
            reason=reason,
        )
        return await self.repo.save([(file, path)])

    async def record_leave(
        self, member_id: str, year: int, *, kind: LeaveKind, from_date: date, to_date: date
    ) -> Saved:
        branch_id, path = await self._place(member_id, year, Permission.APPRAISE)
        file = await self.repo.load(MemberFile, file_id(member_id, year))
        file.record_leave(branch_id=branch_id, kind=kind, from_date=from_date, to_date=to_date)
        return await self.repo.save([(file, path)])

    async def record_comment(
        self,
        member_id: str,
        year: int,
        *,
        source: CommentSource,
        from_unit: str,
        comment: str,
        commented_on: date,
    ) -> Saved:
        branch_id, path = await self._place(member_id, year, Permission.APPRAISE)
        file = await self.repo.load(MemberFile, file_id(member_id, year))
        file.record_comment(
            branch_id=branch_id,
            source=source,
            from_unit=from_unit,
            comment=comment,
            commented_on=commented_on,
        )
        return await self.repo.save([(file, path)])

    async def propose_removal(
        self, member_id: str, year: int, *, proposed_by: str, proposed_on: date
    ) -> Saved:
        """Charter art. 8: the branch proposes removing a member the records flag."""
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            branch_id, path = await member_branch(conn, member_id, year)
            self.repo.authorize(Permission.APPRAISE, path)
            found = await member_evidence(conn, branch_id, year)
        (evidence,) = [e for e in found if e.member_id == member_id]
        file = await self.repo.load(MemberFile, file_id(member_id, year))
        file.propose_removal(
            branch_id=branch_id,
            flagged_months=evidence.unexcused_months,
            needed=self._charter.removal_months.value,
            full_name=evidence.full_name,
            proposed_by=proposed_by,
            proposed_on=proposed_on,
        )
        return await self.repo.save([(file, path)])

    async def decide_removal(
        self,
        member_id: str,
        year: int,
        *,
        removed: bool,
        decided_by: str,
        decided_on: date,
        reason: str,
    ) -> Saved:
        """The competent committee decides on the branch's proposal."""
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            branch_id, path = await member_branch(conn, member_id, year)
            name = await conn.fetchval(
                "SELECT full_name FROM members WHERE member_id = $1", member_id
            )
        self.repo.authorize(Permission.DECIDE, path)
        file = await self.repo.load(MemberFile, file_id(member_id, year))
        file.decide_removal(
            branch_id=branch_id,
            full_name=str(name),
            removed=removed,
            decided_by=decided_by,
            decided_on=decided_on,
            reason=reason,
        )
        return await self.repo.save([(file, path)])

    async def _place(
        self, member_id: str, year: int, permission: Permission
    ) -> tuple[str, list[str]]:
        """The branch the member belongs to at the year's end, once the principal in force
        holds `permission` there (the member role: for itself only)."""
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            branch_id, path = await member_branch(conn, member_id, year)
        self.repo.authorize(permission, path, member_id=member_id)
        return branch_id, path

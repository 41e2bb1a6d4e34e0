"""The competent level (the cohort's unit) sets where a branch's members are counted; not
once any of them is decided, or the counts would move under a decision."""

from __future__ import annotations

from chibo_kernel.domain import Saved
from chibo_kernel.errors import RuleViolation

from ...domain.cohort import CohortBook, book_id
from ...domain.commands import SetCohort
from ..deps import Deps
from ..loading import MEMBER_CELLS, unit
from ..signer import FactNames, signer

DECIDED_SQL = (
    "SELECT count(*) FROM decisions d JOIN member_periods p "
    "ON p.member_id = d.subject_id AND p.branch_id = $1 "
    "WHERE d.subject = 'member' AND d.year = $2"
)


async def handle(command: SetCohort, deps: Deps) -> Saved:
    unit_id, year = command.unit_id, command.year
    async with deps.facts() as conn:
        path, kind = await unit(conn, unit_id)
        decided = await conn.fetchval(DECIDED_SQL, unit_id, year)
        decided_by = await signer(FactNames(conn))
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
    book = await deps.repo.load(CohortBook, book_id(unit_id, year))
    book.set_cohort(
        command.cohort_id, path=path, decided_by=decided_by, decided_on=command.decided_on
    )
    return await deps.repo.save([(book, path)])

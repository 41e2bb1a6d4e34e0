"""A level above the cohort cancels one of its decisions, which is then rated again. The
cancelling unit must be known and above the unit (the boundary has checked that the caller
decides at both)."""

from __future__ import annotations

from chibo_contracts.rating import SubjectKind
from chibo_kernel.domain import Saved
from chibo_kernel.errors import RuleViolation

from ...domain.commands import CancelDecision
from ..books import load_book, save_book
from ..deps import Deps
from ..loading import MEMBER_CELLS, member_cohort, unit, unknown_unit
from ..signer import FactNames, signer


async def handle(command: CancelDecision, deps: Deps) -> Saved:
    unit_id, year, by_unit_id = command.unit_id, command.year, command.by_unit_id
    rules = deps.rules.for_year(year)
    async with deps.facts() as conn:
        path, kind = await unit(conn, unit_id)
        by_path = await conn.fetchval("SELECT path FROM units WHERE unit_id = $1", by_unit_id)
        cohort_id, _ = await member_cohort(conn, path, rules, year)
        cancelled_by = await signer(FactNames(conn))
    if by_path is None:  # only a province-wide principal gets this far
        raise unknown_unit(by_unit_id)
    if by_unit_id == unit_id or by_unit_id not in path:
        raise RuleViolation(
            "not_a_higher_level",
            f"{by_unit_id} is not above {unit_id}: only a higher level cancels",
            f"{by_unit_id} không phải cấp trên của {unit_id}: chỉ cấp trên được hủy kết quả",
        )
    subject: SubjectKind = "member" if kind in MEMBER_CELLS else "unit"
    book = await load_book(deps.repo, cohort_id if subject == "member" else unit_id, year)
    book.cancel(
        subject,
        command.subject_id,
        by_unit_id=by_unit_id,
        reason=command.reason,
        cancelled_by=cancelled_by,
        cancelled_on=command.cancelled_on,
    )
    return await save_book(deps.repo, book, path)

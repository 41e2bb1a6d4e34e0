"""A disciplinary measure and what the rules weigh in it, in the member's private file."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import RecordDiscipline
from ...domain.member_file import MemberFile, file_id
from ..whereabouts import PlacedDeps


async def handle(command: RecordDiscipline, deps: PlacedDeps) -> Saved:
    year = command.year
    branch_id, path = await deps.where.member_branch(command.member_id, year)
    file = await deps.repo.load(MemberFile, file_id(command.member_id, year))
    file.record_discipline(
        branch_id=branch_id,
        measure=command.measure,
        decided_on=command.decided_on,
        violation_year=year if command.violation_year is None else command.violation_year,
        in_duties=command.in_duties,
        self_reported_and_remedied=command.self_reported_and_remedied,
        reason=command.reason,
    )
    return await deps.repo.save([(file, path)])

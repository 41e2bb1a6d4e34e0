"""The competent level, above the cohort, grants it the outstanding unit's share."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.cohort import CohortBook, book_id
from ...domain.commands import GrantAllowance
from ..signer import signer
from ..whereabouts import PlacedDeps


async def handle(command: GrantAllowance, deps: PlacedDeps) -> Saved:
    path, _ = await deps.where.unit(command.unit_id)
    book = await deps.repo.load(CohortBook, book_id(command.unit_id, command.year))
    granted_by = await signer(deps.where)
    book.grant_allowance(
        granted_by=granted_by, granted_on=command.granted_on, reason=command.reason
    )
    return await deps.repo.save([(book, path)])

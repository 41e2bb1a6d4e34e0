"""The competent committee decides on the branch's proposal to remove a member."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import DecideRemoval
from ...domain.member_file import MemberFile, file_id
from ..deps import Deps
from ..loading import member_branch
from ..signer import FactNames, signer


async def handle(command: DecideRemoval, deps: Deps) -> Saved:
    member_id, year = command.member_id, command.year
    async with deps.facts() as conn:
        branch_id, path = await member_branch(conn, member_id, year)
        name = await conn.fetchval("SELECT full_name FROM members WHERE member_id = $1", member_id)
        decided_by = await signer(FactNames(conn))
    file = await deps.repo.load(MemberFile, file_id(member_id, year))
    file.decide_removal(
        branch_id=branch_id,
        full_name=str(name),
        removed=command.removed,
        decided_by=decided_by,
        decided_on=command.decided_on,
        reason=command.reason,
    )
    return await deps.repo.save([(file, path)])

"""Charter art. 8: the branch proposes removing a member the records flag."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import ProposeRemoval
from ...domain.member_file import MemberFile, file_id
from ..deps import Deps
from ..loading import member_branch
from ..queries.evidence import member_evidence
from ..signer import FactNames, signer


async def handle(command: ProposeRemoval, deps: Deps) -> Saved:
    member_id, year = command.member_id, command.year
    async with deps.facts() as conn:
        branch_id, path = await member_branch(conn, member_id, year)
        found = await member_evidence(conn, branch_id, year)
        proposed_by = await signer(FactNames(conn))
    (evidence,) = [e for e in found if e.member_id == member_id]
    file = await deps.repo.load(MemberFile, file_id(member_id, year))
    file.propose_removal(
        branch_id=branch_id,
        flagged_months=evidence.unexcused_months,
        needed=deps.rules.charter.removal_months.value,
        full_name=evidence.full_name,
        proposed_by=proposed_by,
        proposed_on=command.proposed_on,
    )
    return await deps.repo.save([(file, path)])

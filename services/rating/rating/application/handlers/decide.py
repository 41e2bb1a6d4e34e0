"""A branch decides its members; a higher unit decides the units directly under it, only
once all their members and sub-units are (`decision_order.py`). A branch's member decisions
are counted in the book of the cohort the year's rules name (by default the grassroots
organisation), so the quota holds across its branches."""

from __future__ import annotations

from chibo_contracts.rating import SubjectKind
from chibo_kernel.domain import Saved

from ...domain.commands import Decide
from ...domain.decisions import Proposed, RuleSetName
from ..books import load_book, save_book
from ..decision_order import require_members_first
from ..deps import Deps
from ..loading import MEMBER_CELLS, member_cohort, unit
from ..queries.assessments import assess_subtree
from ..signer import FactNames, signer


async def handle(command: Decide, deps: Deps) -> Saved:
    unit_id, year = command.unit_id, command.year
    rules = deps.rules.for_year(year)
    async with deps.facts() as conn:
        path, kind = await unit(conn, unit_id)
        members, units = await assess_subtree(conn, unit_id, year, deps.rules)
        cohort_id, _ = await member_cohort(conn, path, rules, year)
        decided_by = await signer(FactNames(conn))
    subject: SubjectKind = "member" if kind in MEMBER_CELLS else "unit"
    proposals: dict[str, Proposed]
    if subject == "member":
        mine = [m for m in members if m.rated and m.evidence.branch_id == unit_id]
        proposals = {m.evidence.member_id: Proposed(m.proposal.level, m.reasons) for m in mine}
    else:
        cohort_id = unit_id
        below = {u.unit_id: u for u in units.values() if u.path[:-1] == path}
        require_members_first(command.decisions, below, members, units)
        proposals = {
            k: Proposed(u.proposal.level, u.proposal.texts)
            for k, u in below.items()
            if u.proposal is not None
        }
    book = await load_book(deps.repo, cohort_id, year)
    book.decide(
        subject,
        command.decisions,
        cohort=set(proposals),
        proposals=proposals,
        quota=rules.quota,
        rule_set=RuleSetName(rules.id, rules.title),
        decided_by=decided_by,
        decided_on=command.decided_on,
    )
    return await save_book(deps.repo, book, path)

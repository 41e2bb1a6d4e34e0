"""The service's queries, one module each (the query and its handler), and the reads they
share: a year's evidence from the facts (`evidence.py`, `people_inputs.py`), its judgement by
the year's rules (`assessments.py`, `branch_year.py`), and the prepared ratings the
province-wide reads aggregate (`derivation.py`, `prepared.py`). `bind` gives the boundary
each handler with what it reads from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from ..deps import Deps
from . import (
    art8_flags,
    branch_cards,
    following,
    meeting_verdict,
    member_list,
    member_scorecard,
    proposals,
    read_model_status,
    rollup,
    rule_set,
    titles,
)
from .art8_flags import Art8Flags
from .branch_cards import BranchCards
from .following import FollowingVisits
from .meeting_verdict import MeetingVerdict
from .member_list import UnitMemberScorecardPages, UnitMemberScorecards
from .member_scorecard import MemberScorecard
from .proposals import UnitProposals
from .read_model_status import ReadModelStatus
from .rollup import UnitRollup
from .rule_set import RuleSetOfYear
from .titles import UnitTitles

QUERIES: dict[type, Callable[..., Awaitable[Any]]] = {
    MemberScorecard: member_scorecard.handle,
    UnitMemberScorecards: member_list.handle,
    UnitMemberScorecardPages: member_list.handle_pages,
    BranchCards: branch_cards.handle,
    UnitRollup: rollup.handle,
    Art8Flags: art8_flags.handle,
    RuleSetOfYear: rule_set.handle,
    MeetingVerdict: meeting_verdict.handle,
    UnitProposals: proposals.handle,
    FollowingVisits: following.handle,
    UnitTitles: titles.handle,
    ReadModelStatus: read_model_status.handle,
}


def bind(deps: Deps) -> dict[type, Callable[[Any], Awaitable[Any]]]:
    return {kind: partial(handle, deps=deps) for kind, handle in QUERIES.items()}


__all__ = [
    "QUERIES",
    "Art8Flags",
    "BranchCards",
    "FollowingVisits",
    "MeetingVerdict",
    "MemberScorecard",
    "ReadModelStatus",
    "RuleSetOfYear",
    "UnitMemberScorecardPages",
    "UnitMemberScorecards",
    "UnitProposals",
    "UnitRollup",
    "UnitTitles",
    "bind",
]

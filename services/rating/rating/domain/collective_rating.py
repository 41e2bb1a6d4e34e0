"""A collective's proposed level: a branch, a chi bộ cơ sở or a grassroots organisation,
rated after everything it contains. As for members, a condition the records cannot show is
named as missing and never counted as met. The conditions of each level are checked in
`collective_checks.py`, what forces the lowest level whatever else holds in
`collective_forced.py`."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_contracts.rating import Level

from .cited import Reason
from .collective_checks import check_level
from .collective_forced import forced_reasons
from .collective_year import CollectiveYear
from .member_rating import LADDER
from .rule_set import CollectiveRules


@dataclass(frozen=True, slots=True)
class CollectiveProposal:
    unit_id: str
    level: Level | None
    score: float | None
    reasons: tuple[Reason, ...]
    missing: tuple[Reason, ...] = ()

    @property
    def texts(self) -> list[str]:
        return [r.text() for r in (*self.reasons, *self.missing)]


def rate_collective(unit: CollectiveYear, rules: CollectiveRules) -> CollectiveProposal:
    forced = forced_reasons(unit, rules.forced)
    if forced:
        return CollectiveProposal(unit.unit_id, "not_completed", unit.score, tuple(forced))
    bars = {"excellent": rules.excellent, "good": rules.good, "completed": rules.completed}
    checks = {level: check_level(level, bars[level], unit) for level in LADDER}
    missing = list({r.code: r for lv in LADDER for r in checks[lv].unknown}.values())
    for level in LADDER:
        if checks[level].holds:
            above = [r for lv in LADDER[: LADDER.index(level)] for r in checks[lv].unmet]
            met = (*checks[level].met, *above)
            return CollectiveProposal(unit.unit_id, level, unit.score, met, tuple(missing))
    lowest = checks["completed"]
    if lowest.unknown:
        return CollectiveProposal(unit.unit_id, None, unit.score, (), tuple(missing))
    return CollectiveProposal(
        unit.unit_id, "not_completed", unit.score, tuple(lowest.unmet), tuple(missing)
    )

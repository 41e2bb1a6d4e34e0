"""The order of decisions: a unit is decided only once every member and sub-unit it contains
is, so its own level is decided on theirs. Checked by the decision command, where the assessed
subtree is at hand; the cohort book itself sees only its own decisions."""

from __future__ import annotations

from collections.abc import Sequence

from chibo_kernel.errors import RuleViolation

from ..domain.decisions import Decision
from .queries.assessments import MemberAssessment, UnitAssessment


def require_members_first(
    decisions: Sequence[Decision],
    below: dict[str, UnitAssessment],
    members: Sequence[MemberAssessment],
    units: dict[str, UnitAssessment],
) -> None:
    """Members and sub-units are decided before the unit that contains them."""
    undecided: dict[str, int] = {}
    for m in members:
        if m.rated and not m.evidence.decided:
            undecided[m.evidence.branch_id] = undecided.get(m.evidence.branch_id, 0) + 1
    for u in units.values():
        if u.proposal is not None and not u.decided and len(u.path) > 1:
            undecided[u.path[-2]] = undecided.get(u.path[-2], 0) + 1
    waiting = [
        f"{d.subject_id} ({undecided[d.subject_id]})"
        for d in decisions
        if d.subject_id in below and undecided.get(d.subject_id)
    ]
    if waiting:
        listed = ", ".join(waiting)
        raise RuleViolation(
            "members_first",
            f"decide every member and sub-unit first; still undecided under: {listed}",
            f"phải xếp loại hết đảng viên và đơn vị trực thuộc trước; còn chưa xếp loại: {listed}",
        )

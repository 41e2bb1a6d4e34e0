"""A member's proposed level for a year, from the evidence and the year's rules.

The order is the texts': first who is not rated at all, then what forces "không hoàn thành
nhiệm vụ" whatever else holds, then the levels from the best down. A level is proposed only
when every condition it asks is shown by the records; a condition the records cannot show is
named as missing and never counted as met, so a member with no plan on record, or no
self-assessment where points are needed, gets no level rather than a good one."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_contracts.rating import Level

from .cited import Reason
from .member_checks import LEVEL_VI, LevelCheck, check_level
from .member_comments import comment_reasons
from .member_forced import forced_reasons, lenient_notes
from .member_standing import not_rated_reasons
from .member_year import MemberYear
from .rule_set import LevelBar, MemberRules

LADDER: tuple[Level, ...] = ("excellent", "good", "completed")
GOOD_OR_BETTER: frozenset[Level] = frozenset({"excellent", "good"})


@dataclass(frozen=True, slots=True)
class MemberProposal:
    member_id: str
    rated: bool
    level: Level | None  # None: not rated, or the records do not show enough to propose
    score: float | None
    reasons: tuple[Reason, ...]
    missing: tuple[Reason, ...] = ()

    @property
    def texts(self) -> list[str]:
        return [r.text() for r in (*self.reasons, *self.missing)]


def rate_member(member: MemberYear, rules: MemberRules) -> MemberProposal:
    excluded = not_rated_reasons(member, rules.not_rated)
    if excluded:
        return MemberProposal(member.member_id, False, None, None, tuple(excluded))
    score = _score(member, rules)
    forced = forced_reasons(member, rules.forced)
    checks = {level: check_level(level, _bar(rules, level), member, score) for level in LADDER}
    missing = _missing(checks)
    if forced:
        return MemberProposal(member.member_id, True, "not_completed", score, tuple(forced))
    said, due = comment_reasons(member, rules.not_rated)
    if due:
        return MemberProposal(member.member_id, True, None, score, tuple(said), (*due, *missing))
    cap, leave = _leave(member, rules)
    leave = [*lenient_notes(member, rules.forced), *said, *leave]
    for level in LADDER:
        check = checks[level]
        if cap is not None and LADDER.index(level) < LADDER.index(cap):
            continue
        if check.holds:
            above = [r for lv in LADDER[: LADDER.index(level)] for r in checks[lv].unmet]
            return MemberProposal(
                member.member_id, True, level, score, (*leave, *check.met, *above), tuple(missing)
            )
    lowest = checks["completed"]
    if lowest.unknown:
        return MemberProposal(member.member_id, True, None, score, tuple(leave), tuple(missing))
    return MemberProposal(
        member.member_id,
        True,
        "not_completed",
        score,
        (*leave, *lowest.unmet),
        tuple(missing),
    )


def _score(member: MemberYear, rules: MemberRules) -> float | None:
    if rules.scoring is None or member.self_assessment is None:
        return None
    own = member.self_assessment
    general = min(own.general_points, rules.scoring.general_max.value)
    tasks = min(own.task_points, rules.scoring.tasks_max.value)
    return round(general + tasks, 1)


def _leave(member: MemberYear, rules: MemberRules) -> tuple[Level | None, list[Reason]]:
    """Long sick leave caps the level where the set says so; otherwise, like maternity
    leave, the member is rated on the work done (the months away carry no task)."""
    bound = rules.not_rated.long_sick_leave_months
    cap = rules.not_rated.long_sick_leave_cap
    months = member.sick_leave_months
    reasons = []
    if months >= bound.value:
        if cap is not None:
            reasons.append(
                Reason(
                    "long_sick_leave",
                    f"{months} months of sick leave: at most {cap.value}",
                    f"nghỉ ốm {months} tháng trong năm: "
                    f"không xếp loại cao hơn {LEVEL_VI[cap.value]}",
                    f"{bound.source}; {cap.source}",
                )
            )
            return cap.value, reasons
        reasons.append(_work_done("sick leave", "nghỉ ốm", months, bound.source))
    if member.maternity_leave_months:
        reasons.append(
            _work_done(
                "maternity leave", "nghỉ thai sản", member.maternity_leave_months, bound.source
            )
        )
    return None, reasons


def _work_done(en: str, vi: str, months: int, source: str) -> Reason:
    return Reason(
        "rated_on_work_done",
        f"{months} months of {en}: rated on the work done in the other months",
        f"{vi} {months} tháng: đánh giá theo kết quả thời gian làm việc thực tế",
        source,
    )


def _bar(rules: MemberRules, level: Level) -> LevelBar:
    return {"excellent": rules.excellent, "good": rules.good, "completed": rules.completed}[level]


def _missing(checks: dict[Level, LevelCheck]) -> list[Reason]:
    seen: dict[str, Reason] = {}
    for level in LADDER:
        for reason in checks[level].unknown:
            seen.setdefault(reason.code, reason)
    return list(seen.values())

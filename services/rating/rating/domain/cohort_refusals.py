"""Why a rating book refuses a command before recording it: a decision of a subject outside
the cohort the command may rate, of one decided twice, or one that would break the quota;
tasks or targets that cannot add up; a cancellation or allowance without a reason. Kept
apart so the book's commands read as the events they record; the book still checks them
itself, on its own state, so two commands at once cannot both slip through."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from chibo_contracts.rating import Level
from chibo_kernel.errors import RuleViolation

from .decisions import Decision, RuleSetName
from .quota import check_quota
from .rule_set import Quota


def check_decisions(
    unit_id: str,
    year: int,
    decisions: Sequence[Decision],
    *,
    cohort: Collection[str],
    decided: Mapping[str, Level],
    quota: Quota,
    allowance: bool,
    rule_set: RuleSetName,
) -> None:
    """All or none: every subject of the cohort, none decided twice (in the command or
    before it), and the levels the cohort would hold after it within the quota."""
    ids = [d.subject_id for d in decisions]
    outside = sorted(set(ids) - set(cohort))
    if outside:
        raise _listed(
            "not_in_cohort",
            f"not rated in {unit_id} for {year}",
            f"không thuộc diện đánh giá của {unit_id} năm {year}",
            outside,
        )
    twice = sorted({i for i in ids if ids.count(i) > 1} | (set(ids) & set(decided)))
    if twice:
        raise _listed(
            "already_decided",
            "already decided (a higher level cancels a decision before it is re-rated)",
            "đã có quyết định xếp loại (cấp trên hủy kết quả trước khi đánh giá lại)",
            twice,
        )
    after = {**decided, **{d.subject_id: d.level for d in decisions}}
    check = check_quota(unit_id, after, quota, allowance_granted=allowance)
    if not check.holds:
        reason = check.refusal(year)
        raise RuleViolation(
            "quota_exceeded",
            f"{reason.en} ({rule_set.id}: {reason.source})",
            f"{reason.vi} ({rule_set.title})",
        )


def check_tasks(total: int, on_time: int, exceeded: int) -> None:
    """A member's self-assessment: tasks on time and exceeded are among those given."""
    if not (on_time <= total and exceeded <= total):
        raise RuleViolation(
            "tasks_inconsistent",
            "tasks on time and exceeded cannot be more than the tasks given",
            "số nhiệm vụ đúng hạn, vượt mức không thể nhiều hơn số nhiệm vụ được giao",
        )


def check_targets(total: int, done: int, exceeded: int) -> None:
    """A unit's appraisal: targets done are among those given, exceeded among those done."""
    if not (done <= total and exceeded <= done):
        raise RuleViolation(
            "targets_inconsistent",
            "targets done cannot be more than those given, nor exceeded more than done",
            "số chỉ tiêu hoàn thành không thể nhiều hơn số được giao, số vượt mức không thể "
            "nhiều hơn số hoàn thành",
        )


def given_reason(text: str) -> str:
    if not text.strip():
        raise RuleViolation("reason_required", "a reason is required", "phải ghi rõ lý do")
    return text.strip()


def _listed(code: str, en: str, vi: str, ids: Sequence[str]) -> RuleViolation:
    listed = ", ".join(ids)
    return RuleViolation(code, f"{en}: {listed}", f"{vi}: {listed}")

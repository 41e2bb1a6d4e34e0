"""Whether the records show each condition of a level for a member: met, not met, or not
shown (then named as missing, never counted as met)."""

from __future__ import annotations

from dataclasses import dataclass, field

from chibo_contracts.rating import Level

from .cited import Cited, Reason, percent
from .member_year import MemberYear, TaskRecord
from .rule_set import LevelBar

LEVEL_VI = {
    "excellent": "hoàn thành xuất sắc nhiệm vụ",
    "good": "hoàn thành tốt nhiệm vụ",
    "completed": "hoàn thành nhiệm vụ",
    "not_completed": "không hoàn thành nhiệm vụ",
}


@dataclass
class LevelCheck:
    level: Level
    met: list[Reason] = field(default_factory=list)
    unmet: list[Reason] = field(default_factory=list)
    unknown: list[Reason] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.unmet and not self.unknown


def check_level(level: Level, bar: LevelBar, member: MemberYear, score: float | None) -> LevelCheck:
    check = LevelCheck(level)
    vi = LEVEL_VI[level]
    if bar.min_score is not None:
        _score(check, bar.min_score, score, member.year, vi)
    tasks = member.reports
    for bound, part, what_en, what_vi in (
        (bar.tasks_done, "done", "tasks done", "nhiệm vụ hoàn thành"),
        (bar.tasks_on_time, "on_time", "tasks done on time", "nhiệm vụ hoàn thành đúng hạn"),
    ):
        if bound is not None:
            _task_share(check, bound, tasks, part, what_en, what_vi, member, vi)
    if bar.max_late is not None:
        _late(check, bar.max_late, tasks, member, vi)
    own = member.self_assessment
    if bar.tasks_exceeded is not None:
        if own is None or not own.tasks_total:
            check.unknown.append(_no_self_assessment(member.year, bar.tasks_exceeded.source))
        else:
            ratio = own.tasks_exceeded / own.tasks_total
            _compare(
                check,
                ratio >= bar.tasks_exceeded.value,
                "tasks_exceeded",
                f"{own.tasks_exceeded}/{own.tasks_total} tasks exceeded ({percent(ratio)})",
                f"{own.tasks_exceeded}/{own.tasks_total} nhiệm vụ vượt mức ({percent(ratio)})",
                f"at least {percent(bar.tasks_exceeded.value)}",
                f"ít nhất {percent(bar.tasks_exceeded.value)}",
                vi,
                bar.tasks_exceeded.source,
            )
    if bar.shortcomings_fixed is not None and bar.shortcomings_fixed.value:
        if own is None:
            check.unknown.append(_no_self_assessment(member.year, bar.shortcomings_fixed.source))
        else:
            _compare(
                check,
                own.shortcomings_fixed,
                "shortcomings_fixed",
                "last year's shortcomings " + ("fixed" if own.shortcomings_fixed else "not fixed"),
                "hạn chế, khuyết điểm năm trước "
                + ("đã khắc phục" if own.shortcomings_fixed else "chưa khắc phục"),
                "all fixed",
                "khắc phục hết",
                vi,
                bar.shortcomings_fixed.source,
            )
    if bar.judged_at_least is not None and bar.judged_at_least.value:
        _judged(check, bar.judged_at_least.source, member, vi)
        # Words judge the task results, but only results on record can be judged "good".
        if level != "completed" and (tasks is None or not tasks.done):
            check.unknown.append(_no_plan(member.year, bar.judged_at_least.source))
    return check


def _judged(check: LevelCheck, source: str, member: MemberYear, vi: str) -> None:
    """Criteria judged in words: the committee's appraisal decides, else the member's own."""
    own = member.self_assessment
    judged, by_en, by_vi = (
        (member.appraisal_level, "the committee's appraisal", "chi ủy thẩm định")
        if member.appraisal_level is not None
        else (own.level if own else None, "the member's self-assessment", "đảng viên tự đánh giá")
    )
    if judged is None:
        check.unknown.append(_no_self_assessment(member.year, source))
        return
    order = ("excellent", "good", "completed", "not_completed")
    _compare(
        check,
        order.index(judged) <= order.index(check.level),
        "criteria_judged",
        f"{by_en} judges the criteria {judged}",
        f"{by_vi} các tiêu chí ở mức {LEVEL_VI[judged]}",
        "criteria judged at that level",
        "các tiêu chí được đánh giá ở mức đó",
        vi,
        source,
    )


def _score(check: LevelCheck, bound: Cited[float], score: float | None, year: int, vi: str) -> None:
    if score is None:
        check.unknown.append(_no_self_assessment(year, bound.source))
        return
    _compare(
        check,
        score >= bound.value,
        "score",
        f"{score:g} points",
        f"{score:g} điểm",
        f"at least {bound.value:g}",
        f"từ {bound.value:g} điểm",
        vi,
        bound.source,
    )


def _task_share(
    check: LevelCheck,
    bound: Cited[float],
    tasks: TaskRecord | None,
    part: str,
    what_en: str,
    what_vi: str,
    member: MemberYear,
    vi: str,
) -> None:
    if tasks is None or not tasks.expected:
        check.unknown.append(_no_plan(member.year, bound.source))
        return
    count = tasks.done if part == "done" else tasks.on_time
    ratio = count / tasks.expected
    since = _last_report(member, tasks)
    _compare(
        check,
        ratio >= bound.value,
        f"tasks_{part}",
        f"{count}/{tasks.expected} {what_en} ({percent(ratio)}){since[0]}",
        f"{count}/{tasks.expected} {what_vi} ({percent(ratio)}){since[1]}",
        f"at least {percent(bound.value)}",
        f"ít nhất {percent(bound.value)}",
        vi,
        bound.source,
    )


def _late(
    check: LevelCheck, bound: Cited[float], tasks: TaskRecord | None, member: MemberYear, vi: str
) -> None:
    if tasks is None or not tasks.expected:
        check.unknown.append(_no_plan(member.year, bound.source))
        return
    ratio = tasks.late / tasks.expected
    _compare(
        check,
        ratio <= bound.value,
        "tasks_late",
        f"{tasks.late}/{tasks.expected} tasks late ({percent(ratio)})",
        f"{tasks.late}/{tasks.expected} nhiệm vụ chậm ({percent(ratio)})",
        f"at most {percent(bound.value)}",
        f"không quá {percent(bound.value)}",
        vi,
        bound.source,
    )


def _compare(
    check: LevelCheck,
    ok: bool,
    code: str,
    found_en: str,
    found_vi: str,
    need_en: str,
    need_vi: str,
    level_vi: str,
    source: str,
) -> None:
    level_en = check.level
    if ok:
        check.met.append(
            Reason(
                code,
                f"{found_en}: {need_en} for {level_en}",
                f"{found_vi}: đạt mức {level_vi} ({need_vi})",
                source,
            )
        )
    else:
        check.unmet.append(
            Reason(
                code,
                f"{found_en}: {level_en} needs {need_en}",
                f"{found_vi}: mức {level_vi} cần {need_vi}",
                source,
            )
        )


def _no_plan(year: int, source: str) -> Reason:
    return Reason(
        "no_plan",
        f"no task on record for {year}: no assignment in a plan of {year}",
        f"chưa có nhiệm vụ nào được ghi nhận năm {year}: chưa được phân công trong kế hoạch "
        f"năm {year}",
        source,
    )


def _no_self_assessment(year: int, source: str) -> Reason:
    return Reason(
        "no_self_assessment",
        f"no self-assessment for {year}",
        f"chưa có bản tự kiểm điểm, tự đánh giá năm {year}",
        source,
    )


def _last_report(member: MemberYear, tasks: TaskRecord) -> tuple[str, str]:
    if not tasks.not_done:
        return "", ""
    last = member.last_report_month
    if last is None:
        return "; no report all year", "; cả năm không có báo cáo"
    if last < 12:
        return f"; no report since month {last}", f"; không báo cáo từ sau tháng {last}"
    return "", ""

"""The clauses a member's proposal is made of, each a small function over the evidence that
returns reasons: who is not rated, what forces "không hoàn thành nhiệm vụ", and whether the
records show each condition of a level (met, not met, or not shown)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from chibo_kernel.contracts.rating import Level

from .cited import Cited, Reason, percent
from .member_year import MemberYear, TaskRecord
from .rule_set import Forced, LevelBar, NotRated

LEVEL_VI = {
    "excellent": "hoàn thành xuất sắc nhiệm vụ",
    "good": "hoàn thành tốt nhiệm vụ",
    "completed": "hoàn thành nhiệm vụ",
    "not_completed": "không hoàn thành nhiệm vụ",
}
MEASURE_VI = {
    "reprimand": "khiển trách",
    "warning": "cảnh cáo",
    "dismissal": "cách chức",
    "expulsion": "khai trừ",
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


def not_rated_reasons(member: MemberYear, rules: NotRated) -> list[Reason]:
    found = []
    if rules.exempt.value and member.exempt:
        found.append(
            Reason(
                "exempt",
                "exempt from work and meetings: not rated",
                "được miễn công tác và sinh hoạt đảng: không đánh giá, xếp loại",
                rules.exempt.source,
            )
        )
    if rules.suspended.value and member.suspended:
        found.append(
            Reason(
                "suspended",
                "suspended: not rated",
                "đang bị đình chỉ sinh hoạt đảng: không đánh giá, xếp loại",
                rules.suspended.source,
            )
        )
    months = rules.admitted_within_months.value
    if months and _months_to_year_end(member.admission_date, member.year) < months:
        found.append(
            Reason(
                "recently_admitted",
                f"admitted on {member.admission_date:%d/%m/%Y}, less than {months} months "
                "before the year's end: not rated",
                f"kết nạp ngày {member.admission_date:%d/%m/%Y}, chưa đủ {months} tháng "
                "tính đến cuối năm: không đánh giá, xếp loại",
                rules.admitted_within_months.source,
            )
        )
    return found


def forced_reasons(member: MemberYear, rules: Forced) -> list[Reason]:
    found = []
    tasks = member.reports
    if tasks is not None and tasks.expected:
        ratio = tasks.done / tasks.expected
        bound = rules.tasks_done_below
        if ratio < bound.value:
            found.append(
                Reason(
                    "tasks_not_done",
                    f"only {tasks.done}/{tasks.expected} tasks done ({percent(ratio)}), "
                    f"under {percent(bound.value)}",
                    f"chỉ hoàn thành {tasks.done}/{tasks.expected} nhiệm vụ ({percent(ratio)}), "
                    f"dưới {percent(bound.value)}",
                    bound.source,
                )
            )
    found += _discipline(member, rules)
    found += _conclusions(member, rules)
    return found


def _discipline(member: MemberYear, rules: Forced) -> list[Reason]:
    found = []
    lightest = rules.discipline_from
    for case in member.disciplines:
        if case.decided_on.year != member.year or not case.at_least(lightest.value):
            continue
        if case.violation_year < member.year and not rules.earlier_years_count_when_decided.value:
            continue
        what = MEASURE_VI[case.measure]
        if rules.discipline_in_duties_only.value and case.in_duties is False:
            continue
        if rules.leniency_self_reported.value and case.self_reported_and_remedied:
            continue  # said by lenient_notes: the competent level weighs it
        earlier = case.violation_year < member.year
        found.append(
            Reason(
                "disciplined",
                f"disciplined ({case.measure}) on {case.decided_on:%d/%m/%Y}"
                + (f" for a violation of {case.violation_year}" if earlier else ""),
                f"bị kỷ luật {what} ngày {case.decided_on:%d/%m/%Y}"
                + (f" do vi phạm năm {case.violation_year}" if earlier else ""),
                _join(
                    lightest.source,
                    rules.earlier_years_count_when_decided.source if earlier else "",
                ),
            )
        )
    return found


def lenient_notes(member: MemberYear, rules: Forced) -> list[Reason]:
    """Discipline that does not force the level because the member owned and remedied the
    violation: named, for the competent level to weigh case by case."""
    if not rules.leniency_self_reported.value:
        return []
    return [
        Reason(
            "self_reported_and_remedied",
            f"disciplined ({case.measure}) on {case.decided_on:%d/%m/%Y}, but the member owned "
            "the violation and remedied it: not forced down; the competent level weighs it",
            f"bị kỷ luật {MEASURE_VI[case.measure]} ngày {case.decided_on:%d/%m/%Y} nhưng đã tự "
            "giác nhận lỗi, khắc phục xong hậu quả: cấp có thẩm quyền xem xét, đánh giá",
            rules.leniency_self_reported.source,
        )
        for case in member.disciplines
        if case.self_reported_and_remedied
        and case.decided_on.year == member.year
        and case.at_least(rules.discipline_from.value)
    ]


def _conclusions(member: MemberYear, rules: Forced) -> list[Reason]:
    texts = {
        "degradation": (
            rules.degradation,
            "concluded to show degradation in political ideology, ethics or lifestyle",
            "có kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống",
        ),
        "forbidden_act": (
            rules.forbidden_acts,
            "concluded to have done what members must not do",
            "có kết luận vi phạm những điều đảng viên không được làm",
        ),
        "example_duty": (
            rules.example_duty,
            "concluded to have failed the duty to set an example",
            "có kết luận vi phạm trách nhiệm nêu gương",
        ),
    }
    found = []
    for conclusion in member.conclusions:
        rule, en, vi = texts[conclusion.kind]
        if rule is not None and rule.value and conclusion.concluded_on.year == member.year:
            when = f"{conclusion.concluded_on:%d/%m/%Y}"
            found.append(Reason(conclusion.kind, f"{en} ({when})", f"{vi} ({when})", rule.source))
    return found


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


def _months_to_year_end(admitted: date, year: int) -> int:
    return (year - admitted.year) * 12 + (12 - admitted.month)


def _join(*sources: str) -> str:
    return "; ".join(s for s in sources if s)

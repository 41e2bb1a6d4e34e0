"""What forces "không hoàn thành nhiệm vụ" whatever else holds (tasks not done, discipline,
a competent body's conclusion), and the discipline that does not because the member owned
and remedied it."""

from __future__ import annotations

from .cited import Reason, percent
from .member_year import MemberYear
from .rule_set import Forced

MEASURE_VI = {
    "reprimand": "khiển trách",
    "warning": "cảnh cáo",
    "dismissal": "cách chức",
    "expulsion": "khai trừ",
}


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


def _join(*sources: str) -> str:
    return "; ".join(s for s in sources if s)

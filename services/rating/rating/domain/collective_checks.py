"""Whether the records show each condition of a level for a collective (score, appraised
criteria, targets, its members' and sub-units' levels, discipline): met, not met, or not
shown (then named as missing, never counted as met), as `member_checks.py` does for
members."""

from __future__ import annotations

from collections.abc import Sequence

from chibo_contracts.rating import Level

from .cited import Cited, Reason, percent
from .collective_year import GOOD_OR_BETTER, CollectiveYear
from .member_checks import LEVEL_VI, LevelCheck
from .rule_set import CollectiveBar


def check_level(level: Level, bar: CollectiveBar, unit: CollectiveYear) -> LevelCheck:
    check = LevelCheck(level)
    if bar.min_score is not None:
        if unit.score is None:
            check.unknown.append(_no_self_assessment(unit, bar.min_score.source))
        else:
            _judge(
                check,
                unit.score >= bar.min_score.value,
                "score",
                f"{unit.score:g} points",
                f"{unit.score:g} điểm",
                f"at least {bar.min_score.value:g}",
                bar.min_score.source,
            )
    if bar.judged_at_least is not None and bar.judged_at_least.value:
        if unit.judged is None:
            check.unknown.append(_no_self_assessment(unit, bar.judged_at_least.source))
        else:
            order = ("excellent", "good", "completed", "not_completed")
            _judge(
                check,
                order.index(unit.judged) <= order.index(level),
                "criteria_judged",
                f"appraised {unit.judged}",
                f"được thẩm định mức {LEVEL_VI[unit.judged]}",
                "criteria at that level",
                bar.judged_at_least.source,
            )
    for bound, part, what_en, what_vi in (
        (bar.tasks_done, "done", "targets met", "chỉ tiêu hoàn thành"),
        (bar.tasks_exceeded, "exceeded", "targets exceeded", "chỉ tiêu vượt mức"),
    ):
        if bound is not None:
            _task_share(check, bound, unit, part, what_en, what_vi)
    _share(
        check,
        bar.members_good_share,
        unit.member_levels,
        "members_good",
        "members good or better",
        "đảng viên hoàn thành tốt trở lên",
    )
    _share(
        check,
        bar.sub_units_good_share,
        unit.sub_unit_levels,
        "sub_units_good",
        "units under it good or better",
        "tổ chức trực thuộc hoàn thành tốt trở lên",
    )
    for limit, count, code, en, vi in (
        (
            bar.sub_units_not_completed_max,
            sum(1 for x in unit.sub_unit_levels if x == "not_completed"),
            "sub_units_not_completed",
            "units under it not completed",
            "tổ chức trực thuộc không hoàn thành nhiệm vụ",
        ),
        (
            bar.leaders_disciplined_max,
            unit.leaders_disciplined,
            "leaders_disciplined",
            "committee members disciplined",
            "cấp ủy viên bị kỷ luật",
        ),
        (
            bar.sub_units_disciplined_max,
            unit.sub_units_disciplined,
            "sub_units_disciplined",
            "units under it disciplined",
            "tổ chức trực thuộc bị kỷ luật",
        ),
    ):
        if limit is not None:
            _judge(
                check,
                count <= limit.value,
                code,
                f"{count} {en}",
                f"{count} {vi}",
                f"at most {limit.value}",
                limit.source,
            )
    return check


def _share(
    check: LevelCheck,
    bound: Cited[float] | None,
    levels: Sequence[Level | None],
    code: str,
    en: str,
    vi: str,
) -> None:
    if bound is None:
        return
    if not levels or any(x is None for x in levels):
        undecided = sum(1 for x in levels if x is None)
        check.unknown.append(
            Reason(
                f"{code}_unknown",
                f"{undecided} of {len(levels)} not yet rated: {en} cannot be counted",
                f"{undecided}/{len(levels)} chưa được xếp loại: chưa tính được {vi}",
                bound.source,
            )
        )
        return
    good = sum(1 for x in levels if x in GOOD_OR_BETTER)
    ratio = good / len(levels)
    _judge(
        check,
        ratio >= bound.value,
        code,
        f"{good}/{len(levels)} {en} ({percent(ratio)})",
        f"{good}/{len(levels)} {vi} ({percent(ratio)})",
        f"at least {percent(bound.value)}",
        bound.source,
    )


def _task_share(
    check: LevelCheck, bound: Cited[float], unit: CollectiveYear, part: str, en: str, vi: str
) -> None:
    tasks = unit.tasks
    count = None if tasks is None else (tasks.done if part == "done" else tasks.exceeded)
    if tasks is None or not tasks.expected or count is None:
        check.unknown.append(
            Reason(
                "no_targets",
                f"no targets of {unit.year} on record for {unit.name}",
                f"chưa có chỉ tiêu, nhiệm vụ năm {unit.year} của {unit.name}",
                bound.source,
            )
        )
        return
    ratio = count / tasks.expected
    _judge(
        check,
        ratio >= bound.value,
        f"targets_{part}",
        f"{count}/{tasks.expected} {en} ({percent(ratio)})",
        f"{count}/{tasks.expected} {vi} ({percent(ratio)})",
        f"at least {percent(bound.value)}",
        bound.source,
    )


def _judge(
    check: LevelCheck, ok: bool, code: str, found_en: str, found_vi: str, need: str, source: str
) -> None:
    vi = LEVEL_VI[check.level]
    if ok:
        check.met.append(Reason(code, f"{found_en} ({need})", f"{found_vi}: đạt mức {vi}", source))
    else:
        check.unmet.append(
            Reason(
                code,
                f"{found_en}: {check.level} needs {need}",
                f"{found_vi}: chưa đạt mức {vi}",
                source,
            )
        )


def _no_self_assessment(unit: CollectiveYear, source: str) -> Reason:
    return Reason(
        "no_collective_assessment",
        f"no self-assessment or appraisal of {unit.name} for {unit.year}",
        f"chưa có bản tự đánh giá, thẩm định của {unit.name} năm {unit.year}",
        source,
    )

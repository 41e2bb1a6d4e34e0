"""One meeting judged by the year's meeting-quality rules (`branch_record.judge_meeting`),
each check said in Vietnamese and English with the threshold it applied and the article
it comes from, so a secretary sees what to fix as the sheet is filled."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_kernel.errors import RuleViolation

from .branch_record import MeetingFacts, judge_meeting
from .cited import percent
from .rule_set import MeetingQuality


@dataclass(frozen=True, slots=True)
class CheckVerdict:
    check: str
    passed: bool
    label_vi: str
    label_en: str
    source: str  # the rule's citation, as its rule-set file gives it


@dataclass(frozen=True, slots=True)
class Verdict:
    of_quality: bool
    checks: tuple[CheckVerdict, ...]


def require_consistent(year: int, month: str, expected: int, present: int, unexcused: int) -> None:
    """Counts that cannot come from one sheet are refused rather than judged."""
    if not month.startswith(f"{year}-"):
        raise RuleViolation(
            "month_outside_year",
            f"the month {month} is not in {year}, the year whose rules are asked",
            f"tháng {month[5:]}/{month[:4]} không thuộc năm {year} của bộ quy định được hỏi",
        )
    if present + unexcused > expected:
        raise RuleViolation(
            "counts_exceed_expected",
            f"{present} present and {unexcused} absent without reason are more than the "
            f"{expected} members expected",
            f"{present} đảng viên có mặt và {unexcused} đảng viên vắng không lý do nhiều hơn "
            f"{expected} đảng viên phải dự họp",
        )


def judged(meeting: MeetingFacts, rules: MeetingQuality) -> Verdict:
    checks = judge_meeting(meeting, rules)
    labelled = _labels(meeting, rules)
    return Verdict(
        of_quality=all(checks.values()),
        checks=tuple(
            CheckVerdict(name, passed, *labelled[name]) for name, passed in checks.items()
        ),
    )


def _labels(meeting: MeetingFacts, rules: MeetingQuality) -> dict[str, tuple[str, str, str]]:
    """(label_vi, label_en, source) of each check, with the threshold the rules set."""
    unexcused = rules.max_unexcused.value
    in_a_row = rules.max_absent_in_a_row.value
    optional_vi, optional_en = " (không bắt buộc)", " (not required)"
    return {
        "attendance": (
            f"Đảng viên dự sinh hoạt đạt tỷ lệ trên {percent(rules.attendance_above.value)}",
            f"Attendance above {percent(rules.attendance_above.value)} of the members expected",
            rules.attendance_above.source,
        ),
        "no_unexcused": (
            "Không có đảng viên vắng mặt không có lý do"
            if unexcused == 0
            else f"Không quá {unexcused} đảng viên vắng mặt không có lý do",
            "No member absent without a reason"
            if unexcused == 0
            else f"At most {unexcused} members absent without a reason",
            rules.max_unexcused.source,
        ),
        "nobody_absent_in_a_row": (
            f"Không có đảng viên vắng mặt quá {in_a_row} lần liên tiếp",
            f"No member absent more than {in_a_row} times in a row",
            rules.max_absent_in_a_row.source,
        ),
        "duration": _duration(meeting, rules),
        "minutes": (
            "Sổ biên bản sinh hoạt chi bộ ghi chép đầy đủ"
            + ("" if rules.minutes_required.value else optional_vi),
            "Minutes recorded in full" + ("" if rules.minutes_required.value else optional_en),
            rules.minutes_required.source,
        ),
        "prepared": (
            "Chi ủy họp chuẩn bị trước khi sinh hoạt chi bộ"
            + ("" if rules.prepared_required.value else optional_vi),
            "Prepared at a committee meeting beforehand"
            + ("" if rules.prepared_required.value else optional_en),
            rules.prepared_required.source,
        ),
    }


def _duration(meeting: MeetingFacts, rules: MeetingQuality) -> tuple[str, str, str]:
    combined = meeting.kind == "combined"
    minimum = rules.min_minutes_with_thematic if combined else rules.min_minutes
    starts = rules.minutes_from
    if minimum is not None and starts is not None and meeting.month < starts.value:
        return (
            "Thời lượng: chưa áp dụng mức tối thiểu cho kỳ sinh hoạt này",
            "Duration: no minimum applies to a meeting of this month yet",
            starts.source,
        )
    if minimum is None:
        return (
            "Thời lượng: bộ quy định của năm không đặt mức tối thiểu",
            "Duration: the year's rules set no minimum",
            "",
        )
    return (
        f"Thời lượng sinh hoạt tối thiểu {minimum.value} phút"
        + (" (thường kỳ kết hợp chuyên đề trong cùng một buổi)" if combined else ""),
        f"Lasted at least {minimum.value} minutes"
        + (" (a regular and a thematic meeting in one sitting)" if combined else ""),
        minimum.source,
    )

"""Monthly reports (báo cáo hằng tháng).

Every member holding households reports once a month on them; at the monthly meeting the
branch reviews each report (good, fair, weak). A report is late after the grace days of the
next month: local practice, a policy constant until provinces set their own. The problems a
report raises (vấn đề nảy sinh) are followed up in `problems.py`. What a report and its
review say goes to `ReportTexts`, beside the public stream (`private_texts.py`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .errors import RefusedMember, refuse
from .events import (
    EnteredBy,
    Evaluation,
    ReportReviewed,
    ReportReviewedV2,
    ReportSituationRecorded,
    ReportSubmitted,
    ReportSubmittedV2,
    ReviewCommentRecorded,
)
from .plan import Plan
from .private_texts import ReportTexts

REPORT_GRACE_DAYS = 5  # due by the 5th of the following month
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_TEXT = 4000


def month_start(month: str) -> date:
    match = MONTH.match(month)
    if match is None:
        raise refuse(
            "invalid_month",
            f"month {month!r} must be YYYY-MM",
            f"tháng {month!r} phải có dạng YYYY-MM",
        )
    return date(int(match.group(1)), int(match.group(2)), 1)


def due_date(month: str) -> date:
    start = month_start(month)
    next_month = (start + timedelta(days=32)).replace(day=1)
    return next_month + timedelta(days=REPORT_GRACE_DAYS - 1)


HOUSEHOLDS = "households"


_KINDS = {
    "group": ("household group", "nhóm hộ"),
    "route": ("route", "tuyến đường"),
    "task": ("task", "nhiệm vụ"),
}


def describe(assignment: str) -> tuple[str, str]:
    """An assignment as people say it, in English and Vietnamese."""
    if assignment == HOUSEHOLDS:
        return "any households", "hộ nào"
    kind, _, target = assignment.partition(":")
    en, vi = _KINDS.get(kind, (kind, kind))
    return f"{en} {target}", f"{vi} {target}"


def reported_on(assignment: str) -> tuple[str, str]:
    """What a report is about, as refusals say it, in English and Vietnamese."""
    if assignment == HOUSEHOLDS:
        return "their households", "các hộ được phân công"
    return describe(assignment)


def held_assignments(plan: Plan, member_id: str) -> list[str]:
    """What a member reports on each month: their households, and each duty they hold."""
    held = [HOUSEHOLDS] if plan.households_of(member_id) else []
    return held + plan.duties_of(member_id)


def _month_vi(month: str) -> str:
    """A month as Vietnamese text writes it: mm/yyyy."""
    return f"{month[5:]}/{month[:4]}"


def reports_id(branch_id: str, month: str) -> str:
    month_start(month)
    return f"{branch_id}-{month.replace('-', '')}"


def written_text(value: str, what_en: str, what_vi: str) -> str:
    """Free text as typed at the meeting, whitespace collapsed; problems share the bound."""
    text = " ".join(value.split())
    if not text or len(text) > MAX_TEXT:
        raise refuse(
            "invalid_text",
            f"{what_en} needs 1-{MAX_TEXT} characters",
            f"{what_vi} cần từ 1 đến {MAX_TEXT} ký tự",
        )
    return text


class MonthlyReports(Aggregate):
    """One branch's reports for one month: a whole month goes in as one command."""

    category = "reports"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.submitted: dict[tuple[str, str], bool] = {}  # (member, assignment) -> late
        self.reviewed: dict[tuple[str, str], str] = {}  # (member, assignment) -> evaluation

    def submit(
        self,
        *,
        branch_id: str,
        month: str,
        member_id: str,
        assignment: str,
        situation: str,
        submitted_on: date,
        entered_by: EnteredBy,
        plan: Plan | None,
        today: date,
        texts: ReportTexts,
    ) -> None:
        if plan is None or assignment not in held_assignments(plan, member_id):
            en, vi = describe(assignment)
            raise RefusedMember(
                "not_assigned",
                member_id,
                f"member {{name}} does not hold {en} in {month[:4]}: nothing to report on",
                f"đảng viên {{name}} không phụ trách {vi} năm {month[:4]}: không có báo cáo",
            )
        if (member_id, assignment) in self.submitted:
            en, vi = reported_on(assignment)
            raise RefusedMember(
                "report_exists",
                member_id,
                f"member {{name}} has already reported on {en} for {month}",
                f"đảng viên {{name}} đã báo cáo về {vi} tháng {_month_vi(month)}",
            )
        if submitted_on < month_start(month) or submitted_on > today:
            raise refuse(
                "invalid_report_date",
                f"a report for {month} is dated from the month's start up to today",
                f"báo cáo tháng {_month_vi(month)} phải đề ngày từ đầu tháng đến hôm nay",
            )
        situation = written_text(situation, "the situation", "tình hình")
        about = {"branch_id": branch_id, "month": month, "member_id": member_id}
        self._emit(
            ReportSubmittedV2(
                **about,
                assignment=assignment,
                submitted_on=submitted_on,
                entered_by=entered_by,
                late=submitted_on > due_date(month),
            )
        )
        texts.record(ReportSituationRecorded(**about, assignment=assignment, situation=situation))

    def review(
        self,
        *,
        member_id: str,
        assignment: str,
        evaluation: Evaluation,
        comment: str,
        reviewed_on: date,
        texts: ReportTexts,
    ) -> None:
        en, vi = reported_on(assignment)
        if (member_id, assignment) not in self.submitted:
            raise RefusedMember(
                "report_missing",
                member_id,
                f"member {{name}} has no report on {en} to review",
                f"đảng viên {{name}} chưa có báo cáo về {vi} để nhận xét",
            )
        if (member_id, assignment) in self.reviewed:
            raise RefusedMember(
                "report_reviewed",
                member_id,
                "member {name}'s report is already reviewed",
                "báo cáo của đảng viên {name} đã được nhận xét",
            )
        comment = written_text(comment, "the comment", "nhận xét")
        branch_id, month = self._branch_and_month()
        about = {"branch_id": branch_id, "month": month, "member_id": member_id}
        self._emit(
            ReportReviewedV2(
                **about, assignment=assignment, evaluation=evaluation, reviewed_on=reviewed_on
            )
        )
        texts.record(ReviewCommentRecorded(**about, assignment=assignment, comment=comment))

    def _branch_and_month(self) -> tuple[str, str]:
        branch_id, _, stamp = self.id.rpartition("-")
        return branch_id, f"{stamp[:4]}-{stamp[4:]}"

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case ReportSubmitted() | ReportSubmittedV2():
                self.submitted[(event.member_id, event.assignment)] = event.late
            case ReportReviewed() | ReportReviewedV2():
                self.reviewed[(event.member_id, event.assignment)] = event.evaluation

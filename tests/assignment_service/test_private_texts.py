"""Sensitive texts stay beside the public streams: version 2 of a public event says what
happened, a private event appended with it says why or what was written, and the aggregates
rebuild the same state from either version."""

from __future__ import annotations

from datetime import date
from functools import partial

from assignment.domain.area import BranchArea
from assignment.domain.events import (
    EscalationNoteRecorded,
    ExemptionReasonRecorded,
    LeavingReasonRecorded,
    MemberExempted,
    MemberExemptedV2,
    MemberLeft,
    MemberLeftV2,
    MemberRegistered,
    MemberSuspended,
    MemberSuspendedV2,
    ProblemEscalatedV2,
    ProblemRaised,
    ProblemResolutionRecorded,
    ProblemResolvedV2,
    ReportReviewedV2,
    ReportSituationRecorded,
    ReportSubmittedV2,
    ReviewCommentRecorded,
    SuspensionReasonRecorded,
)
from assignment.domain.member import Member
from assignment.domain.org import OrgUnit
from assignment.domain.plan import Plan, plan_id
from assignment.domain.private_texts import (
    HouseholdLabels,
    ProblemTexts,
    ReportTexts,
    StandingReasons,
)
from assignment.domain.problems import Problem
from assignment.domain.reports import MonthlyReports, reports_id
from chibo_kernel import DomainEvent
from chibo_kernel.privacy import Category, classified_fields

REGISTERED = MemberRegistered(
    member_id="m7",
    full_name="Đảng viên m7",
    branch_id="VL-TT",
    admission_date=date(2010, 5, 19),
    status="full",
)
ILLNESS = "điều trị ung thư dài ngày"


def publishes_no_text(events: list[DomainEvent]) -> bool:
    return all(
        type(e).published and Category.SENSITIVE not in classified_fields(type(e)).values()
        for e in events
    )


def test_an_exemption_publishes_its_dates_and_keeps_its_reason_beside() -> None:
    member, reasons = Member.from_history("m7", [REGISTERED]), StandingReasons("m7")

    member.exempt(from_date=date(2024, 1, 1), to_date=None, reason=f" {ILLNESS} ", reasons=reasons)

    assert member.pending == [
        MemberExemptedV2(
            member_id="m7", branch_id="VL-TT", from_date=date(2024, 1, 1), to_date=None
        )
    ]
    assert publishes_no_text(member.pending)
    assert reasons.pending == [
        ExemptionReasonRecorded(member_id="m7", from_date=date(2024, 1, 1), reason=ILLNESS)
    ]
    assert reasons.stream_id == "member_standing_private-m7"
    assert not type(reasons.pending[0]).published


def test_a_suspension_and_a_departure_keep_their_reasons_beside_too() -> None:
    member, reasons = Member.from_history("m7", [REGISTERED]), StandingReasons("m7")

    member.suspend(from_date=date(2024, 9, 1), to_date=None, reason="kỷ luật", reasons=reasons)
    member.leave(date(2024, 12, 1), "xin ra khỏi Đảng", reasons)

    assert [type(e) for e in member.pending] == [MemberSuspendedV2, MemberLeftV2]
    assert publishes_no_text(member.pending)
    assert reasons.pending == [
        SuspensionReasonRecorded(member_id="m7", from_date=date(2024, 9, 1), reason="kỷ luật"),
        LeavingReasonRecorded(member_id="m7", on=date(2024, 12, 1), reason="xin ra khỏi Đảng"),
    ]


def test_a_repeated_exemption_records_nothing_whichever_version_told_the_first() -> None:
    told_in_v1 = MemberExempted(
        member_id="m7", branch_id="VL-TT", from_date=date(2024, 1, 1), to_date=None, reason=ILLNESS
    )
    told_in_v2 = MemberExemptedV2(
        member_id="m7", branch_id="VL-TT", from_date=date(2024, 1, 1), to_date=None
    )
    beside = ExemptionReasonRecorded(member_id="m7", from_date=date(2024, 1, 1), reason=ILLNESS)
    for history, reasons in [
        ([REGISTERED, told_in_v1], StandingReasons("m7")),
        ([REGISTERED, told_in_v2], StandingReasons.from_history("m7", [beside])),
    ]:
        member = Member.from_history("m7", history)
        again = partial(member.exempt, from_date=date(2024, 1, 1), to_date=None, reasons=reasons)
        assert not again(reason=ILLNESS)
        assert (member.pending, reasons.pending) == ([], [])
        assert again(reason="tuổi cao")  # a new reason is a new fact
        assert len(reasons.pending) == 1


def test_a_member_rebuilt_from_either_version_has_the_same_standing() -> None:
    period = {"member_id": "m7", "branch_id": "VL-TT", "to_date": None}
    first = [
        MemberExempted(**period, from_date=date(2024, 1, 1), reason=ILLNESS),
        MemberSuspended(**period, from_date=date(2024, 9, 1), reason="kỷ luật"),
        MemberLeft(member_id="m7", branch_id="VL-TT", on=date(2024, 12, 1), reason="từ trần"),
    ]
    second = [
        MemberExemptedV2(**period, from_date=date(2024, 1, 1)),
        MemberSuspendedV2(**period, from_date=date(2024, 9, 1)),
        MemberLeftV2(member_id="m7", branch_id="VL-TT", on=date(2024, 12, 1)),
    ]

    def standing(m: Member) -> tuple[object, ...]:
        return (m.exempt_from, m.exempt_to, m.suspended_from, m.suspended_to, m.left_on)

    v1, v2 = (Member.from_history("m7", [REGISTERED, *events]) for events in (first, second))
    assert (
        standing(v1)
        == standing(v2)
        == (
            date(2024, 1, 1),
            None,
            date(2024, 9, 1),
            None,
            date(2024, 12, 1),
        )
    )


def test_a_month_of_reports_and_reviews_publishes_no_text() -> None:
    area = BranchArea("VL-TT")
    for i in range(1, 6):
        area.register_household(f"h{i}", f"Hộ số {i}", HouseholdLabels(area.id))
    plan = Plan(plan_id("VL-TT", 2024))
    plan.draft(branch_id="VL-TT", year=2024)
    plan.assign("m7", [f"h{i}" for i in range(1, 6)], area=area)
    reports = MonthlyReports(reports_id("VL-TT", "2024-03"))
    texts = ReportTexts(reports.id)

    reports.submit(
        branch_id="VL-TT",
        month="2024-03",
        member_id="m7",
        assignment="households",
        situation="Hộ h3 có người ốm nặng",
        submitted_on=date(2024, 3, 28),
        entered_by="member",
        plan=plan,
        today=date(2024, 4, 1),
        texts=texts,
    )
    reports.review(
        member_id="m7",
        assignment="households",
        evaluation="good",
        comment="Nắm chắc tình hình",
        reviewed_on=date(2024, 4, 5),
        texts=texts,
    )

    assert [type(e) for e in reports.pending] == [ReportSubmittedV2, ReportReviewedV2]
    assert publishes_no_text(reports.pending)
    about = {"branch_id": "VL-TT", "month": "2024-03", "member_id": "m7"}
    assert texts.pending == [
        ReportSituationRecorded(
            **about, assignment="households", situation="Hộ h3 có người ốm nặng"
        ),
        ReviewCommentRecorded(**about, assignment="households", comment="Nắm chắc tình hình"),
    ]
    assert texts.stream_id == "reports_private-VL-TT-202403"


def test_a_problem_raised_in_version_1_is_followed_up_in_version_2_under_its_member() -> None:
    raised = ProblemRaised(
        problem_id="p1",
        branch_id="VL-TT",
        member_id="m3",
        month="2024-03",
        description="tranh chấp đất",
        raised_on=date(2024, 3, 28),
    )
    problem, texts = Problem.from_history("p1", [raised]), ProblemTexts("p1")
    province = OrgUnit("LC")
    province.create(kind="province", name="Lào Cai", parent=None, valid_from=date(2020, 1, 1))

    branch = OrgUnit("VL-TT")
    branch.path = ["LC", "VL-TT"]  # as the loader resolves it

    problem.escalate(province, branch=branch, on=date(2024, 4, 6), note="đề nghị", texts=texts)
    problem.resolve(on=date(2024, 4, 8), resolution="hòa giải thành", texts=texts)

    assert [type(e) for e in problem.pending] == [ProblemEscalatedV2, ProblemResolvedV2]
    assert publishes_no_text(problem.pending)
    assert texts.pending == [
        EscalationNoteRecorded(problem_id="p1", member_id="m3", note="đề nghị"),
        ProblemResolutionRecorded(problem_id="p1", member_id="m3", resolution="hòa giải thành"),
    ]
    assert texts.stream_id == "problem_private-p1"

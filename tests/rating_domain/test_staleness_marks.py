"""Which (unit, year) an event marks for the ratings to be derived again: the branches it
names and its members' years, each year it concerns and no other."""

from __future__ import annotations

from datetime import date

from chibo_contracts import assignment as a
from chibo_contracts import attendance as t
from rating.adapters.touched import Touched

THIS_YEAR = date.today().year


def touched(*events: object) -> Touched:
    found = Touched(first_year=2018)
    for event in events:
        found.add(event)
    return found


def report(branch: str, month: str) -> a.ReportSubmitted:
    return a.ReportSubmitted(
        branch_id=branch,
        month=month,
        member_id="M1",
        assignment="households",
        situation="ổn định",
        submitted_on=date.fromisoformat(f"{month}-25"),
        entered_by="secretary",
        late=False,
    )


def test_a_report_marks_its_branch_and_member_in_its_month_s_year() -> None:
    found = touched(report("B1", "2024-03"))
    assert found.cells == {("B1", 2024): True}
    assert found.members == {("M1", 2024): True}


def test_a_sheet_marks_its_branch_and_every_member_on_it_in_the_meeting_s_year() -> None:
    sheet = t.AttendanceRecorded(
        meeting_id="MT1",
        branch_id="B1",
        kind="regular",
        held_on=date(2021, 5, 10),
        marks=[
            t.AttendanceMark(member_id="M1", status="present"),
            t.AttendanceMark(member_id="M2", status="absent_unexcused"),
        ],
    )
    found = touched(sheet)
    assert found.cells == {("B1", 2021): True}
    assert found.members == {("M1", 2021): True, ("M2", 2021): True}


def test_a_transfer_marks_both_branches_in_every_prepared_year_from_the_transfer_on() -> None:
    moved = a.MemberTransferred(
        member_id="M1", from_branch_id="B1", to_branch_id="B2", on=date(2023, 10, 1)
    )
    found = touched(moved)
    years = range(2023, THIS_YEAR + 2)
    # Not sure: only the years already prepared are marked; a first read prepares the rest.
    assert found.cells == {(b, y): False for b in ("B1", "B2") for y in years}
    assert found.members == {("M1", y): False for y in years}


def test_a_year_an_event_dates_itself_stays_sure_beside_a_period_s() -> None:
    moved = a.MemberTransferred(
        member_id="M1", from_branch_id="B1", to_branch_id="B2", on=date(2024, 10, 1)
    )
    found = touched(moved, report("B2", "2024-11"))
    assert found.cells[("B2", 2024)] is True
    assert found.cells[("B1", 2024)] is False


def test_a_closed_period_marks_only_its_years_and_none_before_the_first_rule_set() -> None:
    exempt = a.MemberExempted(
        member_id="M1",
        branch_id="B1",
        from_date=date(2015, 2, 1),
        to_date=date(2019, 6, 30),
        reason="tuổi cao",
    )
    assert set(touched(exempt).cells) == {("B1", 2018), ("B1", 2019)}


def test_an_event_naming_a_plan_is_resolved_through_the_plan_s_branch_and_year() -> None:
    adopted = a.PlanAdopted(
        plan_id="PL1", branch_id="B1", resolution_number="05-NQ/CB", adopted_on=date(2025, 1, 9)
    )
    found = touched(adopted)
    assert found.plans == {"PL1"}  # the plans table knows its year; the event does not
    assert found.cells == {}

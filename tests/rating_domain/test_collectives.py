"""Branches, chi bộ cơ sở and grassroots organisations: rated on their own conditions after
what they contain; "chi bộ bốn tốt" a title beside the levels; meetings judged one by one."""

from __future__ import annotations

from rating.domain.bon_tot import bon_tot
from rating.domain.branch_record import BranchRecord, MeetingFacts, judge_meeting
from rating.domain.collective_rating import rate_collective
from rating.domain.collective_year import CollectiveYear
from rating.domain.member_year import TaskRecord
from rating.domain.rule_set import BonTot

from .builders import rules


def unit(year: int = 2025, **changes: object) -> CollectiveYear:
    base: dict[str, object] = {
        "unit_id": "VL",
        "name": "Đảng bộ xã Võ Lao",
        "kind": "grassroots",
        "year": year,
        "sub_unit_levels": ("good",) * 10,
    }
    return CollectiveYear(**{**base, **changes})  # type: ignore[arg-type]


def test_without_a_self_assessment_a_2025_collective_gets_no_level_and_says_why() -> None:
    found = rate_collective(unit(), rules(2025).collective)
    assert found.level is None
    assert {r.code for r in found.missing} >= {"no_collective_assessment", "no_targets"}


def test_a_2025_collective_with_92_points_all_targets_and_a_third_exceeded_is_excellent() -> None:
    tasks = TaskRecord(expected=9, done=9, on_time=9, exceeded=3)
    found = rate_collective(unit(score=92, tasks=tasks), rules(2025).collective)
    assert found.level == "excellent"
    disciplined = unit(score=92, tasks=tasks, leaders_disciplined=1)
    assert rate_collective(disciplined, rules(2025).collective).level == "good"


def test_more_than_a_fifth_of_sub_units_disciplined_forces_not_completed_from_2023() -> None:
    three_of_ten = unit(2024, judged="good", sub_units_disciplined=3)
    found = rate_collective(three_of_ten, rules(2024).collective)
    assert found.level == "not_completed"
    assert "3/10" in found.texts[0]
    two_of_ten = unit(2024, judged="good", sub_units_disciplined=2)
    assert rate_collective(two_of_ten, rules(2024).collective).level == "completed"
    assert (
        rate_collective(
            unit(2020, judged="good", sub_units_disciplined=3), rules(2020).collective
        ).level
        == "good"
    )


def test_a_collective_disciplined_itself_is_not_completed() -> None:
    found = rate_collective(
        unit(2021, judged="excellent", disciplined=True), rules(2021).collective
    )
    assert found.level == "not_completed"


def branch(**changes: object) -> BranchRecord:
    base: dict[str, object] = {
        "unit_id": "VL-TT",
        "name": "Chi bộ thị tứ Võ Lao",
        "year": 2025,
        "eligible_members": 37,
        "members_assigned": 37,
        "reports_expected": 444,
        "reports_submitted": 440,
        "regular_meeting_months": 12,
        "meetings_judged": 12,
        "meetings_of_quality": 11,
        "members_disciplined": 0,
        "removal_flags": 0,
        "member_levels": ("good",) * 40 + ("excellent",),
    }
    return BranchRecord(**{**base, **changes})  # type: ignore[arg-type]


def _bon_tot_rules() -> BonTot:
    found = rules(2025).bon_tot
    assert found is not None
    return found


BON_TOT = _bon_tot_rules()


def test_bon_tot_is_held_when_all_four_criteria_hold() -> None:
    found = bon_tot(branch(), BON_TOT)
    assert found.title
    assert found.held() == {"political": True, "meetings": True, "unity": True, "cadres": True}


def test_bon_tot_is_not_held_while_members_are_unrated_or_one_criterion_fails() -> None:
    unrated = bon_tot(branch(member_levels=("good",) * 40 + (None,)), BON_TOT)
    assert not unrated.title
    assert unrated.criteria[3].holds is None
    assert not bon_tot(branch(removal_flags=1), BON_TOT).title
    assert not bon_tot(branch(regular_meeting_months=11), BON_TOT).title
    assert not bon_tot(branch(members_assigned=36), BON_TOT).title


def meeting(**changes: object) -> MeetingFacts:
    base: dict[str, object] = {
        "meeting_id": "m",
        "month": "2025-03",
        "kind": "regular",
        "attendance_rate": 0.9,
        "absent_unexcused": 0,
        "longest_absence_streak": 1,
        "duration_minutes": 95,
        "minutes_recorded": True,
        "prepared_by_committee": True,
    }
    return MeetingFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_a_meeting_of_quality_has_more_than_85_percent_and_no_unexcused_absence() -> None:
    quality = rules(2025).meeting_quality
    assert all(judge_meeting(meeting(), quality).values())
    assert not judge_meeting(meeting(attendance_rate=0.85), quality)["attendance"]
    assert not judge_meeting(meeting(absent_unexcused=1), quality)["no_unexcused"]
    assert not judge_meeting(meeting(longest_absence_streak=4), quality)["nobody_absent_in_a_row"]
    assert judge_meeting(meeting(longest_absence_streak=3), quality)["nobody_absent_in_a_row"]


def test_from_hd_42_a_meeting_lasts_90_minutes_and_120_with_a_thematic_part() -> None:
    quality = rules(2025).meeting_quality
    after = {"month": "2025-11"}  # HD 42-HD/BTCTW was signed on 28/10/2025
    assert not judge_meeting(meeting(duration_minutes=89, **after), quality)["duration"]
    assert judge_meeting(meeting(duration_minutes=90, **after), quality)["duration"]
    combined = {"kind": "combined", **after}
    assert not judge_meeting(meeting(duration_minutes=100, **combined), quality)["duration"]
    assert judge_meeting(meeting(duration_minutes=120, **combined), quality)["duration"]


def test_before_hd_42_no_national_minimum_length_applies() -> None:
    assert judge_meeting(meeting(duration_minutes=45), rules(2025).meeting_quality)["duration"]
    for year in (2020, 2024):
        short = meeting(duration_minutes=45, month=f"{year}-11")
        assert judge_meeting(short, rules(year).meeting_quality)["duration"]

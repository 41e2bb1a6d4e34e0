"""The quota on excellent members within a cohort, and the Charter art. 8 removal flag."""

from __future__ import annotations

import dataclasses

from rating.domain.cited import Cited
from rating.domain.quota import check_quota
from rating.domain.removal import removal_flag

from .builders import book, rules

QUOTA = rules(2025).quota


def levels(excellent: int, good: int, completed: int = 0) -> dict[str, str]:
    found = {f"e{i}": "excellent" for i in range(excellent)}
    found |= {f"g{i}": "good" for i in range(good)}
    return found | {f"c{i}": "completed" for i in range(completed)}


def test_excellent_may_be_at_most_a_fifth_of_good_in_the_cohort() -> None:
    assert check_quota("VL", levels(1, 5), QUOTA, allowance_granted=False).holds  # type: ignore[arg-type]
    refused = check_quota("VL", levels(1, 4, 30), QUOTA, allowance_granted=False)  # type: ignore[arg-type]
    assert (refused.holds, refused.allowed) == (False, 0)
    reason = refused.refusal(2025)
    assert "1 rated excellent would exceed 20% of the 4 rated good (at most 0)" in reason.en
    assert "tối đa 0" in reason.vi
    assert "QĐ 366" in reason.source


def test_a_branch_of_four_good_members_can_have_one_excellent_in_a_larger_cohort() -> None:
    commune = levels(1, 4) | {f"other{i}": "good" for i in range(20)}
    assert check_quota("VL", commune, QUOTA, allowance_granted=False).holds  # type: ignore[arg-type]


def test_the_competent_level_may_grant_a_quarter() -> None:
    four = levels(1, 4)
    assert not check_quota("VL", four, QUOTA, allowance_granted=False).holds  # type: ignore[arg-type]
    assert check_quota("VL", four, QUOTA, allowance_granted=True).holds  # type: ignore[arg-type]


def test_a_province_may_count_the_excellent_in_the_base() -> None:
    counted = dataclasses.replace(QUOTA, excellent_in_base=Cited(True, "Tỉnh ủy Lào Cai"))
    assert check_quota("VL", levels(1, 4), counted, allowance_granted=False).holds  # type: ignore[arg-type]


CHARTER = book().charter


def test_the_third_month_absent_without_reason_raises_the_flag_with_the_months() -> None:
    assert removal_flag("dv", ["2025-02", "2025-05"], [], CHARTER) is None
    flag = removal_flag("dv", ["2025-09", "2025-02", "2025-05"], [], CHARTER)
    assert flag is not None
    assert flag.months == ("2025-02", "2025-05", "2025-09")
    assert "Điều 8 khoản 1" in flag.reason.source
    assert "đề nghị xóa tên" in flag.reason.vi


def test_meetings_and_dues_are_counted_each_on_its_own() -> None:
    assert removal_flag("dv", ["2025-02", "2025-05"], ["2025-07"], CHARTER) is None
    flag = removal_flag("dv", [], ["2025-01", "2025-02", "2025-03"], CHARTER)
    assert flag is not None
    assert flag.dues_months == ("2025-01", "2025-02", "2025-03")

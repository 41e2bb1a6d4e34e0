"""The quota on "hoàn thành xuất sắc nhiệm vụ": at most a share of those rated "hoàn thành
tốt nhiệm vụ" in one cohort, which the competent level defines, and a higher share only where
that level has granted it. Checked on the levels the cohort would hold after a command, so
decisions may come in any order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chibo_contracts.rating import Level

from .cited import Reason, percent
from .rule_set import Quota


@dataclass(frozen=True, slots=True)
class QuotaCheck:
    cohort_id: str
    excellent: int
    good: int
    allowed: int
    share: float
    source: str

    @property
    def holds(self) -> bool:
        return self.excellent <= self.allowed

    def refusal(self, year: int) -> Reason:
        return Reason(
            "quota_exceeded",
            f"cohort {self.cohort_id} {year}: {self.excellent} rated excellent would exceed "
            f"{percent(self.share)} of the {self.good} rated good (at most {self.allowed})",
            f"nhóm đánh giá {self.cohort_id} năm {year}: {self.excellent} hoàn thành xuất sắc "
            f"vượt {percent(self.share)} của {self.good} hoàn thành tốt (tối đa {self.allowed})",
            self.source,
        )


def check_quota(
    cohort_id: str, levels: Mapping[str, Level], rules: Quota, *, allowance_granted: bool
) -> QuotaCheck:
    bound = rules.allowance if allowance_granted else rules.excellent_of_good
    excellent = sum(1 for level in levels.values() if level == "excellent")
    good = sum(1 for level in levels.values() if level == "good")
    base = good + excellent if rules.excellent_in_base.value else good
    # 1e-9: 0.2 × 5 is 1.0000000000000002 in floating point, and means one.
    allowed = int(base * bound.value + 1e-9)
    return QuotaCheck(cohort_id, excellent, good, allowed, bound.value, bound.source)

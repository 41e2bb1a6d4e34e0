"""A province's household range policy (e.g. 5-10, or 2-3 where households are few): dated
data, like visit quotas. A plan drafted without its own range takes the one in force on
1 January of its year."""

from __future__ import annotations

from datetime import date

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .errors import refuse
from .events import HouseholdRangeSet
from .org import OrgUnit


class HouseholdRangePolicy(Aggregate):
    category = "range"  # id = the province id

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.periods: list[tuple[date, tuple[int, int]]] = []

    def set(self, province: OrgUnit, *, low: int, high: int, valid_from: date) -> None:
        if province.kind != "province" or not province.active:
            raise refuse(
                "not_a_province",
                f"{province.called} is not an active province",
                f"{province.called} không phải tỉnh đang hoạt động",
            )
        if not 1 <= low <= high <= 100:
            raise refuse(
                "invalid_range",
                f"household range {low}-{high} must satisfy 1 <= min <= max <= 100",
                f"khoảng số hộ {low}-{high} phải thỏa 1 <= tối thiểu <= tối đa <= 100",
            )
        if self.periods and valid_from <= self.periods[-1][0]:
            raise refuse(
                "policy_out_of_order",
                f"a new range starts after {self.periods[-1][0].isoformat()}",
                f"khoảng mới phải bắt đầu sau ngày {self.periods[-1][0]:%d/%m/%Y}",
            )
        self._emit(
            HouseholdRangeSet(
                province_id=province.id,
                min_households=low,
                max_households=high,
                valid_from=valid_from,
            )
        )

    def on(self, day: date) -> tuple[int, int] | None:
        valid = [household_range for start, household_range in self.periods if start <= day]
        return valid[-1] if valid else None

    def _apply(self, event: DomainEvent) -> None:
        if isinstance(event, HouseholdRangeSet):
            self.periods.append((event.valid_from, (event.min_households, event.max_households)))

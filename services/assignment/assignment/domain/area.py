"""A branch's area of responsibility: the households (hộ) it looks after."""

from __future__ import annotations

import re

from chibo_kernel import DomainEvent

from .aggregate import Aggregate
from .errors import refuse
from .events import HouseholdRegistered
from .names import clean_name

HOUSEHOLD_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class BranchArea(Aggregate):
    category = "area"  # id = the branch id

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.households: dict[str, str] = {}

    def register_household(self, household_id: str, label: str) -> None:
        if not HOUSEHOLD_ID.match(household_id):
            raise refuse(
                "invalid_household_id",
                f"household id {household_id!r} may use only letters, digits, '_' and '-'",
                f"mã hộ {household_id!r} chỉ gồm chữ, số, '_' và '-'",
            )
        if household_id in self.households:
            raise refuse(
                "household_exists",
                f"household {household_id} is already registered",
                f"hộ {household_id} đã được đăng ký",
            )
        self._emit(
            HouseholdRegistered(
                branch_id=self.id, household_id=household_id, label=clean_name(label)
            )
        )

    def _apply(self, event: DomainEvent) -> None:
        if isinstance(event, HouseholdRegistered):
            self.households[event.household_id] = event.label

"""What the generator needs of the year's rule set, read from the rating service
(`GET /v1/rule-sets/{year}`), never copied: the long sick leave that caps a member and the cap,
and the quota on "hoàn thành xuất sắc nhiệm vụ"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .api import Api, GeneratorError

LEVELS = ("excellent", "good", "completed", "not_completed")  # best first, as the API names them
GOOD_OR_BETTER = frozenset({"excellent", "good"})


@dataclass(frozen=True)
class YearRules:
    id: str
    sick_leave_months: int  # sick leave this long in the year …
    sick_leave_cap: str | None  # … caps the member here (None: rated on the work done)
    excellent_of_good: float  # excellent ≤ this share of those rated good, in one cohort
    excellent_in_base: bool  # whether the excellent count in that base
    scored: bool  # collectives appraised with points out of 100

    def quota_holds(self, excellent: int, good: int) -> bool:
        """As the rating service counts it (`rating/domain/quota.py`)."""
        base = good + excellent if self.excellent_in_base else good
        return excellent <= int(base * self.excellent_of_good + 1e-9)

    def capped(self, level: str, sick_months: int) -> str:
        """The level `level` becomes with `sick_months` of sick leave in the year."""
        cap = self.sick_leave_cap
        if cap is None or sick_months < self.sick_leave_months:
            return level
        return max(level, cap, key=LEVELS.index)


async def read_rules(api: Api, year: int, expected: str) -> YearRules:
    found: dict[str, Any] = await api.call(api.rating, "GET", f"/v1/rule-sets/{year}")
    if found["id"] != expected:
        raise GeneratorError(
            f"the generator enters what {expected} weighs (appraisals, leave); "
            f"{year} is rated by {found['id']}"
        )
    not_rated = found["member"]["not_rated"]
    cap = not_rated.get("long_sick_leave_cap")
    quota = found["quota"]
    return YearRules(
        id=found["id"],
        sick_leave_months=int(not_rated["long_sick_leave_months"]["value"]),
        sick_leave_cap=None if cap is None else str(cap["value"]),
        excellent_of_good=float(quota["excellent_of_good"]["value"]),
        excellent_in_base=bool(quota["excellent_in_base"]["value"]),
        scored=found["collective"].get("scoring") is not None,
    )

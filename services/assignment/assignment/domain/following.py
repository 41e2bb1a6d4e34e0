"""Following from above: higher committee members assigned to organisations, and the quota
of branch meetings a year they attend there, set per province and level as dated data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .errors import refuse
from .events import CommitteeLevel, FollowingAssigned, VisitQuotaSet
from .member import Member
from .org import OrgUnit


def following_id(follower_id: str, year: int) -> str:
    return f"{follower_id}-{year}"


def common_path(units: Sequence[OrgUnit]) -> list[str]:
    """The deepest unit above all of them: where a following decision is filed."""
    paths = [u.path for u in units]
    prefix: list[str] = []
    for tokens in zip(*paths, strict=False):
        if len(set(tokens)) != 1:
            break
        prefix.append(tokens[0])
    return prefix


class Following(Aggregate):
    category = "following"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.units: set[str] = set()

    def assign(
        self, follower: Member, *, level: CommitteeLevel, year: int, units: Sequence[OrgUnit]
    ) -> None:
        if not follower.exists or follower.left_on is not None:
            name = follower.full_name or follower.id  # a follower unknown: the id asked for
            raise refuse(
                "member_unknown",
                f"no serving member {name}",
                f"không có đảng viên {name} đang sinh hoạt",
            )
        inactive = sorted(u.called for u in units if not u.active)
        if inactive or not units:
            raise refuse(
                "units_not_active",
                f"units to follow must exist and be active: {', '.join(inactive)}",
                f"đơn vị được theo dõi phải tồn tại và đang hoạt động: {', '.join(inactive)}",
            )
        new = sorted({u.id for u in units} - self.units)
        if new:
            self._emit(
                FollowingAssigned(follower_id=follower.id, level=level, year=year, unit_ids=new)
            )

    def _apply(self, event: DomainEvent) -> None:
        if isinstance(event, FollowingAssigned):
            self.units.update(event.unit_ids)


def quota_id(province_id: str, level: CommitteeLevel) -> str:
    return f"{province_id}-{level}"


class VisitQuota(Aggregate):
    """One province's quota for one level: periods follow each other in date order."""

    category = "quota"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.periods: list[tuple[date, int]] = []

    def set(
        self,
        province: OrgUnit,
        *,
        level: CommitteeLevel,
        meetings_per_year: int,
        valid_from: date,
    ) -> None:
        if province.kind != "province" or not province.active:
            raise refuse(
                "not_a_province",
                f"{province.called} is not an active province",
                f"{province.called} không phải tỉnh đang hoạt động",
            )
        if not 1 <= meetings_per_year <= 52:
            raise refuse(
                "invalid_quota",
                "a quota is 1 to 52 meetings a year",
                "định mức từ 1 đến 52 buổi một năm",
            )
        if self.periods and valid_from <= self.periods[-1][0]:
            raise refuse(
                "quota_out_of_order",
                f"a new quota starts after {self.periods[-1][0].isoformat()}",
                f"định mức mới phải bắt đầu sau ngày {self.periods[-1][0]:%d/%m/%Y}",
            )
        self._emit(
            VisitQuotaSet(
                province_id=province.id,
                level=level,
                meetings_per_year=meetings_per_year,
                valid_from=valid_from,
            )
        )

    def on(self, day: date) -> int | None:
        valid = [count for start, count in self.periods if start <= day]
        return valid[-1] if valid else None

    def _apply(self, event: DomainEvent) -> None:
        if isinstance(event, VisitQuotaSet):
            self.periods.append((event.valid_from, event.meetings_per_year))

"""The assignment service's events decided above the branches: which organisations a
higher committee member follows, how many branch meetings such a member must attend, and a
province's range of households a member follows. Part of the published language gathered in
`contracts.assignment`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from chibo_kernel.events import DomainEvent

from .assignment_members import MemberId

CommitteeLevel = Literal["province", "district", "commune"]


class FollowingAssigned(DomainEvent):
    """A higher committee member is to follow these organisations this year and attend
    their branch meetings (cấp ủy viên cấp trên dự sinh hoạt chi bộ)."""

    event_type: ClassVar[str] = "chibo.assignment.following_assigned.v1"
    follower_id: MemberId
    level: CommitteeLevel
    year: int
    unit_ids: list[str]


class VisitQuotaSet(DomainEvent):
    """How many branch meetings a year a committee member of a level must attend, in one
    province, from a date on: data with a validity period, never a constant."""

    event_type: ClassVar[str] = "chibo.assignment.visit_quota_set.v1"
    province_id: str
    level: CommitteeLevel
    meetings_per_year: int
    valid_from: date


class HouseholdRangeSet(DomainEvent):
    """A province's policy for how many households a member follows, from a date on; a
    branch's plan may set its own instead."""

    event_type: ClassVar[str] = "chibo.assignment.household_range_set.v1"
    province_id: str
    min_households: int
    max_households: int
    valid_from: date

"""The rating service's events about cohorts and collectives: which cohort a unit's members
are counted in for the quota, the higher share of "hoàn thành xuất sắc" an outstanding
cohort may be granted, and a collective's own appraisal. Part of the published language
gathered in `contracts.rating`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from chibo_kernel.events import DomainEvent

from .rating_levels import Level


class AllowanceGranted(DomainEvent):
    """The competent level grants a cohort the higher share of "hoàn thành xuất sắc" its rule
    set allows an outstanding unit, for one year."""

    event_type: ClassVar[str] = "chibo.rating.allowance_granted.v1"
    cohort_id: str
    year: int
    granted_by: str
    granted_on: date
    reason: str


class UnitAppraised(DomainEvent):
    """A collective's year as its self-assessment and the upper level's appraisal put it (a
    branch, a chi bộ cơ sở or a grassroots organisation): the points where the year's rules
    score, the level its criteria are judged at, its targets, and whether it was itself
    disciplined. A later appraisal replaces an earlier one."""

    event_type: ClassVar[str] = "chibo.rating.unit_appraised.v1"
    unit_id: str
    year: int
    points: float | None
    level: Level
    targets_total: int
    targets_done: int
    targets_exceeded: int
    disciplined: bool
    appraised_by: str
    note: str


class CohortSet(DomainEvent):
    """The competent level sets the cohort a unit's members are counted in for a year's
    quota (the unit itself or a unit above it); without one the rule set's default holds."""

    event_type: ClassVar[str] = "chibo.rating.cohort_set.v1"
    unit_id: str
    year: int
    cohort_id: str
    decided_by: str
    decided_on: date

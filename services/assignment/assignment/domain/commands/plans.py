"""Commands on a branch's area (households, groups, routes, tasks) and its yearly plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message, Saved

from ..events import DutyKind
from ..imports import PlanImportReport


@dataclass(frozen=True)
class RegisterHouseholds(Message[Saved]):
    branch_id: str
    households: tuple[tuple[str, str], ...]  # (household id, label)


@dataclass(frozen=True)
class DraftPlan(Message[Saved]):
    """Without a range of its own the plan takes the province's policy for its year."""

    branch_id: str
    year: int
    household_range: tuple[int, int] | None = None


@dataclass(frozen=True)
class SetHouseholdRange(Message[Saved]):
    """The province's household range policy from a date on."""

    province_id: str
    low: int
    high: int
    valid_from: date


@dataclass(frozen=True)
class AssignHouseholds(Message[Saved]):
    """A whole plan's assignments: all stand, or none does."""

    branch_id: str
    year: int
    assignments: tuple[tuple[str, tuple[str, ...]], ...]  # (member id, household ids)
    today: date


@dataclass(frozen=True)
class AdoptPlan(Message[Saved]):
    branch_id: str
    year: int
    resolution_number: str
    adopted_on: date


@dataclass(frozen=True)
class DefineDuties(Message[Saved]):
    """Household groups (nhóm hộ), routes (tuyến đường) and named tasks of the area."""

    branch_id: str
    groups: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (id, name, household ids)
    routes: tuple[tuple[str, str], ...] = ()  # (id, name)
    tasks: tuple[tuple[str, str], ...] = ()  # (id, name)


@dataclass(frozen=True)
class AssignDuties(Message[Saved]):
    """Groups, routes and tasks given to members: all stand, or none does."""

    branch_id: str
    year: int
    duties: tuple[tuple[str, DutyKind, str], ...]  # (member id, kind, target id)
    today: date


@dataclass(frozen=True)
class ImportPlanAssignments(Message[PlanImportReport]):
    """A plan's assignments from an uploaded CSV or XLSX sheet."""

    branch_id: str
    year: int
    filename: str
    content: bytes
    today: date

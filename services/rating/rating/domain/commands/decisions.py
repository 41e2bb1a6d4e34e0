"""Commands of the levels above a unit: the decisions on its members or the units under it,
their cancellation, a collective's appraisal, the cohort a branch's members count in, and
the higher share of "hoàn thành xuất sắc" granted to a cohort. Who decided is not theirs to
say: the handler names the body the signed-in principal acts for (`application/signer.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_contracts.rating import Level
from chibo_kernel.domain import Message, Saved

from ..decisions import Decision


@dataclass(frozen=True)
class Decide(Message[Saved]):
    """A branch decides its members; a higher unit decides the units directly under it."""

    unit_id: str
    year: int
    decisions: tuple[Decision, ...]
    decided_on: date


@dataclass(frozen=True)
class CancelDecision(Message[Saved]):
    """A level above the cohort (`by_unit_id`) cancels one of its decisions."""

    unit_id: str
    year: int
    subject_id: str
    by_unit_id: str
    reason: str
    cancelled_on: date


@dataclass(frozen=True)
class AppraiseUnit(Message[Saved]):
    """The level above appraises a branch, chi bộ cơ sở or grassroots organisation."""

    unit_id: str
    year: int
    level: Level
    points: float | None = None
    targets_total: int = 0
    targets_done: int = 0
    targets_exceeded: int = 0
    disciplined: bool = False
    note: str = ""


@dataclass(frozen=True)
class SetCohort(Message[Saved]):
    """The competent level sets the unit a branch's members are counted in for the quota."""

    unit_id: str
    year: int
    cohort_id: str
    decided_on: date


@dataclass(frozen=True)
class GrantAllowance(Message[Saved]):
    """The level above grants a cohort the outstanding unit's share."""

    unit_id: str
    year: int
    granted_on: date
    reason: str

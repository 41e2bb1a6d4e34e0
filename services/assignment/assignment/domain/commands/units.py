"""Commands on the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message, Saved

from ..events import UnitKind


@dataclass(frozen=True)
class CreateUnit(Message[Saved]):
    """Under its parent; a province (no parent) at the root of the tree."""

    unit_id: str
    kind: UnitKind
    name: str
    parent_id: str | None
    valid_from: date


@dataclass(frozen=True)
class RenameUnit(Message[Saved]):
    unit_id: str
    name: str
    valid_from: date


@dataclass(frozen=True)
class MoveUnit(Message[Saved]):
    """With everything under it, beneath another parent; history is kept."""

    unit_id: str
    to_parent_id: str
    valid_from: date


@dataclass(frozen=True)
class MergeUnit(Message[Saved]):
    """Sáp nhập into another unit of the same kind."""

    unit_id: str
    into_unit_id: str
    valid_from: date


@dataclass(frozen=True)
class DissolveUnit(Message[Saved]):
    unit_id: str
    valid_from: date
    reason: str

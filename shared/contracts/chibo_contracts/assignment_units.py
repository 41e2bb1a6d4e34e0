"""The assignment service's events about the party organisation's tree: units created,
renamed, moved, merged and dissolved. Part of the published language gathered in
`contracts.assignment`; every other event files itself under the path these give."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from chibo_kernel.events import DomainEvent

UnitKind = Literal["province", "district", "grassroots", "branch"]


class OrgUnitCreated(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.org_unit_created.v1"
    unit_id: str
    kind: UnitKind
    name: str
    parent_id: str | None
    path: list[str]  # ids from the province down to this unit
    valid_from: date


class OrgUnitRenamed(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.org_unit_renamed.v1"
    unit_id: str
    name: str
    valid_from: date


class OrgUnitMoved(DomainEvent):
    """The unit and everything under it now sit under another parent; earlier events keep
    the path they were filed under."""

    event_type: ClassVar[str] = "chibo.assignment.org_unit_moved.v1"
    unit_id: str
    from_parent_id: str
    to_parent_id: str
    path: list[str]  # the unit's new path
    valid_from: date


class OrgUnitMerged(DomainEvent):
    """Sáp nhập: the unit joins another of its kind and stops being active; its members,
    households and sub-units follow in the same command as their own events."""

    event_type: ClassVar[str] = "chibo.assignment.org_unit_merged.v1"
    unit_id: str
    into_unit_id: str
    valid_from: date


class OrgUnitDissolved(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.org_unit_dissolved.v1"
    unit_id: str
    valid_from: date
    reason: str

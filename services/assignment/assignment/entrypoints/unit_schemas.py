"""Bodies of the org unit routes: creating, renaming, moving, merging and dissolving
units."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import StringConstraints

# The answer to a command, re-exported so routes read every body of a resource from one module.
from chibo_chassis.http import Accepted as Accepted

from ..domain.events import UnitKind
from .schemas import Body, Id, Name


class CreateUnit(Body):
    unit_id: Id
    kind: UnitKind
    name: Name
    parent_id: Id | None = None
    valid_from: date


class Rename(Body):
    name: Name
    valid_from: date


class Dissolve(Body):
    valid_from: date
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class Move(Body):
    to_parent_id: Id
    valid_from: date


class Merge(Body):
    into_unit_id: Id
    valid_from: date

"""Bodies of the household and plan routes: the branch area, yearly plans, what members
hold, and coverage."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

# The answer to a command, re-exported so routes read every body of a resource from one module.
from chibo_chassis.http import Accepted as Accepted

from ..domain.events import DutyKind
from .schemas import Body, Id, Name


class Household(Body):
    household_id: Id
    label: Name


class RegisterHouseholds(Body):
    households: list[Household] = Field(min_length=1, max_length=5000)


class DraftPlan(Body):
    """Leave both out to take the province's policy (default 5-10)."""

    min_households: int | None = Field(default=None, ge=1, le=100)
    max_households: int | None = Field(default=None, ge=1, le=100)


class HouseholdRange(Body):
    min_households: int = Field(ge=1, le=100)
    max_households: int = Field(ge=1, le=100)
    valid_from: date


class Assignment(Body):
    member_id: Id
    household_ids: list[Id] = Field(min_length=1, max_length=100)


class Assign(Body):
    assignments: list[Assignment] = Field(min_length=1, max_length=2000)


class Adopt(Body):
    resolution_number: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    adopted_on: date


class CoverageView(BaseModel):
    members: str
    households: str
    members_without_households: list[str]
    households_without_member: list[str]
    released: list[dict[str, str]]
    released_duties: list[dict[str, str]]


class Group(Body):
    group_id: Id
    name: Name
    household_ids: list[Id] = Field(min_length=1, max_length=200)


class Named(Body):
    id: Id
    name: Name


class DefineDuties(Body):
    groups: list[Group] = Field(default_factory=list, max_length=500)
    routes: list[Named] = Field(default_factory=list, max_length=500)
    tasks: list[Named] = Field(default_factory=list, max_length=500)


class Duty(Body):
    member_id: Id
    kind: DutyKind
    target_id: Id


class AssignDuties(Body):
    duties: list[Duty] = Field(min_length=1, max_length=2000)


class PlanImportView(BaseModel):
    """A sheet taken whole: how many rows, how many changed the plan, how many it held."""

    rows: int
    assigned: int
    unchanged: int


_TEXT = {"type": "string"}
# A sheet with bad rows: 422 problem+json, each bad row named (nothing saved).
SHEET_REFUSED = {
    "description": "The sheet has bad rows and was refused whole, nothing saved "
    "(problem+json, code `sheet_refused`); or it cannot be read (`unreadable_sheet`)",
    "content": {
        "application/problem+json": {
            "schema": {
                "type": "object",
                "required": ["code", "detail", "detail_vi"],
                "properties": {
                    "code": _TEXT,
                    "detail": _TEXT,
                    "detail_vi": _TEXT,
                    "rows": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["row", "full_name", "detail", "detail_vi"],
                            "properties": {
                                "row": {"type": "integer"},
                                "full_name": {"anyOf": [_TEXT, {"type": "null"}]},
                                "detail": _TEXT,
                                "detail_vi": _TEXT,
                            },
                        },
                    },
                },
            }
        }
    },
}

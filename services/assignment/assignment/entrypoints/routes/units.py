"""Routes for the organisation tree: decode the body into a command, run it through the
boundary, answer what was stored."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised

from ...application import queries as q
from ...domain import commands as c
from .. import branch_schemas as views
from .. import unit_schemas as s
from .params import UnitPath, accepted


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    def checked(kind: type) -> list[Any]:
        return [authorised(bus, kind)]

    @api.post("/units", status_code=201, dependencies=checked(c.CreateUnit))
    async def create_unit(body: s.CreateUnit) -> s.Accepted:
        """`organise` at the parent (a province: over the whole tree)."""
        return accepted(await bus.run(c.CreateUnit(**body.model_dump())))

    @api.post("/units/{unit_id}/name", status_code=201, dependencies=checked(c.RenameUnit))
    async def rename_unit(unit_id: UnitPath, body: s.Rename) -> s.Accepted:
        return accepted(await bus.run(c.RenameUnit(unit_id, body.name, body.valid_from)))

    @api.post("/units/{unit_id}/dissolution", status_code=201, dependencies=checked(c.DissolveUnit))
    async def dissolve_unit(unit_id: UnitPath, body: s.Dissolve) -> s.Accepted:
        return accepted(await bus.run(c.DissolveUnit(unit_id, body.valid_from, body.reason)))

    @api.post("/units/{unit_id}/move", status_code=201, dependencies=checked(c.MoveUnit))
    async def move_unit(unit_id: UnitPath, body: s.Move) -> s.Accepted:
        """Move a unit, with everything under it, beneath another parent; history is kept.
        `organise` at the unit and at the new parent."""
        return accepted(await bus.run(c.MoveUnit(unit_id, body.to_parent_id, body.valid_from)))

    @api.post("/units/{unit_id}/merger", status_code=201, dependencies=checked(c.MergeUnit))
    async def merge_unit(unit_id: UnitPath, body: s.Merge) -> s.Accepted:
        """Sáp nhập: merge into another unit of the same kind, in one command. `organise` at
        both units."""
        return accepted(await bus.run(c.MergeUnit(unit_id, body.into_unit_id, body.valid_from)))

    @api.get("/org-tree", dependencies=checked(q.OrgTree))
    async def org_tree(dissolved: Annotated[bool, Query()] = False) -> views.OrgTreeView:
        """The units inside the caller's subtree, nested, and the units above it by name
        (`above`, nearest last); dissolved and merged units only with `?dissolved=true`.
        Any role, over its own subtree."""
        return views.OrgTreeView.model_validate(await bus.run(q.OrgTree(dissolved)))

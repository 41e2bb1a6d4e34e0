"""Routes for the organisation tree."""

from __future__ import annotations

from fastapi import APIRouter

from chibo_kernel.auth import Permission

from ...application.command_groups import Handlers
from .. import unit_schemas as s
from .params import UnitPath, accepted
from .places import Places, at, in_body

ORGANISE = Permission.ORGANISE


def add_routes(api: APIRouter, handlers: Handlers, places: Places) -> None:
    unit = places.unit("unit_id")

    @api.post("/units", status_code=201, dependencies=[in_body(ORGANISE, places.parent())])
    async def create_unit(body: s.CreateUnit) -> s.Accepted:
        """`organise` at the parent (a province: over the whole tree)."""
        return accepted(
            await handlers.create_unit(
                body.unit_id,
                kind=body.kind,
                name=body.name,
                parent_id=body.parent_id,
                valid_from=body.valid_from,
            )
        )

    @api.post("/units/{unit_id}/name", status_code=201, dependencies=[at(ORGANISE, unit)])
    async def rename_unit(unit_id: UnitPath, body: s.Rename) -> s.Accepted:
        return accepted(await handlers.rename_unit(unit_id, body.name, body.valid_from))

    @api.post("/units/{unit_id}/dissolution", status_code=201, dependencies=[at(ORGANISE, unit)])
    async def dissolve_unit(unit_id: UnitPath, body: s.Dissolve) -> s.Accepted:
        return accepted(await handlers.dissolve_unit(unit_id, body.valid_from, body.reason))

    @api.post(
        "/units/{unit_id}/move",
        status_code=201,
        dependencies=[at(ORGANISE, unit, places.body_units("to_parent_id"))],
    )
    async def move_unit(unit_id: UnitPath, body: s.Move) -> s.Accepted:
        """Move a unit, with everything under it, beneath another parent; history is kept.
        `organise` at the unit and at the new parent."""
        return accepted(
            await handlers.move_unit(
                unit_id, to_parent_id=body.to_parent_id, valid_from=body.valid_from
            )
        )

    @api.post(
        "/units/{unit_id}/merger",
        status_code=201,
        dependencies=[at(ORGANISE, unit, places.body_units("into_unit_id"))],
    )
    async def merge_unit(unit_id: UnitPath, body: s.Merge) -> s.Accepted:
        """Sáp nhập: merge into another unit of the same kind, in one command. `organise` at
        both units."""
        return accepted(
            await handlers.merge_unit(
                unit_id, into_unit_id=body.into_unit_id, valid_from=body.valid_from
            )
        )

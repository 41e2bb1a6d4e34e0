"""Routes for the organisation tree."""

from __future__ import annotations

from fastapi import APIRouter

from ...application.handlers import Handlers
from .. import schemas as s
from .params import UnitPath, accepted


def add_routes(api: APIRouter, handlers: Handlers) -> None:
    @api.post("/units", status_code=201)
    async def create_unit(body: s.CreateUnit) -> s.Accepted:
        return accepted(
            await handlers.create_unit(
                body.unit_id,
                kind=body.kind,
                name=body.name,
                parent_id=body.parent_id,
                valid_from=body.valid_from,
            )
        )

    @api.post("/units/{unit_id}/name", status_code=201)
    async def rename_unit(unit_id: UnitPath, body: s.Rename) -> s.Accepted:
        return accepted(await handlers.rename_unit(unit_id, body.name, body.valid_from))

    @api.post("/units/{unit_id}/dissolution", status_code=201)
    async def dissolve_unit(unit_id: UnitPath, body: s.Dissolve) -> s.Accepted:
        return accepted(await handlers.dissolve_unit(unit_id, body.valid_from, body.reason))

    @api.post("/units/{unit_id}/move", status_code=201)
    async def move_unit(unit_id: UnitPath, body: s.Move) -> s.Accepted:
        """Move a unit, with everything under it, beneath another parent; history is kept."""
        return accepted(
            await handlers.move_unit(
                unit_id, to_parent_id=body.to_parent_id, valid_from=body.valid_from
            )
        )

    @api.post("/units/{unit_id}/merger", status_code=201)
    async def merge_unit(unit_id: UnitPath, body: s.Merge) -> s.Accepted:
        """Sáp nhập: merge into another unit of the same kind, in one command."""
        return accepted(
            await handlers.merge_unit(
                unit_id, into_unit_id=body.into_unit_id, valid_from=body.valid_from
            )
        )

"""HTTP routes: decode, call a handler, encode; nothing else. One module per area. Every
route names the permission it needs and where (docs/authorization.md)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter

from chibo_kernel.auth import Boundary
from chibo_kernel.http import audit_router, v1_router
from chibo_kernel.pool import LeanPool
from chibo_kernel.store import EventStore

from ..adapters.places import Places as PlaceLookup
from ..application.command_groups import Handlers
from ..application.import_jobs import ImportJobs
from .routes import audit, following, imports, members, plans, reports, units
from .routes.places import Places


def router(
    bus: Boundary[PlaceLookup],
    handlers: Handlers,
    pool: Callable[[], LeanPool],
    imports_jobs: ImportJobs,
) -> APIRouter:
    api = v1_router()
    places = Places(pool, imports_jobs)
    units.add_routes(api, handlers, places)
    members.add_routes(api, bus)
    plans.add_routes(api, handlers, pool, places)
    reports.add_routes(api, handlers, pool, places)
    following.add_routes(api, handlers, pool, places)
    imports.add_routes(api, imports_jobs, places)
    return api


def routers(
    bus: Boundary[PlaceLookup],
    handlers: Handlers,
    pool: Callable[[], LeanPool],
    imports_jobs: ImportJobs,
    store: Callable[[], EventStore],
) -> list[APIRouter]:
    """The service's commands and queries, and the audit trail of its subjects."""
    return [
        router(bus, handlers, pool, imports_jobs),
        audit_router(list(audit.KINDS), audit.resolve, store),
    ]

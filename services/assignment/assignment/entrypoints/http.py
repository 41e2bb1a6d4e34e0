"""HTTP routes: decode, call a handler, encode; nothing else. One module per area."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter

from chibo_kernel.pool import LeanPool

from ..application.handlers import Handlers
from ..application.import_jobs import ImportJobs
from .routes import following, imports, members, plans, reports, units


def router(handlers: Handlers, pool: Callable[[], LeanPool], imports_jobs: ImportJobs) -> APIRouter:
    api = APIRouter(prefix="/v1")
    units.add_routes(api, handlers)
    members.add_routes(api, handlers)
    plans.add_routes(api, handlers, pool)
    reports.add_routes(api, handlers, pool)
    following.add_routes(api, handlers, pool)
    imports.add_routes(api, imports_jobs)
    return api

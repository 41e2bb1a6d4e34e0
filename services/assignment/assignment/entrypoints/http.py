"""HTTP routes: decode, run through the boundary, encode; nothing else. One module per
area. Every route names its command or query, whose rule in `permissions.py` says the
permission it needs and where (docs/authorization.md)."""

from __future__ import annotations

from fastapi import APIRouter

from chibo_chassis.auth import Boundary
from chibo_chassis.http import access_log_router, audit_router, v1_router

from ..adapters import audit_subjects
from ..adapters.places import Places
from .routes import following, imports, members, plans, reports, units


def router(bus: Boundary[Places]) -> APIRouter:
    api = v1_router()
    units.add_routes(api, bus)
    members.add_routes(api, bus)
    plans.add_routes(api, bus)
    reports.add_routes(api, bus)
    following.add_routes(api, bus)
    imports.add_routes(api, bus)
    return api


def routers(bus: Boundary[Places]) -> list[APIRouter]:
    """The service's commands and queries, the audit trail of its subjects and the log of
    reads of personal data."""
    return [router(bus), audit_router(list(audit_subjects.KINDS), bus), access_log_router(bus)]

"""HTTP routes: decode, run through the boundary, encode; nothing else. One module per
area. Every route names its command or query, whose rule in `permissions.py` says the
permission it needs and where (docs/authorization.md)."""

from __future__ import annotations

from fastapi import APIRouter

from chibo_chassis.auth import Boundary
from chibo_chassis.http import access_log_router, audit_router, v1_router
from chibo_chassis.subject_export import personal_data_router

from ..adapters import audit_subjects
from ..adapters.personal_data import PERSONAL_DATA
from ..adapters.places import Places
from .routes import branches, erasure, following, imports, members, plans, reports, units


def router(bus: Boundary[Places]) -> APIRouter:
    api = v1_router()
    units.add_routes(api, bus)
    members.add_routes(api, bus)
    branches.add_routes(api, bus)
    plans.add_routes(api, bus)
    reports.add_routes(api, bus)
    following.add_routes(api, bus)
    imports.add_routes(api, bus)
    erasure.add_routes(api, bus)
    return api


def routers(bus: Boundary[Places]) -> list[APIRouter]:
    """The service's commands and queries, the audit trail of its subjects, the log of
    reads of personal data and the export of everything held about a member."""
    return [
        router(bus),
        audit_router(list(audit_subjects.KINDS), bus),
        access_log_router(bus),
        personal_data_router(bus, PERSONAL_DATA),
    ]

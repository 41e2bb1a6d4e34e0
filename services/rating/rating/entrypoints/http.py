"""HTTP routes: decode, run the command or query through the boundary, encode; nothing else.
Every route's permission and place is its message's rule in `permissions.py`
(docs/authorization.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from chibo_chassis.auth import Boundary
from chibo_chassis.http import access_log_router, audit_router, v1_router
from chibo_chassis.subject_export import personal_data_router

from ..adapters import audit_subjects
from ..adapters.personal_data import PERSONAL_DATA
from .routes import commands as command_routes
from .routes import following, meeting_verdict, member_list, proposals, titles, views


def router(bus: Boundary[Any]) -> APIRouter:
    api = v1_router()
    command_routes.add_routes(api, bus)
    member_list.add_routes(api, bus)
    views.add_routes(api, bus)
    meeting_verdict.add_routes(api, bus)
    proposals.add_routes(api, bus)
    following.add_routes(api, bus)
    titles.add_routes(api, bus)
    return api


def routers(bus: Boundary[Any]) -> list[APIRouter]:
    """The service's commands and queries, the audit trail of its subjects, the log of
    reads of personal data and the export of everything held about a member."""
    return [
        router(bus),
        audit_router(audit_subjects.KINDS, bus),
        access_log_router(bus),
        personal_data_router(bus, PERSONAL_DATA),
    ]

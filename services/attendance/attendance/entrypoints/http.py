"""HTTP routes: decode, call a command or read the read models, encode; nothing else."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter

from chibo_kernel.http import v1_router
from chibo_kernel.pool import LeanPool

from ..application.commands import MeetingCommands
from .routes import meetings, views
from .routes.places import Places


def router(commands: MeetingCommands, pool: Callable[[], LeanPool]) -> APIRouter:
    """Every route carries its guard (docs/authorization.md): the permission it needs, at
    the place in the organisation tree its path names."""
    api = v1_router()
    places = Places(pool)
    meetings.add_routes(api, commands, places)
    views.add_routes(api, pool, places)
    return api

"""HTTP routes: decode, call a command or read the read models, encode; nothing else."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter

from chibo_kernel.pool import LeanPool

from ..application.commands import MeetingCommands
from .routes import meetings, views


def router(commands: MeetingCommands, pool: Callable[[], LeanPool]) -> APIRouter:
    api = APIRouter(prefix="/v1")
    meetings.add_routes(api, commands)
    views.add_routes(api, pool)
    return api

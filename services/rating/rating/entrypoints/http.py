"""HTTP routes: decode, call a command or read the read models, encode; nothing else. Every
route names the permission it needs and where (docs/authorization.md)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter

from chibo_kernel.http import v1_router
from chibo_kernel.pool import LeanPool

from ..application.commands import RatingCommands
from ..application.member_inputs import MemberInputs
from ..application.read_models import ReadModels
from .routes import commands as command_routes
from .routes import following, member_list, proposals, titles, views
from .routes.places import Places


def router(
    commands: RatingCommands,
    inputs: MemberInputs,
    pool: Callable[[], LeanPool],
    read_models: ReadModels,
) -> APIRouter:
    api = v1_router()
    places = Places(pool, read_models)
    command_routes.add_routes(api, commands, inputs, read_models, places)
    member_list.add_routes(api, pool, read_models, commands.rules, places)
    views.add_routes(api, pool, read_models, commands.rules, places)
    proposals.add_routes(api, pool, read_models, commands.rules, places)
    following.add_routes(api, pool, read_models, places)
    titles.add_routes(api, pool, read_models, commands.rules, places)
    return api

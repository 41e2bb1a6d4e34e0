"""Start filling the next generation of the consumed read models; queries keep reading the
active one until the new one has caught up."""

from __future__ import annotations

from typing import Any

from ...domain.commands import RebuildReadModels
from ..deps import Deps


async def handle(command: RebuildReadModels, deps: Deps) -> dict[str, Any]:
    await deps.read_models.rebuild()
    return await deps.read_models.status()

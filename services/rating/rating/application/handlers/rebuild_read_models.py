"""Start filling the next generation of the consumed read models; queries keep reading the
active one until the new one has caught up."""

from __future__ import annotations

from typing import Any

from ...domain.commands import RebuildReadModels
from ..deps import Deps


async def handle(command: RebuildReadModels, deps: Deps) -> dict[str, Any]:
    number = await deps.read_models.rebuild()
    # Named apart from `building`: a small generation may already have switched by the time
    # the status is read, and the caller waits for this number to become active.
    return {**await deps.read_models.status(), "requested": number}

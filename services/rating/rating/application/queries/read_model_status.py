"""The consumed read models' generations: which one serves, which one is being built, and
what each consumer (and the derivation) still has pending or has parked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chibo_kernel.domain import Message

from ..deps import Deps


@dataclass(frozen=True)
class ReadModelStatus(Message[dict[str, Any]]):
    pass


async def handle(query: ReadModelStatus, deps: Deps) -> dict[str, Any]:
    return await deps.read_models.status()

"""The kernel's repository, bound to this service's events and inline read models."""

from __future__ import annotations

from collections.abc import Callable

from chibo_kernel import EventStore
from chibo_kernel.domain import Repository
from chibo_kernel.store import InlineProjection

from ..adapters.projection import project
from ..domain.events import REGISTRY


def assignment_repository(
    store: Callable[[], EventStore], *, read_models: InlineProjection = project
) -> Repository:
    """`read_models`: what each append updates in its transaction; the in-memory wiring
    gives `MemoryDirectory.project`."""
    return Repository(store, REGISTRY, project=read_models)

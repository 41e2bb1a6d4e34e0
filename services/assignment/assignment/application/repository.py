"""The kernel's repository, bound to this service's events and inline read models."""

from __future__ import annotations

from collections.abc import Callable

from chibo_kernel import EventStore
from chibo_kernel.domain import Repository

from ..adapters.projection import project
from ..domain.events import REGISTRY


def assignment_repository(
    store: Callable[[], EventStore],
) -> Repository:
    return Repository(store, REGISTRY, project=project)

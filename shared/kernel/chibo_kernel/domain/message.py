"""Commands and queries as typed objects: what a caller asks, decoded once at the edge and
handed to one handler through the service's boundary (its permissions table)."""

from __future__ import annotations

from typing import Generic, TypeVar

R = TypeVar("R")


class Message(Generic[R]):
    """A command or a query, a frozen dataclass; `R` is what handling it answers."""

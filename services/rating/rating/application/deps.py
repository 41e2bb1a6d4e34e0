"""What the handlers and queries are given: the repository of the rating books and the
members' files, the pool, the consumed read models (which generation queries read now), the
rule book, and, for a query that keeps only the rows its caller may see, the boundary's
`rows_for`. Built once, in `bootstrap.py`."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

import asyncpg

from chibo_chassis.auth import Place
from chibo_kernel.domain import Repository
from chibo_kernel.pool import LeanPool

from ..adapters.facts_schema import facts
from ..domain.rule_book import RuleBook

Visible = Callable[[Place, "str | None"], bool]


class Generations(Protocol):
    """The consumed read models' generations (`read_models.py`)."""

    @property
    def active_schema(self) -> str: ...

    async def status(self) -> dict[str, Any]: ...

    async def rebuild(self) -> int: ...


@dataclass(frozen=True)
class Deps:
    repo: Repository
    pool: Callable[[], LeanPool]  # the pool exists once the service has started
    read_models: Generations
    rules: RuleBook
    # The boundary's row filter for a query whose rule has `rows=True`.
    rows_for: Callable[[type], Visible]

    def facts(self) -> AbstractAsyncContextManager[asyncpg.Connection]:
        """A connection reading the active generation's facts."""
        return facts(self.pool(), self.read_models.active_schema)

    @property
    def schema(self) -> str:
        return self.read_models.active_schema

"""What every query reads from: the read models (through the pool) and, for a query that
keeps only the rows the principal may see, the boundary's answer for each row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chibo_chassis.auth import Place
from chibo_kernel.pool import LeanPool

# Whether a row at this place (about this member) is one the principal may see.
Visible = Callable[[Place, "str | None"], bool]


@dataclass(frozen=True)
class Reads:
    pool_of: Callable[[], LeanPool]  # a getter: the runtime opens the pool after composing
    rows_for: Callable[[type], Visible]  # the boundary's, for a rule with `rows=True`

    @property
    def pool(self) -> LeanPool:
        return self.pool_of()

"""A consumed read model whose tables queries name without a schema: a new generation is
built in the work schema `rebuild_<name>` (first on its batches' search path) and, once
caught up, swapped into `public` in the switch's transaction; the old tables are dropped
there, since every instance reads the new ones from that moment."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from ..consumer import Projection
from .model import BUILDING, ConsumedReadModel, GenerationParts, Pending, Source
from .schemas import prepare_work_schema, swap_tables


@dataclass(frozen=True)
class SwappedReadModel(ConsumedReadModel):
    name: str
    tables: tuple[str, ...]
    sources: tuple[Source, ...]
    projection: Projection

    @property
    def work_schema(self) -> str:
        return "rebuild_" + self.name.replace("-", "_")

    @property
    def retired_schema(self) -> str:
        return "retired_" + self.name.replace("-", "_")

    def parts(self, generation: int, pending: Pending) -> GenerationParts:
        return GenerationParts(self.projection)

    async def prepare(self, conn: asyncpg.Connection, generation: int) -> None:
        await prepare_work_schema(conn, self.tables, self.work_schema)

    def search_path(self, generation: int, state: str) -> str:
        return f"{self.work_schema}, public" if state == BUILDING else "public"

    async def switch_in(self, conn: asyncpg.Connection, generation: int) -> None:
        await swap_tables(conn, self.tables, self.work_schema, self.retired_schema)
        await conn.execute(f"DROP SCHEMA {self.work_schema}")  # empty now
        await conn.execute(f"DROP SCHEMA {self.retired_schema} CASCADE")

"""Loading aggregates from their events and saving what a command changed, in one append."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..events import EventRegistry
from ..store import EventStore, InlineProjection, RecordedEvent, StreamAppend
from .aggregate import Aggregate

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class Saved:
    """What a command answers: each stream's new version and the ids of the new events."""

    versions: dict[str, int]
    event_ids: list[str]


class Repository:
    def __init__(
        self,
        store: Callable[[], EventStore],
        registry: EventRegistry,
        *,
        project: InlineProjection | None = None,
    ) -> None:
        # A getter: the runtime opens the store at start-up, after the app is composed.
        self._get_store = store
        self._registry = registry
        self._project = project  # the service's own read models, in the append's transaction

    @property
    def _store(self) -> EventStore:
        return self._get_store()

    async def load(self, kind: type[A], aggregate_id: str) -> A:
        recorded = await self._store.load(f"{kind.category}-{aggregate_id}")
        return kind.from_history(aggregate_id, (r.decode(self._registry) for r in recorded))

    async def recorded(self, stream_id: str) -> list[RecordedEvent]:
        """A stream's events as stored, ids included: what a command answered can be told
        again from them."""
        return await self._store.load(stream_id)

    async def save(self, changes: Sequence[tuple[Aggregate, Sequence[str]]]) -> Saved:
        """Append every changed aggregate atomically, each under its organisation path."""
        appends = []
        event_ids: list[str] = []
        for aggregate, org_path in changes:
            if not aggregate.pending:
                continue
            ids = [uuid.uuid4() for _ in aggregate.pending]
            event_ids += [str(i) for i in ids]
            appends.append(
                StreamAppend(
                    aggregate.stream_id, aggregate.version, list(aggregate.pending), org_path, ids
                )
            )
        if not appends:
            return Saved({}, [])
        versions = await self._store.append_batch(appends, project=self._project)
        for aggregate, _ in changes:
            aggregate.version += len(aggregate.pending)
            aggregate.pending.clear()
        return Saved(dict(zip((a.stream_id for a in appends), versions, strict=True)), event_ids)

"""Loading aggregates from their events and saving what a command changed, in one append."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from chibo_kernel import EventStore, StreamAppend, current_trace
from chibo_kernel.authz import AllowAll, Authorizer

from ..adapters.projection import project
from ..domain.aggregate import Aggregate
from ..domain.events import REGISTRY

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class Saved:
    """What a command answers: each stream's new version and the ids of the new events."""

    versions: dict[str, int]
    event_ids: list[str]


class Repository:
    def __init__(
        self, store: Callable[[], EventStore], authorizer: Authorizer | None = None
    ) -> None:
        # A getter: the runtime opens the store at start-up, after the app is composed.
        self._get_store = store
        self._authorizer = authorizer or AllowAll()

    @property
    def _store(self) -> EventStore:
        return self._get_store()

    def authorize(self, action: str, org_path: Sequence[str]) -> None:
        """Ask the authoriser; raises Forbidden. Commands ask early ("write" where they will
        file events) so a refusal never depends on, or reveals, the state behind it."""
        self._authorizer.authorize(current_trace(), action, org_path)

    async def load(self, kind: type[A], aggregate_id: str) -> A:
        recorded = await self._store.load(f"{kind.category}-{aggregate_id}")
        return kind.from_history(aggregate_id, (r.decode(REGISTRY) for r in recorded))

    async def save(self, changes: Sequence[tuple[Aggregate, Sequence[str]]]) -> Saved:
        """Append every changed aggregate atomically, each under its organisation path."""
        appends = []
        event_ids: list[str] = []
        for aggregate, org_path in changes:
            for event in aggregate.pending:
                self.authorize(f"{aggregate.category}.{event.short_name()}", org_path)
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
        versions = await self._store.append_batch(appends, project=project)
        for aggregate, _ in changes:
            aggregate.version += len(aggregate.pending)
            aggregate.pending.clear()
        return Saved(dict(zip((a.stream_id for a in appends), versions, strict=True)), event_ids)

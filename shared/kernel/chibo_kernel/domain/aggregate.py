"""The aggregate base: state is rebuilt from events; a public method checks its rule, then
emits. Emitting applies the event at once, so later checks in the same command see it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Self

from ..events import DomainEvent


class Aggregate:
    category: ClassVar[str]

    def __init__(self, aggregate_id: str) -> None:
        self.id = aggregate_id
        self.version = 0  # the stored version this state was loaded at
        self.history: list[DomainEvent] = []  # what it was loaded from
        self.pending: list[DomainEvent] = []

    @property
    def stream_id(self) -> str:
        return f"{self.category}-{self.id}"

    @classmethod
    def from_history(cls, aggregate_id: str, events: Iterable[DomainEvent]) -> Self:
        aggregate = cls(aggregate_id)
        for event in events:
            aggregate._apply(event)
            aggregate.history.append(event)
            aggregate.version += 1
        return aggregate

    def rolled_back(self, mark: int) -> Self:
        """A copy without the pending events after `mark`: a bulk command drops one bad
        row and keeps the others."""
        fresh = type(self).from_history(self.id, self.history)
        for event in self.pending[:mark]:
            fresh._emit(event)
        return fresh

    @property
    def exists(self) -> bool:
        return self.version > 0 or bool(self.pending)

    def _emit(self, event: DomainEvent) -> None:
        self._apply(event)
        self.pending.append(event)

    def _apply(self, event: DomainEvent) -> None:
        raise NotImplementedError

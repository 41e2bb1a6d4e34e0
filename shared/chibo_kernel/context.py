"""Correlation and causation ids carried through a request or a consumed event.

Context variables let logs and appended events pick them up without threading them
through every call.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class TraceContext:
    correlation_id: str
    causation_id: str | None = None


_current: ContextVar[TraceContext | None] = ContextVar("chibo_trace", default=None)


def current_trace() -> TraceContext:
    """The trace in force, or a fresh one: every event gets a correlation id."""
    trace = _current.get()
    return trace if trace is not None else TraceContext(correlation_id=str(uuid.uuid4()))


@contextmanager
def traced(
    correlation_id: str | None = None, causation_id: str | None = None
) -> Iterator[TraceContext]:
    trace = TraceContext(correlation_id or str(uuid.uuid4()), causation_id)
    token = _current.set(trace)
    try:
        yield trace
    finally:
        _current.reset(token)

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
    actor: str | None = None  # who acted: a user id, or "system:<service>" for policies
    role: str | None = None  # the role they acted in


_current: ContextVar[TraceContext | None] = ContextVar("chibo_trace", default=None)


def current_trace() -> TraceContext:
    """The trace in force, or a fresh one: every event gets a correlation id."""
    trace = _current.get()
    return trace if trace is not None else TraceContext(correlation_id=str(uuid.uuid4()))


@contextmanager
def traced(
    correlation_id: str | None = None,
    causation_id: str | None = None,
    *,
    actor: str | None = None,
    role: str | None = None,
) -> Iterator[TraceContext]:
    """Put a trace in force; the actor is inherited from an enclosing trace if not given."""
    outer = _current.get()
    if actor is None and outer is not None:
        actor, role = outer.actor, outer.role
    trace = TraceContext(correlation_id or str(uuid.uuid4()), causation_id, actor, role)
    token = _current.set(trace)
    try:
        yield trace
    finally:
        _current.reset(token)

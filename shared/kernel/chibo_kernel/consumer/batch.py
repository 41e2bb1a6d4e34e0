"""Applying one fetched batch inside one transaction: gate, project, checkpoint.

The fast path hands every admitted event to the projection at once. If the projection
raises, the transaction is rolled back and the batch is replayed with a savepoint per
event, so one poison event is retried or parked while the rest of the batch commits.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace

import asyncpg

from ..streams import STORE_HEADER, StreamOwner
from . import bookkeeping as books
from .gate import Judgement, Verdict, judge
from .received import Incoming, Projection, ReceivedEvent
from .spec import ConsumerSpec

# Errors that mean "the database went away", not "this event is bad": the batch is retried
# as a whole and no delivery is counted against the message.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    TimeoutError,
)


@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: Verdict
    delay: float = 0.0
    skipped: bool = False  # admitted, but of a type this consumer does not know
    failed: bool = False  # the projection raised on this event


@dataclass
class _BatchState:
    versions: dict[str, int]
    parked: set[str]
    waiting: set[str] = field(default_factory=set)
    changed: dict[str, int] = field(default_factory=dict)


# Runs first in each batch's transaction: it may refuse the batch (`ConsumerRetired`) or
# prepare the session for the projection (a read model being rebuilt sets its search path).
Fence = Callable[[asyncpg.Connection], Awaitable[None]]


class ConsumerRetired(Exception):
    """Another generation of this read model serves now: the consumer stops, settling
    nothing; its durable consumer is deleted by whoever switched."""


# Not the events' fault: the batch is neither isolated event by event nor parked.
NOT_THE_EVENTS: tuple[type[BaseException], ...] = (*INFRASTRUCTURE_ERRORS, ConsumerRetired)


class BatchProcessor:
    def __init__(
        self, spec: ConsumerSpec, projection: Projection, fence: Fence | None = None
    ) -> None:
        self._spec = spec
        self._projection = projection
        self._fence = fence
        # The store the stream records as its owner (set from the stream's metadata by the
        # consumer): a message it did not write is parked, never applied.
        self.owner: StreamOwner | None = None
        self._any_waiting: bool | None = None  # unknown until the first batch reads it

    async def apply(
        self, conn: asyncpg.Connection, messages: Sequence[Incoming], *, isolate: bool
    ) -> list[Outcome]:
        """Run inside an open transaction; raises the projection's error unless `isolate`."""
        if not messages:
            return []
        if self._fence is not None:
            await self._fence(conn)
        name = self._spec.name
        streams = books.streams_of(messages)
        state = _BatchState(
            versions=await books.load_versions(conn, name, streams),
            parked=await books.load_parked_streams(conn, name, streams),
        )
        outcomes: list[Outcome] = []
        admitted: list[ReceivedEvent] = []
        for message in messages:
            judgement, error = self._judge(message, state), None
            if judgement.verdict is Verdict.APPLY and isolate and not message.unknown_type:
                error = await self._apply_isolated(conn, message.received)
                if error is not None:
                    judgement = self._failed(message, error)
            outcome = await self._record(conn, message, judgement, state)
            if error is not None:
                outcome = replace(outcome, failed=True)
            if outcome.verdict is Verdict.APPLY and not isolate and not outcome.skipped:
                assert message.received is not None
                admitted.append(message.received)
            outcomes.append(outcome)

        if admitted:
            await self._projection.apply(conn, admitted)
        await books.save_versions(conn, name, state.changed)
        await self._note_waiting(conn, messages, outcomes)
        applied = sum(1 for o in outcomes if o.verdict is Verdict.APPLY)
        await books.save_position(conn, name, max(m.stream_seq for m in messages), applied)
        return outcomes

    async def _note_waiting(
        self, conn: asyncpg.Connection, messages: Sequence[Incoming], outcomes: list[Outcome]
    ) -> None:
        if self._any_waiting is None:
            self._any_waiting = await books.any_waiting(conn, self._spec.name)
        waiting: list[int] = []
        settled: list[int] = []
        for message, outcome in zip(messages, outcomes, strict=True):
            (waiting if outcome.verdict is Verdict.WAIT else settled).append(message.stream_seq)
        self._any_waiting = await books.note_waiting(
            conn, self._spec.name, waiting, settled, self._any_waiting
        )

    def _judge(self, message: Incoming, state: _BatchState) -> Judgement:
        owner = self.owner
        if owner is not None and not owner.wrote(message.stream_seq, message.headers):
            found = message.headers.get(STORE_HEADER)
            return Judgement(
                Verdict.PARK,
                f"{books.FOREIGN}: written by store {found!r}, not "
                f"by the stream's owner {owner.store}",
            )
        if message.problem is not None:
            return Judgement(Verdict.PARK, f"malformed: {message.problem}")
        if message.unreadable is not None:  # a key it cannot read: fixed, then replayed
            return Judgement(Verdict.PARK, f"unreadable: {message.unreadable}")
        assert not message.sealed, "sealed messages are opened before they are judged"
        assert message.envelope is not None
        stream = message.envelope.subject
        judgement = judge(
            version=message.envelope.stream_version,
            last_applied=state.versions.get(stream, 0),
            aggregate_parked=stream in state.parked,
            aggregate_waiting=stream in state.waiting,
            final_delivery=message.deliveries >= self._spec.max_deliver,
        )
        if (
            judgement.verdict is Verdict.APPLY
            and message.unknown_type
            and self._spec.unknown_types == "park"
        ):
            return Judgement(Verdict.PARK, f"unknown event type {message.envelope.type}")
        return judgement

    def _failed(self, message: Incoming, error: str) -> Judgement:
        if message.deliveries >= self._spec.max_deliver:
            return Judgement(Verdict.PARK, f"projection failed: {error}")
        return Judgement(Verdict.WAIT, f"projection failed: {error}")

    async def _record(
        self, conn: asyncpg.Connection, message: Incoming, judgement: Judgement, state: _BatchState
    ) -> Outcome:
        stream = message.stream_id
        if judgement.verdict is Verdict.PARK:
            await books.park(conn, self._spec.name, message, judgement.reason)
            # A foreigner holds up no real aggregate: it never names one truly.
            if stream and not judgement.reason.startswith(books.FOREIGN):
                state.parked.add(stream)
            return Outcome(Verdict.PARK)
        assert stream is not None
        assert message.envelope is not None
        if judgement.verdict is Verdict.WAIT:
            state.waiting.add(stream)
            if judgement.gap:
                return Outcome(Verdict.WAIT, self._spec.gap_delay)
            return Outcome(Verdict.WAIT, self._spec.delay_after(message.deliveries))
        if judgement.verdict is Verdict.APPLY:
            state.versions[stream] = state.changed[stream] = message.envelope.stream_version
            return Outcome(Verdict.APPLY, skipped=message.unknown_type)
        return Outcome(Verdict.DUPLICATE)

    async def _apply_isolated(
        self, conn: asyncpg.Connection, received: ReceivedEvent | None
    ) -> str | None:
        assert received is not None
        try:
            async with conn.transaction():  # a savepoint inside the batch transaction
                await self._projection.apply(conn, [received])
        except INFRASTRUCTURE_ERRORS:
            raise
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return None

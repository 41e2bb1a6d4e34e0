"""Keeping a durable consumer on the server as the read model needs it, outside the fetch
loop: declared at start, looked up every few seconds, and recreated from the checkpoint in
PostgreSQL when someone deleted or changed it (a pull on a deleted consumer gets no answer
but "no responders", and nothing else would ever notice).

The lag is measured here too, so that it is a fact, not a default: the count of messages
JetStream still holds for a consumer known to start no later than the checkpoint, and NaN
while the server cannot be asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Awaitable, Callable

from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo
from nats.js.errors import BadRequestError, NotFoundError, ServerError

from ..logging import get_logger
from ..metrics import KernelMetrics
from ..pool import LeanPool
from ..relay.leadership import sleep_unless
from ..streams import stream_owner
from . import bookkeeping as books
from .batch import BatchProcessor, ConsumerRetired, Fence
from .spec import ConsumerConfigConflict, ConsumerSpec, StreamMissing, drift

log = get_logger("chibo.consumer")

_STREAM_NOT_FOUND = 10059


class DurableUpkeep:
    def __init__(
        self,
        spec: ConsumerSpec,
        js: Callable[[], JetStreamContext],
        pool: LeanPool,
        metrics: KernelMetrics,
        processor: BatchProcessor,
        fence: Fence | None,
    ) -> None:
        self._spec, self._js, self._pool, self._metrics = spec, js, pool, metrics
        self._processor, self._fence = processor, fence
        # Why the consumer cannot be trusted to be current, for readiness; None when it can.
        self.problem: str | None = None
        # The watch and a pull that met no responders may both find it gone: one recreates.
        self._checking = asyncio.Lock()
        metrics.consumer_recreated.labels(spec.name)  # 0 until it happens: dashboards see it

    async def declare(self) -> None:
        """At start: bind to the durable consumer, creating it (from the checkpoint if the
        read model has one); a consumer of another configuration stops start-up, as a
        changed spec needs a new versioned name."""
        info = await self._info()
        if info is not None and (changed := drift(self._spec, info.config)) is not None:
            raise ConsumerConfigConflict(
                f"durable consumer {self._spec.name} exists with another configuration "
                f"({changed}); give the changed consumer a new versioned name"
            )
        start = await books.resume_seq(self._pool, self._spec.name)
        with contextlib.suppress(ConsumerRetired):  # its loop stops at the first fetch
            if info is None and start is None:
                await self._create(await self._start_seq(), "first start")
            elif info is None:
                await self._recreate("deleted while the service was away", None)
            elif (late := _starts_late(info, start)) is not None:
                await self._recreate(late, info)
            elif await books.stream_created(self._pool, self._spec.name) is None:
                await self._start_seq()  # bound to a consumer made before streams were noted
        await self.refresh_owner()

    async def refresh_owner(self) -> None:
        self._processor.owner = await stream_owner(self._js(), self._spec.stream)

    async def check(self) -> bool:
        """Look the consumer up, recreate it if it is gone or changed, measure the lag.
        False once the read model was retired (the caller stops)."""
        async with self._checking:
            return await self._check()

    async def _check(self) -> bool:
        try:
            info = await self._info()
            if info is None:
                info = await self._recreate("deleted from the server", None)
            elif (wrong := await self._wrong(info)) is not None:
                info = await self._recreate(wrong, info)
            await self.refresh_owner()
        except ConsumerRetired:
            return False
        except Exception as exc:  # NATS away, or the stream gone: the lag is not known
            self.unknown(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
            return True
        if info is not None:
            self.record_pending(int(info.num_pending or 0) + int(info.num_ack_pending or 0))
        return True

    def record_pending(self, pending: int) -> None:
        self.problem = None
        labels = (self._spec.name, self._spec.stream)
        self._metrics.consumer_lag.labels(*labels).set(pending)
        if not pending:
            self._metrics.consumer_lag_seconds.labels(*labels).set(0)

    def unknown(self, why: str) -> None:
        self.problem = f"lag unknown: {why}"
        labels = (self._spec.name, self._spec.stream)
        self._metrics.consumer_lag.labels(*labels).set(math.nan)
        self._metrics.consumer_lag_seconds.labels(*labels).set(math.nan)

    async def _wrong(self, info: ConsumerInfo) -> str | None:
        changed = drift(self._spec, info.config)
        if changed is not None:
            return f"changed on the server: {changed}"
        if info.config.opt_start_seq is None:
            return None  # from the stream's start: nothing can have been skipped
        return _starts_late(info, await books.resume_seq(self._pool, self._spec.name))

    async def _start_seq(self) -> int | None:
        """Where a consumer created now starts: after the checkpoint, unless the stream was
        deleted and declared again since (its sequences start over): then from its start,
        the versions recognising what was applied already."""
        name = self._spec.name
        try:
            stream = await self._js().stream_info(self._spec.stream)
        except NotFoundError as exc:
            raise StreamMissing(f"stream {self._spec.stream} does not exist yet") from exc
        created = None if stream.created is None else stream.created.isoformat()
        known = await books.stream_created(self._pool, name)
        resume = await books.resume_seq(self._pool, name)
        replaced = known is not None and known != created
        if replaced or (resume is not None and resume > stream.state.last_seq + 1):
            log.warning(
                "the stream was replaced since the checkpoint; the consumer reads it from "
                "the start",
                consumer=name,
                stream=self._spec.stream,
                checkpoint_stream=known,
                stream_created=created,
            )
            await books.forget_position(self._pool, name)
            resume = None
        await books.remember_stream(self._pool, name, created)
        return resume

    async def _info(self) -> ConsumerInfo | None:
        try:
            info: ConsumerInfo = await self._js().consumer_info(self._spec.stream, self._spec.name)
            return info
        except NotFoundError as exc:
            if exc.err_code == _STREAM_NOT_FOUND:
                raise StreamMissing(f"stream {self._spec.stream} does not exist yet") from exc
            return None

    async def _recreate(self, why: str, found: ConsumerInfo | None) -> ConsumerInfo | None:
        if self._fence is not None:  # a retired generation's consumer stays deleted
            async with self._pool.acquire() as conn, conn.transaction():
                await self._fence(conn)
        start = await self._start_seq()
        if found is not None:
            with contextlib.suppress(NotFoundError):
                await self._js().delete_consumer(self._spec.stream, self._spec.name)
        created = await self._create(start, why)
        self._metrics.consumer_recreated.labels(self._spec.name).inc()
        log.warning(
            "durable consumer recreated from the read model's checkpoint",
            consumer=self._spec.name,
            stream=self._spec.stream,
            reason=why,
            start_seq=start or 1,
            created_here=created,
        )
        return await self._info()

    async def _create(self, start: int | None, why: str) -> bool:
        """False if another instance created it first (with a start of its own, from the
        same checkpoint)."""
        try:
            await self._js().add_consumer(self._spec.stream, self._spec.server_config(start))
        except NotFoundError as exc:
            raise StreamMissing(f"stream {self._spec.stream} does not exist yet") from exc
        except (BadRequestError, ServerError) as exc:
            info = await self._info()
            if info is None or drift(self._spec, info.config) is not None:
                raise ConsumerConfigConflict(
                    f"durable consumer {self._spec.name} could not be created ({why}): {exc}"
                ) from exc
            return False
        return True


def _starts_late(info: ConsumerInfo, resume: int | None) -> str | None:
    """Why a consumer starting where it does would skip messages the read model lacks."""
    start = info.config.opt_start_seq
    if start is None or start <= (resume or 1):
        return None
    return f"starts at stream sequence {start}, after the checkpoint's {resume or 1}"


async def wait_for_stream(
    spec: ConsumerSpec, ensure: Callable[[], Awaitable[None]], stop: asyncio.Event
) -> bool:
    """Services start in any order: a consumer waits for the stream's owner to declare it,
    rather than failing the whole service. False if asked to stop meanwhile."""
    attempt = 0
    while not stop.is_set():
        try:
            await ensure()
            return True
        except StreamMissing:
            attempt += 1
            log.warning(
                "waiting for the stream to be declared by its owning service",
                **{"consumer": spec.name, "stream": spec.stream, "attempt": attempt},
            )
            await sleep_unless(stop, min(5.0, 0.2 * 2**attempt))
    return False

"""The retention policy applied once a day by every running service, at the policy's hour
(Vietnam time), and at start when a day's run was missed (the service was down at that
hour, or a run failed). Every instance looks every few minutes; the advisory lock lets one
apply, and the others then find the day's run recorded."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg

from chibo_kernel.clock import VIETNAM
from chibo_kernel.errors import ChiboError
from chibo_kernel.logging import get_logger
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool

from .category import Category, kernel_categories
from .policy import RetentionPolicy, load_policy
from .run import apply_retention, report_last_success

log = get_logger("chibo.retention")
POLL_SECONDS = 300.0  # how often each instance looks whether the day's run is done


def latest_slot(now: datetime, hour: int) -> datetime:
    """The most recent scheduled moment at or before `now`: today at `hour` in Vietnam, or
    yesterday's if that is still to come."""
    local = now.astimezone(VIETNAM)
    slot = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return slot if slot <= local else slot - timedelta(days=1)


def is_due(last_success: datetime, now: datetime, hour: int) -> bool:
    return last_success < latest_slot(now, hour)


def failure_named(exc: BaseException) -> str:
    """What failed, without the message: an erasure's refusal names the person, and a
    database error may quote a value."""
    if isinstance(exc, ChiboError):
        return f"{type(exc).__name__} ({exc.code})"
    if isinstance(exc, asyncpg.PostgresError):
        return f"{type(exc).__name__} (SQLSTATE {exc.sqlstate})"
    return type(exc).__name__


async def retain_periodically(
    pool: LeanPool,
    service: str,
    categories: Sequence[Category],
    policy: RetentionPolicy,
    metrics: KernelMetrics,
    stop: asyncio.Event,
    poll_seconds: float = POLL_SECONDS,
) -> None:
    """Until `stop`: show the recorded last success, and apply the policy when a day's run
    is due; a failed round (the database away) is tried again at the next look."""
    while not stop.is_set():
        try:
            last = await report_last_success(pool, service, metrics)
            if is_due(last, datetime.now(VIETNAM), policy.schedule.hour):
                report = await apply_retention(pool, service, categories, policy, metrics=metrics)
                if not report.skipped:
                    log.info(
                        "retention policy applied",
                        seconds=round(report.seconds, 1),
                        removed=report.counts,  # per category: counts only
                    )
        except Exception as exc:
            log.warning("applying the retention policy failed", error=failure_named(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=poll_seconds)


class RetentionSchedule:
    """The runtime's part: the policy (read when made, so a bad file stops the service
    before it listens), every service's categories with the service's own, and the loop."""

    def __init__(
        self, service: str, policy_file: str | Path | None, own: Sequence[Category] = ()
    ) -> None:
        self.service = service
        self.policy = load_policy(policy_file)
        self.categories: list[Category] = [*kernel_categories(), *own]

    async def loop(self, pool: LeanPool, metrics: KernelMetrics, stop: asyncio.Event) -> None:
        """The daily loop; at once over when the policy switches scheduled runs off (no
        last success is shown then, so no alert either)."""
        if self.policy.schedule.enabled:
            await retain_periodically(
                pool, self.service, self.categories, self.policy, metrics, stop
            )

"""The runtime's background loops: started with a log line should one die, and stopped
with a grace period."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import Any

from chibo_kernel.logging import get_logger

log = get_logger("chibo.runtime")


def spawn(work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    task = asyncio.create_task(work, name=name)
    task.add_done_callback(_report_exit)
    return task


def _report_exit(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background loop died", task=task.get_name(), error=repr(task.exception()))


async def finish(tasks: Sequence[asyncio.Task[None]], grace_seconds: float) -> None:
    """Wait for loops told to stop: each finishes the batch in hand; one stuck past the grace
    period is cancelled."""
    if not tasks:
        return
    _, late = await asyncio.wait(tasks, timeout=grace_seconds)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)

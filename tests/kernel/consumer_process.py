"""A consumer as its own process, for tests that SIGKILL it. Configured by argv:

consumer_process.py DATABASE_URL NATS_URL SERVICE CONSUMER_NAME BATCH_DELAY
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chibo_kernel import ConsumerSpec, EventConsumer, KernelMetrics
from chibo_kernel.db import create_pool
from chibo_kernel.nats_client import nats_broker
from chibo_kernel.streams import StreamSpec
from chibo_kernel.subjects import category_subjects
from kernel.support import LoggingProjection, event_models


async def main(database_url: str, nats_url: str, service: str, name: str, delay: float) -> None:
    _, _, registry = event_models(service)
    pool = await create_pool(database_url)
    broker = nats_broker(nats_url, name=name)
    await broker.connect()
    spec = ConsumerSpec(
        name=name,
        stream=StreamSpec(service).name,
        filter_subjects=[category_subjects(service, "thing")],
        batch_size=50,
        ack_wait_seconds=2.0,
    )
    consumer = EventConsumer(
        spec,
        pool=pool,
        broker=broker,
        registry=registry,
        projection=LoggingProjection(name, batch_delay=delay),
        metrics=KernelMetrics(),
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("consumer ready", flush=True)
    await consumer.run(stop)
    await broker.stop()
    await pool.close()


if __name__ == "__main__":
    url, nats_url, service, name, delay = sys.argv[1:6]
    asyncio.run(main(url, nats_url, service, name, float(delay)))

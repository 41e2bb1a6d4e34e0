"""`chibo-<service> rebuild`: the service's own read models replayed from its event store
while the running service keeps serving them, with a progress bar; a read model consumed
from another service's stream is given a new generation, which the running service fills
and switches to. It works on the database directly (like `migrate`), so it needs the
service's database settings (and the keyring database's, where the keys live apart), not a
token."""

from __future__ import annotations

import asyncio
import sys
import time

from chibo_kernel.db import create_pool
from chibo_kernel.read_models import (
    AlreadyRebuilding,
    ConsumedReadModel,
    OwnReadModels,
    rebuild_own,
    request_rebuild,
)
from chibo_kernel.read_models.consumed import generation_of, state_of

from .keyring_database import command_keyring
from .progress import draw


def progress_bar(done: int, total: int) -> None:
    draw(done, total, "events replayed")


async def rebuild_own_read_models(
    database_url: str, spec: OwnReadModels, keyring_url: str | None = None
) -> int:
    """`keyring_url`: the province's keyring database, when the keys are not in this one."""
    pool = await create_pool(database_url, max_size=1)
    try:
        async with command_keyring(database_url, keyring_url) as keyring:
            rebuilt = await rebuild_own(pool, spec, progress_bar, keyring)
    except AlreadyRebuilding:
        print(
            f"\n{spec.name}: another rebuild is running; wait for it\n"
            f"{spec.name}: một lần dựng lại khác đang chạy; hãy chờ nó xong",
            file=sys.stderr,
        )
        return 1
    finally:
        await pool.close()
    sys.stderr.write("\n")
    print(
        f"{spec.name} read models rebuilt by projection version {rebuilt.version}: "
        f"{rebuilt.events} events in {rebuilt.seconds:.1f} s; commands waited "
        f"{rebuilt.held_seconds:.2f} s for the swap"
    )
    return 0


async def rebuild_consumed_read_model(
    database_url: str, model: ConsumedReadModel, wait_seconds: float = 3600
) -> int:
    """Asks for a new generation (the running instances fill it from the source stream)
    and waits for the switch, printing how far the new generation has read."""
    pool = await create_pool(database_url, max_size=1)
    try:
        generation = await request_rebuild(pool, model)
        base = (await generation_of(pool, model, generation)).base
        consumers = [spec.name for spec, _ in model.consumers(base)]
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            state = await state_of(pool, model, generation)
            if state != "building":
                print(f"{model.name} rebuilt: generation {generation} is {state}")
                return 0 if state == "active" else 1
            position = await pool.fetchval(_POSITION, consumers) or 0
            sys.stderr.write(f"\r{model.name} generation {generation}: stream position {position}")
            sys.stderr.flush()
            await asyncio.sleep(POLL_SECONDS)  # the running service does the work
    finally:
        await pool.close()
    print(
        f"\n{model.name} generation {generation} is still building after {wait_seconds:.0f} s: "
        "is the service running? Run the command again to keep watching.\n"
        f"{model.name} thế hệ {generation} vẫn đang dựng sau {wait_seconds:.0f} giây: dịch vụ có "
        "đang chạy không? Chạy lại lệnh để tiếp tục theo dõi.",
        file=sys.stderr,
    )
    return 1


POLL_SECONDS = 1.0
# Summed over the generation's sources: how many of their events it has read.
_POSITION = "SELECT sum(stream_seq) FROM consumer_positions WHERE consumer = ANY($1::text[])"

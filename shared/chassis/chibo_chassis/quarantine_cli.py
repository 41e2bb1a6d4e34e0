"""`chibo-<service> relay quarantine list|purge`: the messages the relay found on the
service's own stream that its event store did not write, and deleting them from the stream
by sequence. It works on the database and NATS directly (like `migrate`), with the
service's own settings; consumers have parked those messages already, so purging them
changes no read model."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from chibo_kernel.db import create_pool
from chibo_kernel.nats_client import nats_broker
from chibo_kernel.relay.quarantine import purge, quarantined
from chibo_kernel.streams import StreamSpec

from .settings import KernelSettings, settings_or_exit


def relay_command(service: str, settings_class: type[KernelSettings], argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"chibo-{service} relay")
    areas = parser.add_subparsers(dest="area", required=True)
    quarantine = areas.add_parser("quarantine", help="foreign messages found on the stream")
    quarantine.add_argument("action", choices=["list", "purge"])
    quarantine.add_argument(
        "--seq", type=int, action="append", help="purge only this stream sequence (repeatable)"
    )
    quarantine.add_argument("--all", action="store_true", help="list purged ones too")
    args = parser.parse_args(argv)
    settings = settings_or_exit(settings_class)
    if args.action == "list":
        return asyncio.run(list_quarantined(service, settings, include_purged=args.all))
    return asyncio.run(purge_quarantined(service, settings, args.seq))


async def list_quarantined(
    service: str, settings: KernelSettings, *, include_purged: bool = False
) -> int:
    stream = StreamSpec(service).name
    pool = await create_pool(settings.database_url, max_size=1)
    try:
        found = await quarantined(pool, stream, include_purged=include_purged)
    finally:
        await pool.close()
    print(f"{len(found)} quarantined message(s) on {stream}")
    for m in found:
        purged = f"  purged {m.purged_at:%Y-%m-%d %H:%M:%S}" if m.purged_at else ""
        print(
            f"#{m.stream_seq}  {m.subject}  msg-id={m.msg_id}  store={m.store}  "
            f"found {m.found_at:%Y-%m-%d %H:%M:%S}{purged}"
        )
    return 0


async def purge_quarantined(
    service: str, settings: KernelSettings, seqs: Sequence[int] | None = None
) -> int:
    stream = StreamSpec(service).name
    password = settings.nats_password.get_secret_value() if settings.nats_password else None
    broker = nats_broker(
        settings.nats_servers,
        name=f"chibo-{service}-cli",
        user=settings.nats_user,
        password=password,
    )
    pool = await create_pool(settings.database_url, max_size=1)
    try:
        nc = await broker.connect()
        purged = await purge(pool, nc.jetstream(), stream, list(seqs) if seqs else None)
    finally:
        await pool.close()
        await broker.stop()
    if seqs and len(purged) < len(set(seqs)):
        missing = sorted(set(seqs) - set(purged))
        print(
            f"not quarantined on {stream}, left alone: {missing}\n"
            f"không nằm trong danh sách cách ly của {stream}, không xoá: {missing}",
            file=sys.stderr,
        )
    print(f"purged {len(purged)} message(s) from {stream}: {purged}")
    return 1 if seqs and len(purged) < len(set(seqs)) else 0

"""`chibo-assignment import FILE`: the initial load of a province's members, from a shell,
with a progress bar. Writes events only; the running service publishes them."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from chibo_chassis.keyring_database import command_keyring
from chibo_chassis.progress import draw
from chibo_kernel.clock import VIETNAM
from chibo_kernel.db import create_pool
from chibo_kernel.store import PostgresEventStore

from ..adapters.member_file import MemberFileError
from ..application.member_import import MemberImport
from ..application.repository import assignment_repository


def progress_bar(done: int, total: int) -> None:
    draw(done, total, "members written")
    if done >= total:
        sys.stderr.write("\n")


async def run_import(database_url: str, path: Path, keyring_url: str | None = None) -> int:
    """`keyring_url`: the province's keyring database, where the keys of the names and
    identities sealed here go (by default this database)."""
    pool = await create_pool(database_url, max_size=2)
    try:
        async with command_keyring(database_url, keyring_url) as keyring:
            store = PostgresEventStore(pool, keyring=keyring)
            repository = assignment_repository(lambda: store)
            importer = MemberImport(repository, pool, today=datetime.now(VIETNAM).date())
            try:
                report = await importer.run(path, progress_bar)
            except MemberFileError as refused:
                print(f"{refused.message_en}\n{refused.message_vi}", file=sys.stderr)
                return 2
    finally:
        await pool.close()
    print(report.summary())
    for error in report.errors:
        print(f"line {error.line}: {error.field}: {error.reason_en} / {error.reason_vi}")
    return 0

"""`chibo-<service> privacy seal-legacy [--batch N]`: seals, in place, the personal fields
of private events written before encryption (see `chibo_kernel.store.legacy_sealing`), so
that erasing a person reaches them too. A one-off: resumable, and safe to run again or
twice at once. It works on the database directly (like `migrate`), with the service's own
settings, master key and keyring (the province's keyring database when
`CHIBO_KEYRING_DATABASE_URL` names one); the service keeps serving while it runs.
`chibo-<service> privacy retention [--dry-run]` applies the retention policy now
(`retention/cli.py`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

import asyncpg

from chibo_kernel.db import create_pool
from chibo_kernel.errors import ChiboError, ConfigurationError
from chibo_kernel.events import EventRegistry
from chibo_kernel.store.legacy_sealing import DEFAULT_BATCH, LegacySealed, seal_legacy

from .keyring_database import open_keyring
from .progress import draw
from .retention.cli import ServiceCategories, retention_command
from .settings import KernelSettings, settings_or_exit

SHOWN_UNSEALABLE = 10  # rows named in the failure message; the rest are counted


def privacy_command(
    service: str,
    settings_class: type[KernelSettings],
    registry: EventRegistry,
    argv: Sequence[str],
    retention: ServiceCategories | None = None,
) -> int:
    """`retention`: the service's own retention categories, beside every service's."""
    parser = argparse.ArgumentParser(prog=f"chibo-{service} privacy")
    actions = parser.add_subparsers(dest="action", required=True)
    seal = actions.add_parser(
        "seal-legacy", help="encrypt personal fields of private events stored before encryption"
    )
    seal.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="rows per transaction")
    retain = actions.add_parser(
        "retention", help="apply the retention policy now (docs/privacy.md, section 7)"
    )
    retain.add_argument("--dry-run", action="store_true", help="count, change nothing")
    args = parser.parse_args(argv)
    if args.action == "retention":
        configured = settings_or_exit(settings_class)
        return asyncio.run(retention_command(service, configured, retention, dry_run=args.dry_run))
    if args.batch < 1:
        parser.error("--batch must be at least 1 / --batch phải lớn hơn hoặc bằng 1")
    settings = settings_or_exit(settings_class)
    return asyncio.run(seal_legacy_rows(service, settings, registry, args.batch))


def progress_line(done: int, total: int) -> None:
    draw(done, total, f"legacy rows sealed, {max(total - done, 0)} remaining")


async def seal_legacy_rows(
    service: str, settings: KernelSettings, registry: EventRegistry, batch: int
) -> int:
    """0 when every plaintext row this run found is sealed; otherwise 1, saying why in
    English and Vietnamese."""
    try:
        master = settings.master()
        pool = await create_pool(settings.database_url, max_size=2)
        keys_pool = None
        try:
            keyring, keys_pool = await open_keyring(settings, pool, master, serving=False)
            result = await seal_legacy(pool, registry, keyring, batch, progress_line)
        finally:
            for opened in (pool, keys_pool):
                if opened is not None:
                    await opened.close()
    except ConfigurationError as exc:  # its problem is in English only
        return _failed(
            service,
            exc.message_en,
            f"lỗi cấu hình: {exc.variable} chưa được đặt hoặc không hợp lệ: hãy dùng đúng khóa "
            "chủ của dịch vụ (docs/operations.md, khóa chủ); chưa có gì thay đổi",
        )
    except ChiboError as exc:
        return _failed(service, exc.message_en, exc.message_vi)
    except (OSError, asyncpg.PostgresError) as exc:
        return _failed(
            service,
            f"the database failed ({exc}); every batch already committed stays sealed: run the "
            "command again to go on",
            "cơ sở dữ liệu gặp lỗi (chi tiết ở dòng tiếng Anh); các lô đã ghi vẫn được mã hóa: "
            "hãy chạy lại lệnh để làm tiếp",
        )
    sys.stderr.write("\n")
    print(summary(service, result))
    if result.unsealable:
        return _failed(service, *unsealable_message(result))
    return 0


def summary(service: str, result: LegacySealed) -> str:
    return (
        f"chibo-{service} privacy seal-legacy: {result.sealed} row(s) sealed, "
        f"{result.emptied} row(s) of erased people emptied, {len(result.unsealable)} left "
        f"unsealed, of {result.found} plaintext row(s) found, in {result.seconds:.1f} s; "
        f"{result.remaining} plaintext row(s) remain in the table"
    )


def unsealable_message(result: LegacySealed) -> tuple[str, str]:
    shown = ", ".join(
        f"{stream} v{version}" for stream, version in result.unsealable[:SHOWN_UNSEALABLE]
    )
    more = len(result.unsealable) - SHOWN_UNSEALABLE
    rest_en = f" and {more} more" if more > 0 else ""
    rest_vi = f" và {more} dòng khác" if more > 0 else ""
    return (
        f"{len(result.unsealable)} row(s) name no data subject, so no key can seal them: "
        f"{shown}{rest_en}; they were left as they are",
        f"{len(result.unsealable)} dòng không ghi chủ thể dữ liệu nên không có khóa nào để mã "
        f"hóa: {shown}{rest_vi}; các dòng này được giữ nguyên",
    )


def _failed(service: str, message_en: str, message_vi: str) -> int:
    print(
        f"\nchibo-{service} privacy seal-legacy: {message_en}\n"
        f"chibo-{service} privacy seal-legacy: {message_vi}",
        file=sys.stderr,
    )
    return 1

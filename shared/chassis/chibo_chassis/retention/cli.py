"""`chibo-<service> privacy retention [--dry-run]`: apply the deployment's retention policy
now (as the running service does once a day) and print, per category, how many rows were
removed, texts emptied or members erased; with `--dry-run`, how many would be, changing
nothing. Counts only: never a value. Safe beside the running service: one of them applies
at a time (an advisory lock), the other says so."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import asyncpg

from chibo_kernel.db import create_pool
from chibo_kernel.errors import ChiboError
from chibo_kernel.pool import LeanPool

from ..progress import draw
from ..settings import KernelSettings
from .category import Category, kernel_categories
from .policy import load_policy
from .run import RetentionReport, apply_retention

# The service's own categories (and what they need opened, e.g. a keyring), for the run.
ServiceCategories = Callable[
    [KernelSettings, LeanPool], AbstractAsyncContextManager[Sequence[Category]]
]

LABELS_VI = {
    "personal_data_reads": "nhật ký đọc dữ liệu cá nhân",
    "parked_messages": "tin nhắn treo đã phát lại",
    "quarantined_messages": "tin nhắn cách ly đã xóa khỏi luồng",
    "household_texts": "văn bản tự do về hộ",
    "former_members": "đảng viên đã ra khỏi Đảng, đến hạn xóa",
    "import_jobs": "lượt nhập danh sách đảng viên đã xong",
}


@asynccontextmanager
async def _no_more(settings: KernelSettings, pool: LeanPool) -> AsyncIterator[list[Category]]:
    yield []


async def retention_command(
    service: str,
    settings: KernelSettings,
    own: ServiceCategories | None,
    *,
    dry_run: bool,
) -> int:
    """0 when the policy was applied (or counted); 1, saying why in both languages, when
    not."""
    try:
        policy = load_policy(settings.retention_file)
        pool = await create_pool(settings.database_url, max_size=4)
        try:
            async with (own or _no_more)(settings, pool) as more:
                categories = [*kernel_categories(), *more]
                report = await apply_retention(
                    pool, service, categories, policy, dry_run=dry_run, progress=_progress
                )
        finally:
            await pool.close()
    except ChiboError as exc:  # a bad policy file, a missing master key
        return _failed(service, exc.message_en, exc.message_vi)
    except (OSError, asyncpg.PostgresError) as exc:
        return _failed(
            service,
            f"the database failed ({type(exc).__name__}); every batch already committed "
            "stays applied: run the command again to go on",
            "cơ sở dữ liệu gặp lỗi; các lô đã ghi vẫn giữ nguyên: hãy chạy lại lệnh để làm tiếp",
        )
    if report.skipped:
        return _failed(
            service,
            "another instance is applying the retention policy right now: nothing was done; "
            "run the command again once it has finished",
            "một phiên bản khác đang áp dụng chính sách lưu trữ: chưa làm gì; hãy chạy lại "
            "lệnh khi phiên bản đó xong",
        )
    if report.total and not dry_run:
        sys.stderr.write("\n")
    print(summary(service, policy.source, report))
    return 0


def summary(service: str, source: str, report: RetentionReport) -> str:
    head = (
        "dry run, nothing changed · chạy thử, không thay đổi gì"
        if report.dry_run
        else (f"applied in {report.seconds:.1f} s · đã áp dụng")
    )
    lines = [f"chibo-{service} privacy retention ({head}); policy: {source}"]
    width = max((len(name) for name in report.due), default=0)
    for name, due in report.due.items():
        label = f"{name:<{width}}  ({LABELS_VI.get(name, name)})"
        if report.dry_run:
            lines.append(f"  {label}: {due} past its period, would be removed · sẽ xóa {due}")
        else:
            done = report.counts.get(name, 0)
            lines.append(f"  {label}: {done} removed of {due} due · đã xóa {done}/{due}")
    return "\n".join(lines)


def _progress(done: int, due: int) -> None:
    draw(done, due, "removed · đã xóa")


def _failed(service: str, message_en: str, message_vi: str) -> int:
    print(
        f"chibo-{service} privacy retention: {message_en}\n"
        f"chibo-{service} privacy retention: {message_vi}",
        file=sys.stderr,
    )
    return 1

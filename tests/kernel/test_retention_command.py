"""`chibo-<service> privacy retention [--dry-run]`: counts per category, never a value, a
progress line while it removes, and a clear refusal in both languages when it cannot run."""

from __future__ import annotations

from pathlib import Path

import pytest

from chibo_chassis import KernelSettings
from chibo_chassis.retention.cli import retention_command
from chibo_kernel.pool import LeanPool

from .test_retention_runs import parked, read_logged

NOT_USED = "nats://127.0.0.1:1"  # the command never connects to NATS


def settings_for(database_url: str, retention_file: str | None = None) -> KernelSettings:
    return KernelSettings(
        database_url=database_url, nats_url=NOT_USED, retention_file=retention_file
    )


async def test_a_dry_run_prints_what_would_go_per_category_and_changes_nothing(
    pool: LeanPool, kernel_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await read_logged(pool, "3 years")
    await parked(pool, 1, "1 year")
    assert await retention_command("kernel", settings_for(kernel_db), None, dry_run=True) == 0
    out = capsys.readouterr().out
    assert "dry run, nothing changed · chạy thử, không thay đổi gì); policy: defaults" in out
    assert "personal_data_reads   (nhật ký đọc dữ liệu cá nhân): 1 past its period" in out
    assert "parked_messages       (tin nhắn treo đã phát lại): 1 past its period" in out
    assert "quarantined_messages  (tin nhắn cách ly đã xóa khỏi luồng): 0 past its period" in out
    assert "Nguyen Van A" not in out  # the parked body's name: counts only
    assert await pool.fetchval("SELECT count(*) FROM parked_messages") == 1


async def test_applying_prints_what_went_with_a_progress_line(
    pool: LeanPool, kernel_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await read_logged(pool, "3 years")
    await parked(pool, 1, "1 year")
    await parked(pool, 2, "10 days")
    policy = tmp_path / "retention.toml"
    policy.write_text("[parked_messages]\nkeep_days = 5\n")
    settings = settings_for(kernel_db, retention_file=str(policy))
    assert await retention_command("kernel", settings, None, dry_run=False) == 0
    out, err = capsys.readouterr()
    assert f"policy: {policy}" in out
    assert "personal_data_reads   (nhật ký đọc dữ liệu cá nhân): 1 removed of 1 due" in out
    assert "parked_messages       (tin nhắn treo đã phát lại): 2 removed of 2 due" in out
    assert "] 3/3 removed · đã xóa" in err
    assert await pool.fetchval("SELECT count(*) FROM retention_runs") == 1


async def test_a_bad_policy_file_or_a_run_in_progress_is_refused_in_both_languages(
    pool: LeanPool, kernel_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "retention.toml"
    policy.write_text("[personal_data_reads]\nkeep_years = 1\n")
    bad = settings_for(kernel_db, retention_file=str(policy))
    assert await retention_command("kernel", bad, None, dry_run=True) == 1
    english, vietnamese = capsys.readouterr().err.strip().splitlines()
    assert english.startswith("chibo-kernel privacy retention: configuration error: ")
    assert f"{policy}:2: personal_data_reads.keep_years" in english
    assert vietnamese.startswith("chibo-kernel privacy retention: lỗi cấu hình: ")

    async with pool.acquire() as holder:  # another instance applying the policy now
        await holder.fetchval(
            "SELECT pg_advisory_lock(hashtextextended('chibo-retention:' || $1, 0))", "kernel"
        )
        code = await retention_command("kernel", settings_for(kernel_db), None, dry_run=False)
        await holder.fetchval(
            "SELECT pg_advisory_unlock(hashtextextended('chibo-retention:' || $1, 0))", "kernel"
        )
    assert code == 1
    english, vietnamese = capsys.readouterr().err.strip().splitlines()
    assert "another instance is applying the retention policy right now" in english
    assert "một phiên bản khác đang áp dụng chính sách lưu trữ" in vietnamese
    assert await pool.fetchval("SELECT count(*) FROM retention_runs") == 0

"""The retention policy file: the shipped one says what the defaults are, a bad one stops a
service at start in English and Vietnamese naming the file, line and key, and no file can
keep the personal data read log less than two years. And when the daily run is due."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chibo_chassis.retention import RetentionPolicy, RetentionPolicyError, load_policy
from chibo_chassis.retention.schedule import is_due, latest_slot
from chibo_kernel.clock import VIETNAM
from chibo_kernel.keyring import new_master_key_text

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "deploy" / "retention.toml"
KUBERNETES_FILE = ROOT / "deploy" / "k8s" / "base" / "retention.toml"


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "retention.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> RetentionPolicyError:
    with pytest.raises(RetentionPolicyError) as caught:
        load_policy(path)
    return caught.value


@pytest.mark.parametrize("shipped", [COMPOSE_FILE, KUBERNETES_FILE], ids=["compose", "k8s"])
def test_each_deployment_s_file_holds_the_proposed_periods_which_are_the_defaults(
    shipped: Path,
) -> None:
    policy = load_policy(shipped)
    assert policy.model_dump() == RetentionPolicy().model_dump()
    assert policy.source == str(shipped)
    assert load_policy(None).source == "defaults"
    assert (policy.personal_data_reads.keep_years, policy.household_texts.keep_years) == (2, 2)
    assert (policy.parked_messages.keep_days, policy.quarantined_messages.keep_days) == (90, 90)
    assert (policy.former_members.keep_years, policy.former_members.erase) == (5, True)
    assert (policy.schedule.enabled, policy.schedule.hour) == (True, 2)


def test_a_file_may_name_only_what_it_changes(tmp_path: Path) -> None:
    policy = load_policy(written(tmp_path, "[parked_messages]\nkeep_days = 30\n"))
    assert policy.parked_messages.keep_days == 30
    assert policy.quarantined_messages.keep_days == 90


def test_a_read_log_kept_less_than_two_years_is_refused_at_load(tmp_path: Path) -> None:
    path = written(tmp_path, "[schedule]\nhour = 3\n\n[personal_data_reads]\nkeep_years = 1\n")
    error = refused(path)
    assert error.message_en == (
        f"configuration error: CHIBO_RETENTION_FILE: {path}:5: personal_data_reads.keep_years: "
        "1 is less than the 2-year floor of the personal data read log (the database refuses "
        "to delete younger rows); nothing was applied"
    )
    assert error.message_vi == (
        f"lỗi cấu hình: CHIBO_RETENTION_FILE: {path}:5: personal_data_reads.keep_years: "
        "1 nhỏ hơn mức tối thiểu 2 năm của nhật ký đọc dữ liệu cá nhân (cơ sở dữ liệu không "
        "cho xóa dòng mới hơn); chưa áp dụng gì"
    )


@pytest.mark.parametrize(
    ("text", "where", "english", "vietnamese"),
    [
        (
            "[parked_messages]\nkeep_dayz = 30\n",
            ":2: parked_messages.keep_dayz",
            "unknown key: check its spelling",
            "khóa không xác định: hãy kiểm tra chính tả",
        ),
        (
            "# comment\n[schedule]\nhour = 24\n",
            ":3: schedule.hour",
            "24 must be at most 23",
            "24 phải tối đa là 23",
        ),
        (
            "[former_members]\nerase = true\nkeep_years = 4\n",
            ":3: former_members.keep_years",
            "4 is less than the 5 years the Party keeps a closed member record",
            "4 nhỏ hơn 5 năm lưu hồ sơ đảng viên đã khép lại",
        ),
        (
            '[household_texts]\nkeep_years = "two"\n',
            ":2: household_texts.keep_years",
            "'two': Input should be a valid integer",
            "'two': sai kiểu giá trị",
        ),
        (
            "[schedule]\nhour = \n",
            "",
            "not valid TOML: Invalid value (at line 2, column 8)",
            "không đúng cú pháp TOML: dòng 2, cột 8",
        ),
    ],
)
def test_a_bad_file_is_refused_in_both_languages_naming_line_and_key(
    tmp_path: Path, text: str, where: str, english: str, vietnamese: str
) -> None:
    path = written(tmp_path, text)
    error = refused(path)
    assert error.message_en.startswith(f"configuration error: CHIBO_RETENTION_FILE: {path}{where}")
    assert english in error.message_en
    assert error.message_vi.startswith(f"lỗi cấu hình: CHIBO_RETENTION_FILE: {path}{where}")
    assert vietnamese in error.message_vi


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path / "missing.toml")
    assert "cannot be read" in error.message_en
    assert "không đọc được tệp" in error.message_vi


def test_a_service_with_a_bad_policy_file_stops_before_it_listens(tmp_path: Path) -> None:
    path = written(tmp_path, "[personal_data_reads]\nkeep_years = 1\n")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHIBO_")}
    environment = {
        **clean,
        "CHIBO_DATABASE_URL": "postgresql://u@127.0.0.1:1/db",
        "CHIBO_NATS_URL": "nats://127.0.0.1:1",
        "CHIBO_AUTH_SHARED_SECRET": "x" * 32,
        "CHIBO_MASTER_KEY": new_master_key_text(),
        "CHIBO_RETENTION_FILE": str(path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "assignment.entrypoints.cli", "serve"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    english, vietnamese = result.stderr.strip().splitlines()
    assert english.startswith(f"chibo: configuration error: CHIBO_RETENTION_FILE: {path}:2: ")
    assert vietnamese.startswith(f"chibo: lỗi cấu hình: CHIBO_RETENTION_FILE: {path}:2: ")
    assert "2-year floor" in english
    assert "tối thiểu 2 năm" in vietnamese


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VIETNAM)


def test_the_day_s_run_is_due_from_its_hour_until_it_has_succeeded() -> None:
    assert latest_slot(at("2027-03-05 01:59"), 2) == at("2027-03-04 02:00")
    assert latest_slot(at("2027-03-05 02:00"), 2) == at("2027-03-05 02:00")
    yesterday = at("2027-03-04 02:10")
    assert not is_due(yesterday, at("2027-03-05 01:59"), 2)  # today's hour is still to come
    assert is_due(yesterday, at("2027-03-05 02:00"), 2)
    assert is_due(yesterday, at("2027-03-05 17:30"), 2)  # missed at 2: made up at start
    assert not is_due(at("2027-03-05 02:03"), at("2027-03-05 17:30"), 2)
    # The clock of the machine may be in UTC: the hour is Vietnam's all the same.
    in_utc = at("2027-03-05 02:00").astimezone(UTC) + timedelta(seconds=1)
    assert in_utc.hour == 19
    assert latest_slot(in_utc, 2) == at("2027-03-05 02:00")

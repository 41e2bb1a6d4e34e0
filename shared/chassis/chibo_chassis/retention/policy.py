"""The retention policy of a deployment: how long each category of personal data is kept
(docs/privacy.md, section 7), read from one TOML file (`CHIBO_RETENTION_FILE`,
`deploy/retention.toml`) or, without one, the defaults below, which are that section's
proposals. A bad file stops the service at start, in English and Vietnamese, naming the
file, the line and the key.

Legal basis: data is kept only as long as its purpose needs, unless the law says otherwise
(Law 91/2025/QH15 art. 3 cl. 3); it is erased once the purpose is fulfilled or the keeping
period has run out (art. 14 cl. 1 b, c).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from chibo_kernel.errors import ConfigurationError

VARIABLE = "CHIBO_RETENTION_FILE"
READ_LOG_FLOOR_YEARS = 2  # kernel migration k0007 refuses less, whoever asks
PARTY_RECORD_YEARS = 5  # the Party keeps a closed member record this long (privacy.md §7)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Schedule(_Section):
    enabled: bool = True
    hour: int = Field(default=2, ge=0, le=23)  # Vietnam time (UTC+7)


class ReadLog(_Section):
    keep_years: int = Field(default=READ_LOG_FLOOR_YEARS, ge=READ_LOG_FLOOR_YEARS, le=100)


class AfterReplay(_Section):
    keep_days: int = Field(default=90, ge=1, le=36_500)


class HouseholdTexts(_Section):
    keep_years: int = Field(default=2, ge=1, le=100)


class ImportJobs(_Section):
    keep_days: int = Field(default=30, ge=1, le=36_500)


class FormerMembers(_Section):
    keep_years: int = Field(default=PARTY_RECORD_YEARS, ge=PARTY_RECORD_YEARS, le=100)
    erase: bool = True


class RetentionPolicy(_Section):
    schedule: Schedule = Schedule()
    personal_data_reads: ReadLog = ReadLog()
    parked_messages: AfterReplay = AfterReplay()
    quarantined_messages: AfterReplay = AfterReplay()
    household_texts: HouseholdTexts = HouseholdTexts()
    former_members: FormerMembers = FormerMembers()
    import_jobs: ImportJobs = ImportJobs()
    _source: str = PrivateAttr(default="defaults")

    @property
    def source(self) -> str:
        """The file it was read from, or "defaults"."""
        return self._source


class RetentionPolicyError(ConfigurationError):
    """A bad policy file: both languages are shown (`configured_or_exit` prints each)."""

    def __init__(self, where: str, problem_en: str, problem_vi: str) -> None:
        super().__init__(VARIABLE, problem_en)
        self.message_en = f"configuration error: {VARIABLE}: {where}: {problem_en}"
        self.message_vi = f"lỗi cấu hình: {VARIABLE}: {where}: {problem_vi}"


def load_policy(path: str | Path | None) -> RetentionPolicy:
    """The policy in `path`, or the defaults when no file is named."""
    if path is None or str(path) == "":
        return RetentionPolicy()
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise RetentionPolicyError(
            str(file),
            f"cannot be read ({exc.strerror or exc}); nothing was applied",
            f"không đọc được tệp ({exc.strerror or exc}); chưa áp dụng gì",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RetentionPolicyError(
            str(file),
            f"not valid TOML: {exc}",
            f"không đúng cú pháp TOML: {_toml_problem_vi(str(exc))}",
        ) from None
    try:
        policy = RetentionPolicy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = tuple(str(part) for part in first["loc"])
        line = _line_of(text, loc)
        where = f"{file}:{line}" if line else str(file)
        problem_en, problem_vi = _explained(loc, first)
        raise RetentionPolicyError(f"{where}: {'.'.join(loc)}", problem_en, problem_vi) from None
    policy._source = str(file)
    return policy


def _explained(loc: tuple[str, ...], error: Any) -> tuple[str, str]:
    kind, given = error["type"], error.get("input")
    floor = (error.get("ctx") or {}).get("ge")
    if loc == ("personal_data_reads", "keep_years") and kind == "greater_than_equal":
        return (
            f"{given} is less than the {READ_LOG_FLOOR_YEARS}-year floor of the personal data "
            "read log (the database refuses to delete younger rows); nothing was applied",
            f"{given} nhỏ hơn mức tối thiểu {READ_LOG_FLOOR_YEARS} năm của nhật ký đọc dữ liệu "
            "cá nhân (cơ sở dữ liệu không cho xóa dòng mới hơn); chưa áp dụng gì",
        )
    if loc == ("former_members", "keep_years") and kind == "greater_than_equal":
        return (
            f"{given} is less than the {PARTY_RECORD_YEARS} years the Party keeps a closed "
            "member record; nothing was applied",
            f"{given} nhỏ hơn {PARTY_RECORD_YEARS} năm lưu hồ sơ đảng viên đã khép lại; "
            "chưa áp dụng gì",
        )
    if kind == "extra_forbidden":
        return ("unknown key: check its spelling", "khóa không xác định: hãy kiểm tra chính tả")
    if kind in {"greater_than_equal", "less_than_equal"}:
        bound = floor if floor is not None else (error.get("ctx") or {}).get("le")
        side_en, side_vi = ("at least", "ít nhất") if floor is not None else ("at most", "tối đa")
        return (f"{given} must be {side_en} {bound}", f"{given} phải {side_vi} là {bound}")
    if kind.startswith("int") or kind.startswith("bool") or kind == "model_type":
        return (
            f"{given!r}: {error['msg']}",
            f"{given!r}: sai kiểu giá trị (cần số nguyên, true/false hoặc một bảng [mục])",
        )
    return (error["msg"], f"giá trị không hợp lệ ({error['msg']})")


def _line_of(text: str, loc: tuple[str, ...]) -> int | None:
    """The line of `key` in `[section]` (or of the section itself) for a 2-part location."""
    if not loc:
        return None
    section, key = (loc[0], loc[1]) if len(loc) > 1 else (None, loc[0])
    current: str | None = None
    section_line = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        header = re.fullmatch(r"\[\s*([A-Za-z0-9_.-]+)\s*\]", line)
        if header:
            current = header[1]
            if current == section or (section is None and current == key):
                section_line = number
            continue
        if current == section and re.match(rf"{re.escape(key)}\s*=", line):
            return number
    return section_line


def _toml_problem_vi(problem: str) -> str:
    found = re.search(r"line (\d+), column (\d+)", problem)
    return f"dòng {found[1]}, cột {found[2]}" if found else "xem chi tiết ở dòng tiếng Anh"

"""The Party Charter's rules that more than one service counts by (Điều lệ Đảng): one file,
`dieu_le.toml` beside this module, each entry with its article. The attendance service's
meeting facts read the removal months here; the rating service's rule book reads the whole
file (a province may replace it with its own `dieu_le.toml`)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

CHARTER_FILE = Path(__file__).with_name("dieu_le.toml")


@cache
def charter() -> dict[str, Any]:
    return tomllib.loads(CHARTER_FILE.read_text(encoding="utf-8"))


def removal_months() -> int:
    """Điều lệ Đảng Điều 8 khoản 1: months in a year without good reason before removal."""
    return int(charter()["removal_months"]["value"])

"""Reading logs for personal data: every line of every file, as written and, for a JSON
line, each value decoded (structlog escapes non-ASCII text as `\\u`, which would hide a
Vietnamese name from a plain search)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .marks import strings
from .probe import Needles, identity_keys


@dataclass
class LogScan:
    title: str
    files: list[tuple[Path, int]] = field(default_factory=list)  # (file, lines)
    values_checked: int = 0
    findings: list[str] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(n for _, n in self.files)

    def summary(self) -> str:
        files = ", ".join(f"{path.name} {n}" for path, n in self.files)
        head = (
            f"[{self.title}] files: {len(self.files)} ({files}); lines scanned: {self.lines}; "
            f"values checked: {self.values_checked}; findings: {len(self.findings)}"
        )
        return "\n".join([head, *(f"    FINDING {line}" for line in self.findings)])


def scan_logs(title: str, paths: Sequence[Path], needles: Needles) -> LogScan:
    scan = LogScan(title, values_checked=len(needles))
    for path in paths:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        scan.files.append((path, len(lines)))
        for number, line in enumerate(lines, 1):
            where = f"{path.name}:{number}"
            decoded = _json(line)
            texts = [line, *strings(decoded)]
            for value in sorted(needles.found_in(texts)):
                for needle in needles.by_value[value]:
                    scan.findings.append(
                        f"{where}: {needle.label} {needle.value!r} in {line[:300]!r}"
                    )
            for key in identity_keys(decoded):
                scan.findings.append(f"{where}: key {key!r} holds a value in {line[:300]!r}")
    return scan


def _json(line: str) -> object:
    if not line.startswith("{"):
        return None
    try:
        return json.loads(line)
    except ValueError:
        return None

"""The authorisation matrix: every endpoint × every role × an organisation inside and one
outside the role's subtree. Each cell's expectation is written down by the test, not read
from the code under test; the answer is the status the service gave. The table is printed
into the test output."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pytest

from chibo_chassis.auth import ROLES, Role

Place = Literal["in", "out"]
Expect = Literal["allow", "deny", "n/a"]
OPEN = {"/health/live", "/health/ready", "/metrics"}


@dataclass(frozen=True)
class Cell:
    endpoint: str  # "POST /v1/units/{unit_id}/move"
    role: Role
    place: Place
    expected: Expect
    status: int

    @property
    def ok(self) -> bool:
        if self.expected == "deny":
            return self.status == 403
        if self.expected == "allow":
            return self.status not in (401, 403) and self.status < 500
        return True


def endpoints_of(openapi: Mapping[str, Any]) -> set[str]:
    return {
        f"{method.upper()} {path}"
        for path, operations in openapi["paths"].items()
        if path not in OPEN
        for method in operations
    }


def render(service: str, cells: Iterable[Cell]) -> str:
    found = {(c.endpoint, c.role, c.place): c for c in cells}
    endpoints = sorted({c.endpoint for c in found.values()}, key=lambda e: (e.split()[1], e))
    header = ["endpoint", *(f"{role} {place}" for role in ROLES for place in ("in", "out"))]
    lines = [
        f"authorisation matrix: {service} (status; ✗ = not the expected answer; "
        "expected: 403 where denied, neither 401 nor 403 nor 5xx where allowed)",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for endpoint in endpoints:
        row = [endpoint]
        for role in ROLES:
            for place in ("in", "out"):
                cell = found.get((endpoint, role, place))
                if cell is None:
                    row.append("—")
                else:
                    mark = "" if cell.ok else " ✗"
                    verdict = {"allow": "allow", "deny": "deny", "n/a": ""}[cell.expected]
                    row.append(f"{cell.status} {verdict}{mark}".strip())
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def check(
    service: str, openapi: Mapping[str, Any], cells: list[Cell], capsys: pytest.CaptureFixture[str]
) -> None:
    """Print the table, then fail on any wrong cell or any endpoint left out."""
    with capsys.disabled():
        print("\n" + render(service, cells) + "\n")
    wrong = [c for c in cells if not c.ok]
    assert not wrong, "\n".join(
        f"{c.endpoint} as {c.role} ({c.place} scope): {c.status}, expected {c.expected}"
        for c in wrong
    )
    missing = endpoints_of(openapi) - {c.endpoint for c in cells}
    assert not missing, f"endpoints missing from the matrix: {sorted(missing)}"
    for endpoint in endpoints_of(openapi):
        roles = {(c.role, c.place) for c in cells if c.endpoint == endpoint}
        assert len(roles) == 2 * len(ROLES), f"{endpoint}: not every role × place was asked"

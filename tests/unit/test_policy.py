"""The role policy as a pure function, the documented table it must match, and how the
services choose their token verifier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from structlog.testing import capture_logs

from chibo_chassis import KernelSettings
from chibo_chassis.auth import (
    GRANTS,
    Forbidden,
    JwksVerifier,
    Permission,
    Principal,
    Role,
    SharedSecretVerifier,
    allowed,
    verifier_from,
)
from chibo_kernel.errors import ConfigurationError

DOC = Path(__file__).parents[2] / "docs" / "authorization.md"
SECRETARY = Principal("lan", Role.BRANCH_SECRETARY, ("LC", "VB", "KC"))
MEMBER = Principal("mai", Role.MEMBER, ("LC", "VB", "KC"), member_id="m1")
BASE: dict[str, Any] = {
    "database_url": "postgresql://u@127.0.0.1:1/db",
    "nats_url": "nats://127.0.0.1:1",
}


def documented_grants() -> dict[Role, set[Permission]]:
    """The roles table of docs/authorization.md, read as data."""
    lines = DOC.read_text().split("## Roles and their permissions")[1].split("\n## ")[0]
    rows = [line for line in lines.splitlines() if line.startswith("| `")]
    header = next(line for line in lines.splitlines() if line.startswith("| permission"))
    roles = [Role(cell.strip()) for cell in header.strip("|").split("|")[1:]]
    found: dict[Role, set[Permission]] = {role: set() for role in roles}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        permission = Permission(cells[0].split("`")[1])
        for role, cell in zip(roles, cells[1:], strict=True):
            if cell:
                found[role].add(permission)
    return found


def test_the_grants_are_the_documented_ones() -> None:
    assert {role: set(p) for role, p in GRANTS.items()} == documented_grants()


@pytest.mark.parametrize(
    ("principal", "permission", "path", "member", "expected"),
    [
        (SECRETARY, Permission.BRANCH_WORK, ("LC", "VB", "KC"), None, True),
        (SECRETARY, Permission.BRANCH_WORK, ("LC", "VB", "KC", "team"), None, True),
        (SECRETARY, Permission.BRANCH_WORK, ("LC", "VB", "KT"), None, False),
        (SECRETARY, Permission.BRANCH_WORK, ("LC", "VB"), None, False),  # not the parent
        (SECRETARY, Permission.DECIDE, ("LC", "VB", "KC"), None, False),
        (SECRETARY, Permission.READ_POLICY, (), None, True),
        (SECRETARY, Permission.READ, None, None, False),  # unknown place: as out of scope
        (Principal("a", Role.PROVINCE_ADMIN, ()), Permission.READ, None, None, True),
        (Principal("a", Role.PROVINCE_ADMIN, ("LC",)), Permission.OPERATE, (), None, True),
        (MEMBER, Permission.REPORT, ("LC", "VB", "KC"), "m1", True),
        (MEMBER, Permission.REPORT, ("LC", "VB", "KC"), "m2", False),
        (MEMBER, Permission.REPORT, ("LC", "VB", "KC"), None, False),
        (MEMBER, Permission.READ, ("LC", "VB", "KT"), "m1", False),
        (MEMBER, Permission.APPRAISE, ("LC", "VB", "KC"), "m1", False),
        (Principal("k", Role.AUDITOR, ()), Permission.BRANCH_WORK, ("LC",), None, False),
    ],
)
def test_allowed(
    principal: Principal,
    permission: Permission,
    path: tuple[str, ...] | None,
    member: str | None,
    expected: bool,
) -> None:
    assert allowed(principal, permission, path, member) is expected


def test_the_verifier_is_the_identity_provider_s_or_the_embedded_secret() -> None:
    jwks = KernelSettings(**BASE, auth_jwks_url="https://id.example/jwks", auth_issuer="x")
    assert isinstance(verifier_from(jwks), JwksVerifier)
    secret = KernelSettings(**BASE, auth_shared_secret=SecretStr("s" * 32))
    with capture_logs() as logs:
        assert isinstance(verifier_from(secret), SharedSecretVerifier)
    assert [entry["log_level"] for entry in logs] == ["warning"]
    assert "embedded stack only" in logs[0]["event"]
    with pytest.raises(ConfigurationError, match="CHIBO_AUTH_JWKS_URL"):
        verifier_from(KernelSettings(**BASE))
    both = KernelSettings(
        **BASE, auth_jwks_url="https://id.example/jwks", auth_shared_secret=SecretStr("s" * 32)
    )
    with pytest.raises(ConfigurationError, match="not both"):
        verifier_from(both)


def test_a_refusal_names_who_what_and_where_in_both_languages() -> None:
    refusal = Forbidden("mai", "self_assess", ())
    assert refusal.message_en == "mai may not self_assess in the province"
    assert refusal.message_vi == "mai không có quyền self_assess tại toàn tỉnh"
    assert Forbidden(None, "read", ["LC", "VB"]).message_vi.endswith("tại LC/VB")

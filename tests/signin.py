"""Tokens for the tests: the services under test verify them with this shared secret, as
the embedded stack does; production verifies against the identity provider's JWKS."""

from __future__ import annotations

from typing import Any

from chibo_chassis.auth import Role, issue_token

SECRET = "chibo-tests-" + "0123456789abcdef" * 3  # ≥ 32 bytes, as the verifier demands
ISSUER = "chibo-embedded"
AUDIENCE = "chibo"
AUTH_SETTINGS: dict[str, Any] = {"auth_shared_secret": SECRET}  # Any: splats into settings
AUTH_ENV = {"CHIBO_AUTH_SHARED_SECRET": SECRET}


def token(role: Role, org: str = "", member_id: str | None = None, subject: str = "") -> str:
    return issue_token(
        SECRET,
        subject=subject or f"{role}@{org or 'province'}",
        role=role,
        org=org,
        member_id=member_id,
        issuer=ISSUER,
        audience=AUDIENCE,
    )


def bearer(
    role: Role = Role.PROVINCE_ADMIN, org: str = "", member_id: str | None = None
) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, org, member_id)}"}


ADMIN = bearer()

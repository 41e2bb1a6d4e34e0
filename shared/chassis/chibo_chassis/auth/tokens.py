"""Verifying bearer tokens: signature, issuer, audience, expiry; PyJWT does the work.

Production verifies against the identity provider's JWKS (asymmetric keys, fetched and
cached; a token signed with a key the cache has not seen makes PyJWT fetch the set again,
which is how a rotation is picked up). A shared secret (HS256) exists only for the
embedded stack and the tests; services log a warning when they start with it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any, Protocol

import jwt

from chibo_kernel.errors import ChiboError

from .principal import Principal, Role

ASYMMETRIC = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]
LEEWAY_SECONDS = 30  # clocks of the identity provider and the services may differ a little


class TokenRejected(ChiboError):
    code = "unauthenticated"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"sign-in required: the bearer token was refused ({reason})",
            f"cần đăng nhập: thẻ truy cập bị từ chối ({reason})",
        )
        self.reason = reason


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Principal:
        """The principal the token names; TokenRejected or BadClaims otherwise."""


def _decode(token: str, key: Any, algorithms: list[str], issuer: str, audience: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            issuer=issuer,
            audience=audience,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenRejected("expired") from None
    except jwt.InvalidAudienceError:
        raise TokenRejected("wrong audience") from None
    except jwt.InvalidIssuerError:
        raise TokenRejected("wrong issuer") from None
    except jwt.PyJWTError as exc:
        raise TokenRejected(type(exc).__name__) from None
    return Principal.from_claims(claims)


class JwksVerifier:
    def __init__(
        self,
        jwks_url: str,
        *,
        issuer: str,
        audience: str,
        cache_seconds: float = 300,
        refresh_cooldown_seconds: float = 30,
    ) -> None:
        # An unknown kid refetches the set at most once per cooldown, so a flood of tokens
        # with made-up kids cannot turn into a flood of requests to the provider.
        self._client = jwt.PyJWKClient(
            jwks_url,
            cache_jwk_set=True,
            lifespan=cache_seconds,
            timeout=5,
            cooldown_duration=refresh_cooldown_seconds,
        )
        self._issuer, self._audience = issuer, audience

    async def verify(self, token: str) -> Principal:
        try:
            # PyJWKClient fetches with urllib: off the event loop.
            key = await asyncio.to_thread(self._client.get_signing_key_from_jwt, token)
        except jwt.PyJWKClientConnectionError:
            raise TokenRejected("the identity provider's keys are unreachable") from None
        except jwt.PyJWTError as exc:
            raise TokenRejected(type(exc).__name__) from None
        return _decode(token, key.key, ASYMMETRIC, self._issuer, self._audience)


class SharedSecretVerifier:
    def __init__(self, secret: str, *, issuer: str, audience: str) -> None:
        if len(secret.encode()) < 32:
            raise ValueError("a shared token secret needs at least 32 bytes")
        self._secret, self._issuer, self._audience = secret, issuer, audience

    async def verify(self, token: str) -> Principal:
        return _decode(token, self._secret, ["HS256"], self._issuer, self._audience)


def issue_token(
    secret: str,
    *,
    subject: str,
    role: Role,
    org: str = "",
    member_id: str | None = None,
    issuer: str,
    audience: str,
    ttl_seconds: int = 12 * 3600,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """An HS256 token for the embedded stack's demo roles and the tests."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_seconds,
        "chibo_role": str(role),
        "chibo_org": org,
        **({"chibo_member": member_id} if member_id else {}),
        **(extra or {}),
    }
    return jwt.encode(claims, secret, algorithm="HS256")

"""Bearer tokens verified as production verifies them: against a JWKS served over real
HTTP on the loopback, with expiry, issuer, audience and a key rotation."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from chibo_chassis.auth import (
    JwksVerifier,
    Principal,
    Role,
    SharedSecretVerifier,
    TokenRejected,
    issue_token,
)
from chibo_chassis.auth.principal import BadClaims

ISSUER, AUDIENCE = "https://id.laocai.example/realms/dang", "chibo"
SECRET = "embedded-only-secret-of-at-least-32-bytes"


class Provider:
    """An identity provider's JWKS endpoint whose keys the test rotates."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.fetches = 0

    def add_key(self, kid: str) -> Any:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.keys[kid] = private
        return private

    def jwks(self) -> bytes:
        self.fetches += 1
        keys = []
        for kid, private in self.keys.items():
            jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return json.dumps({"keys": keys}).encode()

    def token(self, kid: str, **claims: Any) -> str:
        now = int(time.time())
        body = {
            "sub": "u-1",
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 600,
            "chibo_role": "branch_secretary",
            "chibo_org": "LC.VB.VL.TT",
            **claims,
        }
        return jwt.encode(body, self.keys[kid], algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def provider() -> Iterator[tuple[Provider, str]]:
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = state.jwks()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/certs"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_provider_token_names_its_principal(provider: tuple[Provider, str]) -> None:
    state, url = provider
    state.add_key("k1")
    verifier = JwksVerifier(url, issuer=ISSUER, audience=AUDIENCE)
    principal = await verifier.verify(state.token("k1"))
    assert principal == Principal("u-1", Role.BRANCH_SECRETARY, ("LC", "VB", "VL", "TT"))
    assert principal.covers(["LC", "VB", "VL", "TT"])
    assert not principal.covers(["LC", "VB", "VL", "KH"])
    assert not principal.covers(["LC", "VB", "VL"])  # the parent is outside the subtree


async def test_a_rotated_key_is_fetched_and_a_removed_one_is_refused(
    provider: tuple[Provider, str],
) -> None:
    state, url = provider
    state.add_key("k1")
    verifier = JwksVerifier(url, issuer=ISSUER, audience=AUDIENCE, refresh_cooldown_seconds=0)
    old = state.token("k1")
    assert (await verifier.verify(old)).subject == "u-1"
    fetched = state.fetches
    state.add_key("k2")  # the provider rotates: new tokens carry kid k2
    assert (await verifier.verify(state.token("k2", sub="u-2"))).subject == "u-2"
    assert state.fetches == fetched + 1  # an unknown kid made the verifier fetch again
    del state.keys["k1"]
    fresh = JwksVerifier(url, issuer=ISSUER, audience=AUDIENCE)
    with pytest.raises(TokenRejected):
        await fresh.verify(old)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"aud": "another-system"}, "wrong audience"),
        ({"iss": "https://evil.example"}, "wrong issuer"),
    ],
)
async def test_expired_foreign_and_misaddressed_tokens_are_refused(
    provider: tuple[Provider, str], claims: dict[str, Any], reason: str
) -> None:
    state, url = provider
    state.add_key("k1")
    verifier = JwksVerifier(url, issuer=ISSUER, audience=AUDIENCE)
    with pytest.raises(TokenRejected) as refused:
        await verifier.verify(state.token("k1", **claims))
    assert refused.value.reason == reason
    assert "đăng nhập" in refused.value.message_vi


async def test_a_shared_secret_token_never_passes_the_jwks_verifier(
    provider: tuple[Provider, str],
) -> None:
    """The algorithm confusion attack: an HS256 token 'signed' with public material."""
    state, url = provider
    state.add_key("k1")
    forged = issue_token(
        SECRET, subject="x", role=Role.PROVINCE_ADMIN, issuer=ISSUER, audience=AUDIENCE
    )
    with pytest.raises(TokenRejected):
        await JwksVerifier(url, issuer=ISSUER, audience=AUDIENCE).verify(forged)


async def test_an_unreachable_provider_refuses_rather_than_allows() -> None:
    verifier = JwksVerifier("http://127.0.0.1:9/certs", issuer=ISSUER, audience=AUDIENCE)
    with pytest.raises(TokenRejected):
        await verifier.verify(jwt.encode({"sub": "x"}, "k" * 32, headers={"kid": "k1"}))


async def test_the_embedded_secret_issues_and_verifies_each_role() -> None:
    verifier = SharedSecretVerifier(SECRET, issuer=ISSUER, audience=AUDIENCE)
    member = issue_token(
        SECRET,
        subject="m-7",
        role=Role.MEMBER,
        org="LC.VB.VL.TT",
        member_id="m-7",
        issuer=ISSUER,
        audience=AUDIENCE,
    )
    assert (await verifier.verify(member)).member_id == "m-7"
    admin = issue_token(
        SECRET, subject="a", role=Role.PROVINCE_ADMIN, issuer=ISSUER, audience=AUDIENCE
    )
    assert (await verifier.verify(admin)).scope == ()
    with pytest.raises(ValueError, match="32 bytes"):
        SharedSecretVerifier("short", issuer=ISSUER, audience=AUDIENCE)


@pytest.mark.parametrize(
    "claims",
    [
        {"chibo_role": "emperor"},
        {"chibo_role": "branch_secretary", "chibo_org": ""},  # a secretary of what?
        {"chibo_role": "member", "chibo_org": "LC.VB"},  # which member?
        {"chibo_role": "organisation_board", "chibo_org": "LC..VB"},
    ],
)
def test_claims_that_name_no_usable_principal_are_refused(claims: dict[str, Any]) -> None:
    with pytest.raises(BadClaims) as refused:
        Principal.from_claims({"sub": "u", **claims})
    assert refused.value.message_vi


async def test_made_up_key_ids_do_not_flood_the_provider(provider: tuple[Provider, str]) -> None:
    state, url = provider
    state.add_key("k1")
    verifier = JwksVerifier(url, issuer=ISSUER, audience=AUDIENCE)  # the 30 s cooldown
    await verifier.verify(state.token("k1"))
    fetched = state.fetches
    state.add_key("k9")
    for _ in range(20):
        with pytest.raises(TokenRejected):
            await verifier.verify(state.token("k9"))
    assert state.fetches <= fetched + 1

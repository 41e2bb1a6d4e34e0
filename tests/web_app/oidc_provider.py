"""A small but real OpenID provider (code + PKCE S256, RS256 tokens, discovery, JWKS) served
by uvicorn in a thread on 127.0.0.1, and `chibo-web serve` started as a process against it.
The provider records what it was sent: a test can say what the app really did on the wire."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from chibo_tools.embedded.ports import free_port

CLIENT_ID = "chibo-web"
STARTUP_SECONDS = 30


@dataclass(frozen=True)
class ProvinceUser:
    sub: str = "bi-thu-vl-tt"
    name: str = "Nguyễn Thị Hoa"
    role: str = "branch_secretary"
    org: str = "LC.VB.VL.VL-TT"


@dataclass(frozen=True)
class Exchange:  # one call of the token endpoint, as the provider judged it
    code: str
    verifier: str | None
    challenge: str | None
    outcome: str  # "issued", or the OAuth error it answered


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def s256(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode("ascii")).digest())


@dataclass
class OidcProvider:
    """`faults` makes it misbehave on purpose: "wrong_nonce" (an id_token for another
    sign-in) or "foreign_key" (an id_token signed by a key the JWKS does not hold)."""

    redirect_uris: set[str] = field(default_factory=set)
    user: ProvinceUser = field(default_factory=ProvinceUser)
    browser_host: str = "127.0.0.1"  # the name a browser reaches /authorize by
    faults: set[str] = field(default_factory=set)
    authorizations: list[dict[str, str]] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._key = _new_key()
        self._grants: dict[str, dict[str, str]] = {}  # code → what /authorize was asked
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.issuer = f"http://127.0.0.1:{self.port}"
        routes = [
            Route("/.well-known/openid-configuration", self._discovery),
            Route("/authorize", self._authorize),
            Route("/token", self._token, methods=["POST"]),
            Route("/jwks", self._jwks),
        ]
        config = uvicorn.Config(Starlette(routes=routes), log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._server.started:
            assert self._thread.is_alive(), "the provider stopped"
            assert time.monotonic() < deadline, "the provider did not start"
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()

    async def _discovery(self, _: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"http://{self.browser_host}:{self.port}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["none"],
            }
        )

    async def _jwks(self, _: Request) -> Response:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return JSONResponse({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]})

    async def _authorize(self, request: Request) -> Response:
        """Auto-approves the test user; a bad client or redirect is never redirected to."""
        asked = dict(request.query_params)
        self.authorizations.append(asked)
        redirect_uri = asked.get("redirect_uri", "")
        if asked.get("client_id") != CLIENT_ID or redirect_uri not in self.redirect_uris:
            return PlainTextResponse("unknown client or redirect_uri", status_code=400)
        state = asked.get("state", "")
        problem = _authorize_problem(asked)
        if problem:
            query = {"error": "invalid_request", "error_description": problem, "state": state}
            return RedirectResponse(f"{redirect_uri}?{urlencode(query)}", status_code=302)
        code = secrets.token_urlsafe(24)
        self._grants[code] = asked
        return RedirectResponse(
            f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", status_code=302
        )

    async def _token(self, request: Request) -> Response:
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        code, verifier = form.get("code", ""), form.get("code_verifier")
        grant = self._grants.pop(code, None)  # once, whatever the outcome
        error = _token_problem(form, grant)
        self.exchanges.append(
            Exchange(code, verifier, (grant or {}).get("code_challenge"), error or "issued")
        )
        if error or grant is None:
            return JSONResponse({"error": error}, status_code=400)
        return JSONResponse(self._tokens(grant))

    def _tokens(self, grant: dict[str, str]) -> dict[str, Any]:
        now = int(time.time())
        common = {"iss": self.issuer, "sub": self.user.sub, "iat": now, "exp": now + 600}
        rights = {"aud": "chibo", "chibo_role": self.user.role, "chibo_org": self.user.org}
        access = self._sign({**common, **rights}, self._key)
        identity = {
            **common,
            "aud": CLIENT_ID,
            "nonce": "another-sign-in" if "wrong_nonce" in self.faults else grant["nonce"],
            "auth_time": now,
            "name": self.user.name,
            "at_hash": _b64(hashlib.sha256(access.encode("ascii")).digest()[:16]),
        }
        key = _new_key() if "foreign_key" in self.faults else self._key
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 600,
            "id_token": self._sign(identity, key),
        }

    @staticmethod
    def _sign(claims: dict[str, Any], key: rsa.RSAPrivateKey) -> str:
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _authorize_problem(asked: dict[str, str]) -> str | None:
    if asked.get("response_type") != "code":
        return "response_type must be code"
    if "openid" not in asked.get("scope", "").split():
        return "scope must include openid"
    if not asked.get("state") or not asked.get("nonce"):
        return "state and nonce are required"
    if asked.get("code_challenge_method") != "S256" or len(asked.get("code_challenge", "")) != 43:
        return "a PKCE code_challenge with method S256 is required"
    return None


def _token_problem(form: dict[str, str], grant: dict[str, str] | None) -> str | None:
    if form.get("grant_type") != "authorization_code":
        return "unsupported_grant_type"
    if form.get("client_id") != CLIENT_ID:
        return "invalid_client"
    grant, verifier = grant or {}, form.get("code_verifier", "")
    proven = 43 <= len(verifier) <= 128 and s256(verifier) == grant.get("code_challenge")
    if not proven or form.get("redirect_uri") != grant.get("redirect_uri"):
        return "invalid_grant"  # an unknown or spent code, another redirect, the wrong verifier
    return None


def closed_url() -> str:  # where nothing answers: a service that is down
    return f"http://127.0.0.1:{free_port()}"


@contextmanager
def web_app(log_dir: Path, **settings: str) -> Iterator[str]:
    """`chibo-web serve` with these settings (full names; none from the outer environment)
    and the three APIs down. Yields its URL (its public URL too); stops it by its pid."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHIBO_WEB_", "CHIBO_AUTH_"))}
    env |= {
        "CHIBO_WEB_HTTP_HOST": "127.0.0.1",
        "CHIBO_WEB_HTTP_PORT": str(port),
        "CHIBO_WEB_PUBLIC_URL": url,
        "CHIBO_WEB_SESSION_SECRET": secrets.token_urlsafe(32),
        "CHIBO_WEB_ASSIGNMENT_URL": closed_url(),
        "CHIBO_WEB_ATTENDANCE_URL": closed_url(),
        "CHIBO_WEB_RATING_URL": closed_url(),
        **settings,
    }
    log = log_dir / f"web-{port}.log"
    with open(log, "w") as out:
        command = [str(Path(sys.executable).parent / "chibo-web"), "serve"]
        process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(f"{url}/health/ready"):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(15)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2, trust_env=False).status_code == 200
    except httpx.TransportError:
        return False

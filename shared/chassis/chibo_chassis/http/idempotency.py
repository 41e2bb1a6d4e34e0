"""`Idempotency-Key` (IETF httpapi draft "The Idempotency-Key HTTP Header Field") on every
command: POST, PUT, PATCH and DELETE.

- A request with a key runs as a keyed command (kernel `store/idempotency.py`): its events
  and its answer commit in one transaction, under (signed-in subject, key). A repeat runs
  too, without a lookup first: its events meet the first's key and are rolled back, or it
  is refused by what the first did; either way the first answer is sent. Commands whose
  effect is not stored with the key (jobs) look the key up first (`runs_once_per_key`). Keys are
  scoped per principal: nobody can read another's answer by guessing a key.
- A repeat with the same key and the same request (method, path and query, principal and
  canonical JSON body) answers the first answer, status and body, with
  `Idempotency-Replayed: true`, and has no second effect.
- The same key with another request is refused with 422 problem+json; nothing changes.
- Only successful (2xx) answers are kept. A refused command (4xx) changed nothing, so its
  repeat runs again: it gets the same refusal while the cause stands, and succeeds once the
  cause is fixed (say, the member it named has been registered), instead of replaying a
  refusal that is no longer true for the key's whole window.
- Keys are kept `CHIBO_IDEMPOTENCY_WINDOW_SECONDS` (24 h by default), then deleted.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import asyncpg
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from chibo_kernel.errors import ChiboError
from chibo_kernel.store import Answer, IdempotencyKey, IdempotencyLedger

from ..auth.policy import current_principal
from .keyed_answers import Captured, Replay, read_body, replaying
from .problems import BodyTooLarge, problem, status_of, unstorable

HEADER = "Idempotency-Key"
COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# An sf-string per the draft ("..."); a bare token is accepted too. Printable ASCII only.
_CHARS = r"[!#-\[\]-~]{1,255}"  # printable ASCII but the quote and the backslash
KEY_PATTERN = f'^(?:"{_CHARS}"|{_CHARS})$'
_KEY = re.compile(KEY_PATTERN)

OPENAPI_PARAMETER: dict[str, Any] = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 257, "pattern": KEY_PATTERN},
    "description": "Makes the command safe to retry (IETF httpapi Idempotency-Key draft): a "
    "unique value per command, e.g. a UUID, as an sf-string or a bare token. A repeat with "
    "the same key and body answers the first answer (status and body, with "
    "`Idempotency-Replayed: true`) and stores nothing again; the same key with another body "
    "is refused with 422 `idempotency_key_reused`. Successful answers are kept for "
    "CHIBO_IDEMPOTENCY_WINDOW_SECONDS (24 h by default); a refused command is not kept and "
    "runs again when repeated. Keys are scoped per signed-in user.",
}


PARAMETER_REF = {"$ref": "#/components/parameters/IdempotencyKey"}


def declare_idempotency_key(schema: dict[str, Any]) -> None:
    """Every command operation of an OpenAPI document takes the header."""
    components = schema.setdefault("components", {}).setdefault("parameters", {})
    components["IdempotencyKey"] = OPENAPI_PARAMETER
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if method.upper() in COMMAND_METHODS:
                parameters = operation.setdefault("parameters", [])
                if PARAMETER_REF not in parameters:
                    parameters.append(dict(PARAMETER_REF))


def fingerprint(method: str, target: str, principal: str, body: bytes) -> str:
    """The request a key was sent with: JSON bodies compared by content, not by spelling."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except (ValueError, UnicodeDecodeError, RecursionError):
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), target.encode(), principal.encode()):
        digest.update(part + b"\0")
    digest.update(canonical)
    return digest.hexdigest()


class IdempotencyKeys:
    """ASGI middleware, inside sign-in (it needs the principal)."""

    def __init__(self, app: ASGIApp, ledger: Callable[[], IdempotencyLedger]) -> None:
        self.app = app
        self.ledger = ledger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = _raw_key(scope) if scope["type"] == "http" else None
        principal = current_principal()
        if raw is None or scope["method"] not in COMMAND_METHODS or principal is None:
            await self.app(scope, receive, send)
            return
        match = _KEY.match(raw)
        if match is None:
            await _bad_key()(scope, receive, send)
            return
        try:
            body = await read_body(receive)
        except BodyTooLarge as exc:
            await problem(413, exc.code, exc.message_en, exc.message_vi)(scope, receive, send)
            return
        target = scope["path"] + ("?" + scope["query_string"].decode("latin-1"))
        key = IdempotencyKey(
            principal.subject,
            match.group(0).strip('"'),
            fingerprint(scope["method"], target, principal.subject, body),
        )
        ledger = self.ledger()
        answer = Captured()
        refusal: Response | None = None
        token = _request_key.set((ledger, key))
        try:
            async with ledger.keyed(key) as command:
                await self.app(scope, replaying(body), answer.send)
                if 200 <= answer.status < 300:
                    kept = answer.kept(key.fingerprint)
                    try:  # the command's append is written here, with its key and answer
                        held = await command.settle(kept)
                    except ChiboError as exc:
                        refusal = problem(status_of(exc), exc.code, exc.message_en, exc.message_vi)
                    except asyncpg.DataError as exc:
                        refusal = unstorable(exc)
                    else:
                        if held is not kept:  # the key's first answer committed before
                            await _repeat(held, key)(scope, receive, send)
                            return
        except AnsweredBefore as before:
            await _repeat(before.first, key)(scope, receive, send)
            return
        finally:
            _request_key.reset(token)
        if answer.status >= 400 or refusal is not None:
            # A repeat runs again and meets what its first run did (the member's stream
            # exists, the card number is taken): the first answer is the answer.
            first = await ledger.recorded_answer(key.principal, key.key)
            if first is not None:
                await _repeat(first, key)(scope, receive, send)
                return
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await answer.forward(send)


class AnsweredBefore(Exception):
    def __init__(self, first: Answer) -> None:
        super().__init__("answered before")
        self.first = first


# The ledger and key of the keyed request this task serves, for `runs_once_per_key`.
_request_key: ContextVar[tuple[IdempotencyLedger, IdempotencyKey] | None] = ContextVar(
    "chibo_request_key", default=None
)


async def runs_once_per_key() -> None:
    """A route dependency for a command whose effect is not stored with its key (a job it
    starts): its repeat is answered from the key before it runs again. Every other command
    runs again and its second append is rolled back as it meets the first's key, which
    spares the common first request a lookup."""
    found = _request_key.get()
    if found is None:
        return
    ledger, key = found
    first = await ledger.recorded_answer(key.principal, key.key)
    if first is not None:
        raise AnsweredBefore(first)


def _raw_key(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"idempotency-key":
            return str(value.decode("latin-1"))
    return None


def _repeat(first: Answer, key: IdempotencyKey) -> Any:
    if first.fingerprint != key.fingerprint:
        return problem(
            422,
            "idempotency_key_reused",
            f"the Idempotency-Key {key.key} was already used for another request; nothing "
            "was changed: send a new key for a new request",
            f"khóa Idempotency-Key {key.key} đã được dùng cho một yêu cầu khác; không có gì "
            "thay đổi: hãy gửi khóa mới cho yêu cầu mới",
        )
    return Replay(first)


def _bad_key() -> Any:
    return problem(
        400,
        "invalid_idempotency_key",
        "the Idempotency-Key header must be 1 to 255 printable ASCII characters, optionally "
        'in double quotes, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324"',
        "tiêu đề Idempotency-Key phải gồm 1 đến 255 ký tự ASCII in được, có thể đặt trong "
        'dấu ngoặc kép, ví dụ "8e03978e-40d5-43e8-bc93-6894a57f9324"',
    )

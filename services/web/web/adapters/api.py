"""The three services' APIs, called with the signed-in user's bearer token, so every
authorisation rule stays in the service that owns the data. A problem+json answer
becomes an ApiProblem carrying the service's own English and Vietnamese text."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Mapping
from typing import Any, Literal

import httpx

Service = Literal["assignment", "attendance", "rating"]

UNREACHABLE_VI = "Máy chủ dữ liệu tạm thời không trả lời. Xin thử lại sau ít phút."
UNREACHABLE_EN = "The data service is not answering for now. Please try again in a few minutes."
UNREACHABLE = {"code": "unavailable", "detail": UNREACHABLE_EN, "detail_vi": UNREACHABLE_VI}


class ApiProblem(Exception):
    def __init__(self, status: int, body: Mapping[str, Any]) -> None:
        self.status = status
        self.body = dict(body)
        self.code = str(body.get("code", "error"))
        self.detail = str(body.get("detail") or body.get("title") or "")
        self.detail_vi = str(body.get("detail_vi") or self.detail)
        super().__init__(f"{status} {self.code}: {self.detail}")

    def text(self, lang: str) -> str:
        return self.detail if lang == "en" else self.detail_vi


class Api:
    def __init__(self, urls: Mapping[Service, str], timeout: float) -> None:
        self._urls = {name: url.rstrip("/") for name, url in urls.items()}
        # No proxy from the environment: the services sit beside the app.
        self._client = httpx.AsyncClient(timeout=timeout, trust_env=False)

    async def close(self) -> None:
        await self._client.aclose()

    async def get(
        self, service: Service, path: str, token: str, params: Mapping[str, Any] | None = None
    ) -> Any:
        return await self._send("GET", service, path, token, params=params)

    async def get_bytes(
        self, service: Service, path: str, token: str, params: Mapping[str, Any] | None = None
    ) -> bytes:
        response = await self._request("GET", service, path, token, params=params)
        return response.content

    async def post(
        self,
        service: Service,
        path: str,
        token: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> Any:
        """`key`: the form's one-time Idempotency-Key, so a double tap or a retry after a
        lost answer records the command once."""
        headers = {"Idempotency-Key": key or uuid.uuid4().hex}
        if content is not None:
            headers["Content-Type"] = "application/octet-stream"
        return await self._send(
            "POST", service, path, token, json=json, content=content, params=params, headers=headers
        )

    async def ask(self, service: Service, path: str, token: str, *, json: Any) -> Any:
        """A query sent as a POST (its input is a body): no Idempotency-Key, it records
        nothing, and a key would only leave a row behind at every keystroke."""
        return await self._send("POST", service, path, token, json=json)

    async def put(self, service: Service, path: str, token: str, *, json: Any, key: str) -> Any:
        headers = {"Idempotency-Key": key}
        return await self._send("PUT", service, path, token, json=json, headers=headers)

    async def _send(self, method: str, service: Service, path: str, token: str, **kw: Any) -> Any:
        response = await self._request(method, service, path, token, **kw)
        if not response.content:
            return None
        return response.json()

    async def _request(
        self,
        method: str,
        service: Service,
        path: str,
        token: str,
        headers: Mapping[str, str] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        if "json" in kw:
            kw["json"] = _nfc(kw["json"])
        url = f"{self._urls[service]}/v1{path}"
        sent = {"Authorization": f"Bearer {token}", **(headers or {})}
        try:
            response = await self._client.request(method, url, headers=sent, **kw)
        except httpx.TransportError:
            raise ApiProblem(503, UNREACHABLE) from None
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            if not isinstance(body, dict):
                body = {}
            if response.status_code >= 500 and "detail_vi" not in body:
                body = {
                    "code": "unavailable",
                    "detail": UNREACHABLE_EN,
                    "detail_vi": UNREACHABLE_VI,
                }
            raise ApiProblem(response.status_code, body)
        return response


def _nfc(value: Any) -> Any:
    """Every text a person typed, in NFC: some phone keyboards send Vietnamese decomposed
    (a letter, then its marks), which would then not match, sort or search as typed."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value

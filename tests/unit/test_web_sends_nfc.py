"""What a person typed reaches the services in NFC, whatever their keyboard sent."""

from __future__ import annotations

import json
import unicodedata

import httpx

from web.adapters.api import Api

DECOMPOSED = unicodedata.normalize("NFD", "Nguyễn Thị Hồng: ốm, xin vắng")


async def test_every_text_of_a_command_is_sent_in_nfc() -> None:
    seen: list[dict[str, object]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={"ok": True})

    api = Api({"attendance": "http://attendance.test"}, timeout=5)
    api._client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    body = {"reason": DECOMPOSED, "marks": [{"reason": DECOMPOSED, "n": 1}]}
    await api.post("attendance", "/meetings/m/attendance", "token", json=body, key="k")
    await api.close()
    (sent,) = seen
    composed = unicodedata.normalize("NFC", DECOMPOSED)
    assert composed != DECOMPOSED
    assert sent == {"reason": composed, "marks": [{"reason": composed, "n": 1}]}

"""What every demo's calls share: the sign-in header and the check of each answer."""

from __future__ import annotations

import os
from typing import Any

import httpx


def bearer(token: str | None) -> dict[str, str]:
    """Signed in with `token`, else with $CHIBO_DEMO_TOKEN (what `./chibo up` hands the
    demo: a province administrator's token)."""
    token = token if token is not None else os.environ.get("CHIBO_DEMO_TOKEN")
    return {"Authorization": f"Bearer {token}"} if token else {}


def ok(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 400:
        raise RuntimeError(f"demo seed refused: {response.status_code} {response.text}")
    body: dict[str, Any] = response.json()
    return body

"""A rating rebuild as the databases and the instances tell it: the generation's state and
consumer base, how many events its consumers applied, whether each source aggregate's last
public version reached them, and whether an instance has anything left to derive."""

from __future__ import annotations

from typing import Any

from security.harness import RunningService
from signin import ADMIN

from .twins import TwinSystem

FACTS = "rating-facts"

_BASE = "SELECT consumer FROM consumed_read_models WHERE name = $1 AND generation = $2"
_STATE = "SELECT state FROM consumed_read_models WHERE name = $1 AND generation = $2"
_APPLIED = "SELECT coalesce(sum(applied), 0) FROM consumer_positions WHERE consumer LIKE $1"
_PUBLIC_VERSIONS = (
    "SELECT stream_id, max(version) FROM events WHERE NOT (metadata ? 'private') GROUP BY 1"
)
_APPLIED_VERSIONS = "SELECT stream_id, version FROM consumer_stream_versions WHERE consumer = $1"


def state(system: TwinSystem, generation: int) -> str:
    return str(system.fetchval("rating", _STATE, FACTS, generation))


def applied(system: TwinSystem, base: str) -> int:
    return int(system.fetchval("rating", _APPLIED, f"{base}-%"))


def version_problems(system: TwinSystem, base: str) -> list[str]:
    """Each source aggregate's last public version, as the rebuilt consumers reached it."""
    found = []
    for source in ("assignment", "attendance"):
        conn = system.services[source].conn
        rating = system.services["rating"].conn
        assert conn is not None
        assert rating is not None
        want = dict(system.run(conn.fetch(_PUBLIC_VERSIONS)))
        got = dict(system.run(rating.fetch(_APPLIED_VERSIONS, f"{base}-{source}")))
        wrong = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
        if wrong:
            found.append(f"{source}: {len(wrong)} aggregates differ, e.g. {wrong[:3]}")
    return found


def ok(system: TwinSystem, instance: RunningService, method: str, path: str) -> Any:
    response = system.http.request(method, instance.base_url + path, headers=ADMIN)
    assert response.status_code < 300, f"{path}: {response.status_code} {response.text}"
    return response.json()


def derived(system: TwinSystem, instance: RunningService) -> bool:
    """Nothing building, nothing pending or waiting to be derived, as the instance says."""
    status = ok(system, instance, "GET", "/v1/admin/read-models")
    return status["building"] is None and not any(status["pending"].values())


def base_of(system: TwinSystem, generation: int) -> str:
    """The start of the names of the generation's consumers (its lease is named after it)."""
    return str(system.fetchval("rating", _BASE, FACTS, generation))

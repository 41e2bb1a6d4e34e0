"""A member's identity is private and lives beside the member, never in its stream: the relay
skips private events, so one in `member-<id>` would be a version gap that every consumer of
members waits on for ever."""

from __future__ import annotations

from kernel.support import eventually

from .conftest import Service
from .test_vo_lao_http import post

NEWCOMER = {
    "full_name": "Lò Thị Hoa",
    "branch_id": "VL-TT",
    "admission_date": "2024-02-03",
    "status": "probationary",
    "card_number": "55001234",
    "birth_date": "1999-09-09",
}


async def build_branch(service: Service) -> None:
    for unit_id, kind, parent in [
        ("LC", "province", None),
        ("VB", "district", "LC"),
        ("VL", "grassroots", "VB"),
        ("VL-TT", "branch", "VL"),
    ]:
        body = {
            "unit_id": unit_id,
            "kind": kind,
            "name": unit_id,
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        await post(service.client, "/v1/units", body)


async def test_the_member_stream_is_gap_free_and_the_identity_lives_beside_it(
    service: Service,
) -> None:
    await build_branch(service)
    registered = await post(service.client, "/v1/members", NEWCOMER)
    member_id = registered["member_id"]
    await post(service.client, f"/v1/members/{member_id}/confirmation", {"on": "2025-02-03"})

    pool = service.runtime.pool
    rows = await pool.fetch(
        "SELECT stream_id, version, event_type, metadata ? 'private' AS private FROM events"
        " WHERE stream_id IN ($1, $2) ORDER BY stream_id, version",
        f"member-{member_id}",
        f"member_private-{member_id}",
    )
    assert [(r["stream_id"], r["version"], r["event_type"], r["private"]) for r in rows] == [
        (f"member-{member_id}", 1, "chibo.assignment.member_registered.v3", False),
        (f"member-{member_id}", 2, "chibo.assignment.member_confirmed.v1", False),
        (
            f"member_private-{member_id}",
            1,
            "chibo.assignment.member_identity_recorded.v1",
            True,
        ),
    ]
    card = await pool.fetchrow("SELECT * FROM member_cards WHERE member_id = $1", member_id)
    assert (card["card_number"], card["birth_date"].isoformat()) == ("55001234", "1999-09-09")

    # What a consumer of the `member` category sees: versions 1..n, nothing to wait for.
    def seen() -> list[str]:
        return [
            (m.headers or {}).get("ce-streamversion", "")
            for m in service.wire
            if (m.headers or {}).get("ce-subject") == f"member-{member_id}"
        ]

    async def both_arrived() -> bool:
        return len(seen()) == 2

    await eventually(both_arrived, timeout=30, what="the member's events on NATS")
    assert seen() == ["1", "2"]
    assert not any(b"55001234" in m.data for m in service.wire)


async def test_a_birth_date_after_admission_is_refused_and_nothing_is_stored(
    service: Service,
) -> None:
    await build_branch(service)
    refused = await service.client.post(
        "/v1/members", json={**NEWCOMER, "birth_date": "2024-02-03"}
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_dates"
    stored = await service.runtime.pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id LIKE 'member%'"
    )
    assert stored == 0  # neither the member nor its identity

"""Every command passes the authorisation hook with its actor, action and organisation path:
the sign-in issue plugs its policy in here."""

from __future__ import annotations

import json

from chibo_kernel.authz import SubtreeWriters

from .conftest import running_service

KHE_CO = ["LC", "VB", "VL", "VL-KC"]


async def test_a_secretary_writes_in_their_branch_and_is_refused_next_door(
    fresh_database: str, service_nats: str
) -> None:
    writers = SubtreeWriters({"admin": ["LC"], "secretary-kc": KHE_CO})
    async with running_service(fresh_database, service_nats, writers) as service:
        client = service.client
        admin = {"X-Chibo-Actor": "admin"}
        for unit_id, kind, parent in [
            ("LC", "province", None),
            ("VB", "district", "LC"),
            ("VL", "grassroots", "VB"),
            ("VL-TT", "branch", "VL"),
            ("VL-KC", "branch", "VL"),
        ]:
            body = {
                "unit_id": unit_id,
                "kind": kind,
                "name": unit_id,
                "parent_id": parent,
                "valid_from": "2020-01-01",
            }
            assert (await client.post("/v1/units", json=body, headers=admin)).status_code == 201

        secretary = {"X-Chibo-Actor": "secretary-kc"}
        household = {"households": [{"household_id": "h1", "label": "Hộ ông Páo"}]}
        next_door = await client.post(
            "/v1/branches/VL-TT/households", json=household, headers=secretary
        )
        own = await client.post("/v1/branches/VL-KC/households", json=household, headers=secretary)
        anonymous = await client.post("/v1/branches/VL-KC/households", json=household)

        assert next_door.status_code == 403
        assert next_door.json()["code"] == "forbidden"
        assert next_door.json()["detail_vi"] == (
            "secretary-kc không có quyền write tại LC/VB/VL/VL-TT"
        )
        # Refused before any rule runs: the household exists by now, yet the answer is 403,
        # so a refusal never reveals state outside the caller's subtree.
        assert anonymous.status_code == 403
        assert own.status_code == 201
        rows = await service.runtime.pool.fetch(
            "SELECT stream_id, metadata FROM events WHERE stream_id LIKE 'area-%'"
        )
        assert [(r["stream_id"], json.loads(r["metadata"])["actor"]) for r in rows] == [
            ("area-VL-KC", "secretary-kc")
        ]

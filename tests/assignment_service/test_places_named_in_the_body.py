"""A place a command's body names is the place it acts on: a query parameter of the same
name cannot stand in for it. Each request below names, in its query string, a place the
caller holds, and in its body one outside their subtree; every one is refused and nothing
is written."""

from __future__ import annotations

from typing import Any

from signin import bearer

from chibo_chassis.auth import Role

from .conftest import Service
from .two_provinces import MONTH, SCOPES, YEAR, report, two_provinces

ON = "2025-06-01"


async def test_a_query_parameter_does_not_stand_in_for_the_body(service: Service) -> None:
    client = service.client  # a province-wide administrator
    world = await two_provinces(client)
    own = world.member("VL-TT")
    member = bearer(Role.MEMBER, SCOPES[Role.MEMBER], own)
    board = bearer(Role.ORGANISATION_BOARD, SCOPES[Role.ORGANISATION_BOARD])
    committee = bearer(Role.GRASSROOTS_COMMITTEE, SCOPES[Role.GRASSROOTS_COMMITTEE])
    secretary = bearer(Role.BRANCH_SECRETARY, SCOPES[Role.BRANCH_SECRETARY])
    new_member = {
        "full_name": "Người Lạ",
        "branch_id": "TH-A",
        "admission_date": "2010-05-19",
        "card_number": "79000001",
        "birth_date": "1985-01-01",
    }
    new_unit = {
        "unit_id": "TH-B",
        "kind": "branch",
        "name": "Chi bộ B",
        "parent_id": "TH",
        "valid_from": ON,
    }
    requests: list[tuple[dict[str, str], str, dict[str, Any], dict[str, Any]]] = [
        (secretary, "/v1/members", {"branch_id": "VL-TT"}, new_member),
        (
            committee,
            f"/v1/members/{own}/transfer",
            {"to_branch_id": "VL-KC"},
            {"to_branch_id": "TH-A", "on": ON},
        ),
        (board, "/v1/units", {"parent_id": "VL"}, new_unit),
        (
            board,
            "/v1/units/VL-KC/move",
            {"to_parent_id": "VL"},
            {"to_parent_id": "TH", "valid_from": ON},
        ),
        (
            board,
            "/v1/units/VL-KC/merger",
            {"into_unit_id": "VL-TT"},
            {"into_unit_id": "TH-A", "valid_from": ON},
        ),
        (
            committee,
            f"/v1/followers/{world.member('VL-TT', 1)}/years/{YEAR}",
            {"unit_ids": "VL-TT"},
            {"level": "commune", "unit_ids": ["TH-A"]},
        ),
        (
            member,
            f"/v1/branches/VL-TT/reports/{MONTH}",
            {"reports": "mine"},
            {"reports": [report(world.member("VL-TT", 2))]},
        ),
    ]
    before = await service.runtime.pool.fetchval("SELECT count(*) FROM events")
    for headers, url, params, body in requests:
        response = await client.post(url, params=params, json=body, headers=headers)
        assert response.status_code == 403, f"{url}?{params}: {response.text}"
        assert response.json()["code"] == "forbidden"
    assert await service.runtime.pool.fetchval("SELECT count(*) FROM events") == before

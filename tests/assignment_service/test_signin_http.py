"""Sign-in and the permissions of docs/authorization.md through the HTTP API: members touch
only their own reports, a branch's secretary only their branch, an import only the rows
inside its starter's subtree; the audit trail names who did what, in which role, when, and
shows nobody what was filed outside their subtree; a missing or bad token is a 401."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from kernel.support import eventually
from signin import AUDIENCE, ISSUER, SECRET, bearer, token

from chibo_chassis.auth import Role, issue_token

from .conftest import Service
from .two_provinces import MONTH, PATHS, YEAR, ok, report, two_provinces

REPORTS = f"/v1/branches/VL-TT/reports/{MONTH}"


async def events(service: Service) -> int:
    count: int = await service.runtime.pool.fetchval("SELECT count(*) FROM events")
    return count


async def test_a_member_submits_only_their_own_report_and_reads_no_branch_view(
    service: Service,
) -> None:
    world = await two_provinces(service.client)
    me, neighbour = world.member("VL-TT", 1), world.member("VL-TT", 2)
    as_me = bearer(Role.MEMBER, PATHS["VL-TT"], me)
    before = await events(service)

    for refused in (
        [report(neighbour)],  # someone else's
        [report(me), report(neighbour)],  # their own with someone else's
    ):
        answer = await service.client.post(REPORTS, json={"reports": refused}, headers=as_me)
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "forbidden"
    elsewhere = await service.client.post(
        f"/v1/branches/TH-A/reports/{MONTH}", json={"reports": [report(me)]}, headers=as_me
    )
    assert elsewhere.status_code == 403  # their own, but filed in a branch not theirs
    assert await events(service) == before  # nothing stored
    assert (await service.client.get(REPORTS, headers=as_me)).status_code == 403

    own = await service.client.post(REPORTS, json={"reports": [report(me)]}, headers=as_me)
    assert own.status_code == 201, own.text
    month = await ok(service.client, "GET", REPORTS)
    states = {r["member_id"]: r["state"] for r in month["reports"]}
    assert (states[me], states[neighbour]) == ("on_time", "missing")


async def test_a_branch_secretary_cannot_read_or_write_the_branch_next_door(
    service: Service,
) -> None:
    world = await two_provinces(service.client)
    khe_co = bearer(Role.BRANCH_SECRETARY, PATHS["VL-KC"])
    before = await events(service)
    households = {"households": [{"household_id": "h9", "label": "Hộ mới"}]}
    moving = world.member("VL-KC")
    refused = [
        ("GET", f"/v1/branches/VL-TT/plans/{YEAR}/coverage", None),
        ("GET", REPORTS, None),
        ("GET", f"/v1/branches/VL-TT/plans/{YEAR}/mentors", None),
        ("POST", "/v1/branches/VL-TT/households", households),
        ("POST", f"/v1/problems/{world.problems['VL-TT']}/resolution", {}),
        ("POST", f"/v1/members/{world.member('VL-TT')}/roles", {}),
        # Their own member, to a branch that is not theirs: refused at the new branch.
        ("POST", f"/v1/members/{moving}/transfer", {"to_branch_id": "VL-TT", "on": "2025-05-01"}),
        # Places named by the body that are no ids, or unknown, are out of scope too.
        ("POST", "/v1/units", {"parent_id": 123}),
        ("POST", f"/v1/members/{moving}/transfer", {"to_branch_id": 7}),
        ("POST", f"/v1/members/{moving}/transfer", {"to_branch_id": "NO-SUCH"}),
        ("POST", "/v1/members", {"branch_id": {"$ne": None}}),
        # Ids they cannot see answer as if out of scope, so nothing can be probed.
        ("GET", f"/v1/branches/NO-SUCH/plans/{YEAR}/coverage", None),
        ("GET", f"/v1/imports/{'0' * 32}", None),
        ("POST", f"/v1/problems/{'0' * 32}/resolution", {}),
    ]
    for method, url, body in refused:
        answer = await service.client.request(method, url, json=body, headers=khe_co)
        assert answer.status_code == 403, f"{method} {url}: {answer.status_code}"
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert await events(service) == before

    # The province-wide administrator learns that an id is unknown.
    missing = await service.client.get(f"/v1/branches/NO-SUCH/plans/{YEAR}/coverage")
    assert missing.status_code == 404
    # In their own branch the secretary reads and writes.
    assert (await service.client.get(f"/v1/branches/VL-KC/reports/{MONTH}", headers=khe_co)).json()
    own = await service.client.post(
        "/v1/branches/VL-KC/households", json=households, headers=khe_co
    )
    assert own.status_code == 201, own.text


async def test_an_import_writes_only_the_rows_inside_its_starters_subtree(
    service: Service,
) -> None:
    await two_provinces(service.client)
    khe_co = bearer(Role.BRANCH_SECRETARY, PATHS["VL-KC"])
    export = (
        "Họ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ đảng viên,Chi bộ\n"
        "Lò Văn Páo,02/09/1980,03/02/2010,90000001,VL-KC\n"
        "Giàng Thị Mỷ,15/06/1992,19/05/2019,90000002,VL-TT\n"
        "Vàng Seo Chứ,01/01/1990,19/05/2019,90000003,TH-A\n"
        "Sùng A Lử,01/01/1990,19/05/2019,90000004,NO-SUCH\n"
    )
    started = await service.client.post(
        "/v1/imports/members",
        params={"filename": "khe-co.csv"},
        content=export.encode(),
        headers=khe_co,
    )
    assert started.status_code == 202, started.text
    job_url = f"/v1/imports/{started.json()['job_id']}"
    status: dict[str, Any] = {}

    async def done() -> bool:
        nonlocal status
        status = (await service.client.get(job_url, headers=khe_co)).json()
        return bool(status["status"] != "running")

    await eventually(done, timeout=60, what="the import job")
    assert (status["rows"], status["imported"], status["unchanged"]) == (4, 1, 0)
    # Outside the subtree is said exactly as unknown: the reasons differ only by the code.
    reasons = {e["line"]: e["reason"] for e in status["errors"]}
    assert sorted(reasons) == [3, 4, 5]
    assert {r.split("'")[0] for r in reasons.values()} == {"no active branch "}
    branches = await service.runtime.pool.fetch(
        "SELECT m.branch_id FROM members m JOIN member_cards c USING (member_id)"
        " WHERE c.card_number LIKE '9000000%'"
    )
    assert [r["branch_id"] for r in branches] == ["VL-KC"]
    # The job's place is its starter's subtree: the branch next door cannot read it.
    next_door = bearer(Role.BRANCH_SECRETARY, PATHS["VL-TT"])
    assert (await service.client.get(job_url, headers=next_door)).status_code == 403
    above = bearer(Role.GRASSROOTS_COMMITTEE, PATHS["VL"])
    assert (await service.client.get(job_url, headers=above)).status_code == 200


async def test_the_audit_trail_names_who_when_and_in_which_role_within_the_subtree(
    service: Service,
) -> None:
    world = await two_provinces(service.client)
    member = world.member("VL-KC")
    await ok(
        service.client,
        "POST",
        f"/v1/members/{member}/transfer",
        json={"to_branch_id": "VL-TT", "on": "2025-05-01"},
    )
    secretary = {
        "Authorization": "Bearer "
        + token(Role.BRANCH_SECRETARY, PATHS["VL-TT"], subject="lo.thi.hoa@volao")
    }
    await ok(
        service.client,
        "POST",
        f"/v1/members/{member}/roles",
        json={"role": "committee_member", "since": "2025-06-01"},
        headers=secretary,
    )
    url = f"/v1/audit/member/{member}"

    async def trail(role: Role, org: str) -> httpx.Response:
        return await service.client.get(url, headers=bearer(role, org))

    whole = (await trail(Role.GRASSROOTS_COMMITTEE, PATHS["VL"])).json()
    seen = [(e["event_type"], e["actor"], e["role"]) for e in whole["entries"]]
    admin = f"{Role.PROVINCE_ADMIN}@province"
    assert seen == [
        ("chibo.assignment.member_registered.v3", admin, "province_admin"),
        ("chibo.assignment.member_identity_recorded.v1", admin, "province_admin"),
        ("chibo.assignment.member_transferred.v1", admin, "province_admin"),
        ("chibo.assignment.member_role_given.v1", "lo.thi.hoa@volao", "branch_secretary"),
    ]
    assert all(e["recorded_at"] and e["correlation_id"] for e in whole["entries"])
    private = whole["entries"][1]
    assert private["data"] is None
    assert "card_number" in private["changed_fields"]
    assert whole["entries"][3]["data"]["role"] == "committee_member"

    # Each branch's auditors see what was filed in their branch, nothing else.
    new_branch = (await trail(Role.AUDITOR, PATHS["VL-TT"])).json()
    assert [e["event_type"] for e in new_branch["entries"]] == [
        "chibo.assignment.member_role_given.v1"
    ]
    old_branch = (await trail(Role.AUDITOR, PATHS["VL-KC"])).json()
    assert [e["org_path"][-1] for e in old_branch["entries"]] == ["VL-KC"] * 3
    assert (await trail(Role.AUDITOR, PATHS["YB"])).status_code == 403
    # Roles without the audit permission are refused before anything is looked up.
    assert (await trail(Role.BRANCH_SECRETARY, PATHS["VL-TT"])).status_code == 403
    unknown = f"/v1/audit/member/{'f' * 32}"
    assert (await service.client.get(unknown)).status_code == 404
    scoped = bearer(Role.AUDITOR, PATHS["LC"])
    assert (await service.client.get(unknown, headers=scoped)).status_code == 403


async def test_an_event_appended_through_http_carries_the_tokens_subject_and_role(
    service: Service,
) -> None:
    await two_provinces(service.client)
    committee = {
        "Authorization": "Bearer "
        + token(Role.GRASSROOTS_COMMITTEE, PATHS["VL"], subject="dang-uy-xa@volao")
    }
    households = {"households": [{"household_id": "h7", "label": "Hộ ông Chứ"}]}
    saved = await ok(
        service.client, "POST", "/v1/branches/VL-TT/households", json=households, headers=committee
    )
    event_id, _ = saved["event_ids"]  # the household; its label is in a private stream
    row = await service.runtime.pool.fetchrow(
        "SELECT metadata FROM events WHERE event_id = $1", event_id
    )
    metadata = json.loads(row["metadata"])
    assert (metadata["actor"], metadata["role"]) == ("dang-uy-xa@volao", "grassroots_committee")
    assert metadata["org_path"] == ["LC", "VB", "VL", "VL-TT"]


def _bad_tokens() -> dict[str, dict[str, str]]:
    def signed(**claims: Any) -> dict[str, str]:
        fields: dict[str, Any] = {
            "subject": "someone",
            "role": Role.PROVINCE_ADMIN,
            "issuer": ISSUER,
            "audience": AUDIENCE,
            **claims,
        }
        secret = fields.pop("secret", SECRET)
        return {"Authorization": f"Bearer {issue_token(secret, **fields)}"}

    return {
        "none": {},
        "not a bearer": {"Authorization": "Basic YWRtaW46YWRtaW4="},
        "garbage": {"Authorization": "Bearer not.a.token"},
        "expired": signed(ttl_seconds=-3600),
        "wrong audience": signed(audience="another-system"),
        "wrong issuer": signed(issuer="someone-else"),
        "wrong secret": signed(secret="x" * 40),
        "no organisation for a scoped role": signed(role=Role.BRANCH_SECRETARY),
    }


@pytest.mark.parametrize("case", list(_bad_tokens()))
async def test_no_or_a_bad_token_is_refused_with_401_and_changes_nothing(
    service: Service, case: str
) -> None:
    headers = _bad_tokens()[case]
    unit = {
        "unit_id": "LC",
        "kind": "province",
        "name": "Đảng bộ tỉnh Lào Cai",
        "valid_from": "2020-01-01",
    }
    transport = service.client._transport  # the same app, without the default token
    async with httpx.AsyncClient(transport=transport, base_url="http://assignment") as bare:
        for method, url, body in [
            ("POST", "/v1/units", unit),
            ("GET", "/v1/units/LC/visit-quotas", None),
            ("GET", "/v1/no/such/route", None),  # not even which paths exist
        ]:
            answer = await bare.request(method, url, json=body, headers=headers)
            assert answer.status_code == 401, f"{case}: {method} {url}: {answer.text}"
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.headers["www-authenticate"].startswith("Bearer")
            problem = answer.json()
            assert problem["detail"]
            assert problem["detail_vi"]
        assert (await bare.get("/health/live")).status_code == 200
    assert await events(service) == 0
    assert await service.runtime.pool.fetchval("SELECT count(*) FROM org_units") == 0

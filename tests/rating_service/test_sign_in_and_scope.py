"""Sign-in and the organisation tree at the rating service: a member submits and reads only
their own; a branch's secretary neither reads nor writes another branch; a scoped query
counts nothing outside the caller's subtree; the audit names who acted, in which role and
when, and hides what was filed outside the caller's subtree; a refused sign-in stores
nothing."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from attendance_service.branch import BRANCH, OTHER, held_body, ok, register
from signin import AUDIENCE, ISSUER, SECRET, bearer, token

from chibo_chassis.auth import Role, issue_token

from .conftest import Rating, Trio
from .world import NEAR, SCOPES, YEAR, build_world

SELF_ASSESSMENT = {
    "general_points": 28,
    "task_points": 65,
    "tasks_total": 8,
    "tasks_on_time": 8,
    "tasks_exceeded": 2,
    "level": "good",
}
APPRAISAL = {"level": "good", "note": "hoàn thành tốt nhiệm vụ"}


async def _stored(r: Rating) -> tuple[int, int, int]:
    pool = r.runtime.pool
    return (
        await pool.fetchval("SELECT count(*) FROM events"),
        await pool.fetchval("SELECT count(*) FROM self_assessments"),
        await pool.fetchval("SELECT count(*) FROM appraisals"),
    )


async def test_a_member_submits_and_reads_only_their_own(trio: Trio) -> None:
    r = trio.rating
    world = await build_world(trio)
    mine = f"/v1/members/{world.member}"
    theirs = f"/v1/members/{world.neighbour}"
    async with r.signed_in(world.headers(Role.MEMBER)) as member:
        submitted = await member.post(
            f"{mine}/ratings/{YEAR}/self-assessment", json=SELF_ASSESSMENT
        )
        assert submitted.status_code == 201, submitted.text
        before = await _stored(r)
        # Someone else's, even in the same branch, with a valid body: refused, nothing stored.
        refused = await member.post(
            f"{theirs}/ratings/{YEAR}/self-assessment", json=SELF_ASSESSMENT
        )
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert await _stored(r) == before == (before[0], 1, 0)
        # The branch's appraisal is not the member's to give, not even of themselves.
        assert (
            await member.post(f"{mine}/ratings/{YEAR}/appraisal", json=APPRAISAL)
        ).status_code == 403

        card = await member.get(f"{mine}/scorecard/{YEAR}")
        assert card.status_code == 200, card.text
        assert (await member.get(f"{theirs}/scorecard/{YEAR}")).status_code == 403
        assert (await member.get(f"/v1/units/{BRANCH}/members/{YEAR}")).status_code == 403
        download = await member.get(f"{mine}/scorecard/{YEAR}", params={"format": "csv"})
        assert download.status_code == 200
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        assert [row[0] for row in rows] == ["Mã đảng viên", world.member]
        assert await _stored(r) == before

    # The member's scorecard is their row of the branch's scorecards, quarter by quarter too.
    branch = await r.ok("GET", f"/v1/units/{BRANCH}/members/{YEAR}")
    assert card.json() == next(c for c in branch if c["member_id"] == world.member)
    assert card.json()["score"] is not None  # the self-assessment's points count
    quarter = await r.ok("GET", f"{mine}/scorecard/{YEAR}", params={"quarter": 2})
    branch_q2 = await r.ok("GET", f"/v1/units/{BRANCH}/members/{YEAR}", params={"quarter": 2})
    assert quarter == next(c for c in branch_q2 if c["member_id"] == world.member)

    # The event carries who submitted it and in which role, from the token.
    metadata = await r.runtime.pool.fetchval(
        "SELECT metadata FROM events WHERE event_type LIKE '%self_assessment_submitted%'"
    )
    metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
    assert metadata["actor"] == f"member@{SCOPES[Role.MEMBER]}"
    assert metadata["role"] == "member"


async def test_a_branch_secretary_neither_reads_nor_writes_another_branch(trio: Trio) -> None:
    r = trio.rating
    world = await build_world(trio)
    before = await _stored(r)
    async with r.signed_in(world.headers(Role.BRANCH_SECRETARY)) as secretary:
        other = f"/v1/members/{world.other_branch_member}"
        for url in (
            f"/v1/units/{OTHER}/members/{YEAR}",
            f"/v1/units/{OTHER}/proposals/{YEAR}",
            f"/v1/units/VL/rollup/{YEAR}",  # the commune above: not the branch's to read
            f"{other}/scorecard/{YEAR}",
        ):
            assert (await secretary.get(url)).status_code == 403, url
        for what, body in (("appraisal", APPRAISAL), ("self-assessment", SELF_ASSESSMENT)):
            answer = await secretary.post(f"{other}/ratings/{YEAR}/{what}", json=body)
            assert answer.status_code == 403, what
            # Refused before the body is read: a malformed one gets the same answer.
            garbage = await secretary.post(f"{other}/ratings/{YEAR}/{what}", json={"x": [1]})
            assert garbage.status_code == 403, what
        assert await _stored(r) == before

        # Their own branch: yes.
        own = f"/v1/members/{world.member}/ratings/{YEAR}/appraisal"
        assert (await secretary.post(own, json=APPRAISAL)).status_code == 201
        assert (await secretary.get(f"/v1/units/{BRANCH}/members/{YEAR}")).status_code == 200
    assert await _stored(r) == (before[0] + 2, 0, 1)  # the appraisal, and its note beside it


async def test_a_scoped_query_counts_no_visit_outside_the_subtree(trio: Trio) -> None:
    """A district committee member follows two communes (VL and KH) and visits a branch of
    each; the commune VL's committee sees only the visit to its own branch."""
    a, t, r = trio.assignment, trio.attendance, trio.rating
    world = await build_world(trio)
    near_member = await register(a, 5, NEAR)
    follower = await register(a, 90, OTHER)
    follow = {"level": "district", "unit_ids": ["VL", "KH"]}
    await ok(a, "POST", f"/v1/followers/{follower}/years/{YEAR}", json=follow)
    day = f"{YEAR}-03-05"
    for branch, member, members in ((BRANCH, world.member, 2), (NEAR, near_member, 1)):
        await t.roster_has(branch, day, members)
        body = {"kind": "regular", "scheduled_for": f"{day}T19:30:00+07:00", "place": "Nhà văn hóa"}
        meeting = (await t.ok("POST", f"/v1/branches/{branch}/meetings", json=body))["meeting_id"]
        guests = [{"member_id": follower, "level": "district"}]
        held = held_body(day, member, guests=guests)
        await t.ok("POST", f"/v1/meetings/{meeting}/held", json=held)
    await r.caught_up()

    def visits(lines: list[dict[str, Any]]) -> dict[str, int]:
        return {line["follower_id"]: line["visits"] for line in lines}

    assert visits(await r.ok("GET", f"/v1/units/VL/following/{YEAR}")) == {follower: 2}
    async with r.signed_in(world.headers(Role.ORGANISATION_BOARD)) as board:
        answer = await board.get(f"/v1/units/VL/following/{YEAR}")
        assert visits(answer.json()) == {follower: 2}  # both branches lie in the district
    async with r.signed_in(world.headers(Role.GRASSROOTS_COMMITTEE)) as commune:
        answer = await commune.get(f"/v1/units/VL/following/{YEAR}")
        assert visits(answer.json()) == {follower: 1}
        download = await commune.get(f"/v1/units/VL/following/{YEAR}", params={"format": "csv"})
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        assert rows[1][3] == "1"  # the download counts the same
        # The district's roll-up and following are not the commune's to ask for.
        assert (await commune.get(f"/v1/units/VB/following/{YEAR}")).status_code == 403
        assert (await commune.get(f"/v1/units/VB/rollup/{YEAR}")).status_code == 403


async def test_the_audit_names_who_acted_and_hides_what_lies_outside(trio: Trio) -> None:
    """A member appraised in VL-TT for 2024, then moved to KH-B and appraised there for
    2025: each commune's committee sees its own part of their history, the district all."""
    a, r = trio.assignment, trio.rating
    world = await build_world(trio)
    m = world.member
    vl_secretary = bearer(Role.BRANCH_SECRETARY, SCOPES[Role.BRANCH_SECRETARY])
    async with r.signed_in(vl_secretary) as secretary:
        answer = await secretary.post(f"/v1/members/{m}/ratings/2024/appraisal", json=APPRAISAL)
        assert answer.status_code == 201, answer.text
    await ok(
        a, "POST", f"/v1/members/{m}/transfer", json={"to_branch_id": NEAR, "on": "2025-03-01"}
    )
    await r.caught_up()
    async with r.signed_in(bearer(Role.BRANCH_SECRETARY, f"LC.VB.KH.{NEAR}")) as secretary:
        body = {"level": "completed", "note": "mới chuyển đến"}
        answer = await secretary.post(f"/v1/members/{m}/ratings/{YEAR}/appraisal", json=body)
        assert answer.status_code == 201, answer.text

    trail = await r.ok("GET", f"/v1/audit/member/{m}")
    entries = trail["entries"]
    # Each appraisal, and its note kept beside the book: who wrote it when, never the text.
    assert [e["event_type"] for e in entries] == [
        "chibo.rating.appraisal_recorded.v2",
        "chibo.rating.appraisal_note_recorded.v1",
    ] * 2
    assert [e["actor"] for e in entries] == [
        f"branch_secretary@LC.VB.VL.{BRANCH}",
        f"branch_secretary@LC.VB.VL.{BRANCH}",
        f"branch_secretary@LC.VB.KH.{NEAR}",
        f"branch_secretary@LC.VB.KH.{NEAR}",
    ]
    assert {e["role"] for e in entries} == {"branch_secretary"}
    assert all(e["recorded_at"] and e["correlation_id"] for e in entries)
    assert [e["data"]["level"] for e in entries[::2]] == ["good", "completed"]
    assert [(e["data"], "note" in e["changed_fields"]) for e in entries[1::2]] == [(None, True)] * 2

    async def seen_by(role: Role, org: str, url: str = f"/v1/audit/member/{m}") -> Any:
        async with r.signed_in(bearer(role, org)) as client:
            answer = await client.get(url)
        return answer.json()["entries"] if answer.status_code == 200 else answer.status_code

    vl = await seen_by(Role.GRASSROOTS_COMMITTEE, "LC.VB.VL")
    assert [e["org_path"][-1] for e in vl] == [BRANCH] * 2
    kh = await seen_by(Role.GRASSROOTS_COMMITTEE, "LC.VB.KH")
    assert [e["org_path"][-1] for e in kh] == [NEAR] * 2
    assert len(await seen_by(Role.ORGANISATION_BOARD, "LC.VB")) == 4
    assert len(await seen_by(Role.AUDITOR, "LC")) == 4
    assert await seen_by(Role.AUDITOR, "QN") == 403  # all of it outside
    assert await seen_by(Role.BRANCH_SECRETARY, f"LC.VB.VL.{BRANCH}") == 403  # no audit
    # The branch's book and the unit: the same entries, seen from the branch.
    book = await r.ok("GET", f"/v1/audit/rating/{BRANCH}-2024")
    unit = await r.ok("GET", f"/v1/audit/unit/{BRANCH}")
    assert [e["actor"] for e in book["entries"]] == [entries[0]["actor"]] * 2
    assert [e["version"] for e in unit["entries"]] == [e["version"] for e in book["entries"]]
    assert (await r.client.get("/v1/audit/member/nobody")).status_code == 404
    assert await seen_by(Role.AUDITOR, "LC", "/v1/audit/member/nobody") == 403


async def test_no_expired_or_foreign_token_is_refused_with_nothing_stored(trio: Trio) -> None:
    r = trio.rating
    world = await build_world(trio)
    before = await _stored(r)
    url = f"/v1/members/{world.member}/ratings/{YEAR}/self-assessment"

    def signed(**overrides: Any) -> dict[str, str]:
        claims: dict[str, Any] = {
            "subject": "someone",
            "role": Role.PROVINCE_ADMIN,
            "issuer": ISSUER,
            "audience": AUDIENCE,
            **overrides,
        }
        return {"Authorization": f"Bearer {issue_token(SECRET, **claims)}"}

    refusals = {
        "no token": {},
        "expired": signed(ttl_seconds=-3600),
        "wrong audience": signed(audience="someone-else"),
        "wrong secret": {
            "Authorization": "Bearer "
            + issue_token(
                "x" * 40,
                subject="someone",
                role=Role.PROVINCE_ADMIN,
                issuer=ISSUER,
                audience=AUDIENCE,
            )
        },
        "not a bearer": {"Authorization": f"Basic {token(Role.PROVINCE_ADMIN)}"},
    }
    for why, headers in refusals.items():
        async with r.signed_in(headers) as client:
            for method, target in (("POST", url), ("GET", f"/v1/units/{BRANCH}/rollup/{YEAR}")):
                answer = await client.request(method, target, json=SELF_ASSESSMENT)
                assert answer.status_code == 401, (why, method, answer.text)
                assert answer.headers["content-type"].startswith("application/problem+json")
                problem = answer.json()
                assert problem["detail"], (why, problem)
                assert problem["detail_vi"], (why, problem)
                assert answer.headers["www-authenticate"].startswith("Bearer")
    assert await _stored(r) == before
    # Health and the API document stay open.
    async with r.signed_in(None) as anonymous:
        assert (await anonymous.get("/health/live")).status_code == 200
        assert (await anonymous.get("/openapi.json")).status_code == 200

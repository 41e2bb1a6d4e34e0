"""Sign-in and the permissions boundary on the kernel's HTTP app, with the policy in force: what a
caller without a good token, out of scope, or in the wrong role gets, and what is open."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from signin import SECRET, bearer

from chibo_chassis.auth import (
    Boundary,
    Fields,
    Permission,
    Place,
    Role,
    Rule,
    SharedSecretVerifier,
    acting_as,
    issue_token,
)
from chibo_chassis.auth.principal import Principal
from chibo_chassis.http import (
    AccessLog,
    AuditSubject,
    ReadAudit,
    audit_handler,
    audit_router,
    authorised,
    create_app,
    v1_router,
)
from chibo_chassis.http.problems import MAX_BODY_BYTES
from chibo_kernel import KernelMetrics
from chibo_kernel.context import traced
from chibo_kernel.domain import Message
from chibo_kernel.pool import LeanPool
from chibo_kernel.store import InMemoryEventStore, StreamAppend

from .support import event_models

JSON = {"Content-Type": "application/json"}
UNITS = {"b1": ["LC", "VB", "b1"], "b2": ["LC", "BT", "b2"]}
Happened, _, REGISTRY = event_models("signin")
FORGED = issue_token(
    "not-the-services-secret-but-long-enough",
    subject="mallory",
    role=Role.PROVINCE_ADMIN,
    issuer="chibo-embedded",
    audience="chibo",
)


async def unit_of(fields: Fields, places: dict[str, list[str]]) -> list[Place]:
    return [places.get(fields["unit_id"])]


@dataclass(frozen=True)
class ReadUnit(Message[str]):
    unit_id: str


@dataclass(frozen=True)
class Work(Message[dict[str, int]]):
    unit_id: str
    body: dict[str, int]


@dataclass(frozen=True)
class ReadCard(Message[str]):
    unit_id: str
    member_id: str


RULES: dict[type, Rule[dict[str, list[str]]]] = {
    ReadUnit: Rule(Permission.READ, at=unit_of),
    Work: Rule(Permission.BRANCH_WORK, at=unit_of),
    ReadCard: Rule(Permission.READ, at=unit_of, own="member_id"),
    ReadAudit: Rule(Permission.AUDIT, rows=True),
}


def no_database() -> LeanPool:
    raise AssertionError("this test reads no personal data: it has no database for the log")


def app_with(
    store: InMemoryEventStore, log_pool: Callable[[], LeanPool] = no_database
) -> httpx.AsyncClient:
    """`log_pool`: where the audit trail, a read of personal data, is logged."""

    async def answer(message: Any) -> Any:
        return message.body if isinstance(message, Work) else message.unit_id

    async def resolve(kind: str, subject_id: str) -> AuditSubject | None:
        return AuditSubject([f"thing-{subject_id}"])

    audit = audit_handler(resolve, lambda: store, RULES[ReadAudit].permission)
    bus = Boundary(RULES, lambda: UNITS, {**{kind: answer for kind in RULES}, ReadAudit: audit})
    router = v1_router()

    @router.get("/units/{unit_id}", dependencies=[authorised(bus, ReadUnit)])
    async def read_unit(unit_id: str) -> dict[str, str]:
        return {"unit_id": await bus.run(ReadUnit(unit_id))}

    @router.post("/units/{unit_id}/work", dependencies=[authorised(bus, Work)])
    async def work(unit_id: str, body: dict[str, int]) -> dict[str, int]:
        return await bus.run(Work(unit_id, body))

    @router.get("/units/{unit_id}/members/{member_id}", dependencies=[authorised(bus, ReadCard)])
    async def card(unit_id: str, member_id: str) -> dict[str, str]:
        await bus.run(ReadCard(unit_id, member_id))
        return {"member_id": member_id}

    app = create_app(
        title="signin",
        version="0",
        metrics=KernelMetrics(),
        checks={},
        verifier=SharedSecretVerifier(SECRET, issuer="chibo-embedded", audience="chibo"),
        routers=[router, audit_router(["thing"], bus)],
        access_log=AccessLog("signin", log_pool, KernelMetrics()),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://k.test")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with app_with(InMemoryEventStore()) as c:
        yield c


def assert_problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    assert body["detail_vi"]
    assert body["detail"] != body["detail_vi"]


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "missing"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing"),
        ({"Authorization": f"Bearer {FORGED}"}, "InvalidSignatureError"),
    ],
)
async def test_no_or_a_bad_token_is_401_before_routing(
    client: httpx.AsyncClient, headers: dict[str, str], reason: str
) -> None:
    for path in ["/v1/units/b1", "/v1/no-such-route"]:  # unknown paths are not revealed
        response = await client.get(path, headers=headers)
        assert_problem(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"].startswith("Bearer")
    metrics = (await client.get("/metrics")).text
    assert f'chibo_http_sign_in_refused_total{{reason="{reason}"}} 2.0' in metrics


@pytest.mark.parametrize(
    ("claims", "what"),
    [
        ({"ttl_seconds": -120}, "expired"),
        ({"audience": "another-system"}, "wrong audience"),
        ({"issuer": "https://elsewhere"}, "wrong issuer"),
        ({"extra": {"chibo_role": "superuser"}}, "chibo_role"),
    ],
)
async def test_expired_foreign_or_unusable_tokens_are_refused(
    client: httpx.AsyncClient, claims: dict[str, object], what: str
) -> None:
    fields: dict[str, object] = {
        "subject": "u1",
        "role": Role.PROVINCE_ADMIN,
        "issuer": "chibo-embedded",
        "audience": "chibo",
        **claims,
    }
    bad = issue_token(SECRET, **fields)  # type: ignore[arg-type]
    response = await client.get("/v1/units/b1", headers={"Authorization": f"Bearer {bad}"})
    assert_problem(response, 401, "unauthenticated")
    assert what in response.json()["detail"]


async def test_health_metrics_and_the_api_document_are_open(client: httpx.AsyncClient) -> None:
    for path in ["/health/live", "/metrics", "/openapi.json"]:
        assert (await client.get(path)).status_code == 200, path
    document = (await client.get("/openapi.json")).json()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["security"] == [{"bearer": []}]
    assert "403" in document["paths"]["/v1/units/{unit_id}"]["get"]["responses"]


@pytest.mark.parametrize(
    ("role", "org", "b1", "b2"),
    [
        (Role.PROVINCE_ADMIN, "", 200, 200),
        (Role.AUDITOR, "LC", 200, 200),
        (Role.ORGANISATION_BOARD, "LC.VB", 200, 403),
        (Role.BRANCH_SECRETARY, "LC.VB.b1", 200, 403),
        (Role.BRANCH_SECRETARY, "LC.BT.b2", 403, 200),
    ],
)
async def test_reads_are_held_to_the_subtree(
    client: httpx.AsyncClient, role: Role, org: str, b1: int, b2: int
) -> None:
    headers = bearer(role, org)
    assert (await client.get("/v1/units/b1", headers=headers)).status_code == b1
    assert (await client.get("/v1/units/b2", headers=headers)).status_code == b2


async def test_unknown_places_are_404_only_for_the_province_wide(
    client: httpx.AsyncClient,
) -> None:
    assert_problem(await client.get("/v1/units/zz", headers=bearer()), 404, "not_found")
    scoped = bearer(Role.BRANCH_SECRETARY, "LC.VB.b1")
    assert_problem(await client.get("/v1/units/zz", headers=scoped), 403, "forbidden")


async def test_the_guard_refuses_before_the_body_is_validated(client: httpx.AsyncClient) -> None:
    auditor = bearer(Role.AUDITOR, "LC")
    refused = await client.post("/v1/units/b1/work", headers=auditor, json={"n": "not a number"})
    assert_problem(refused, 403, "forbidden")
    secretary = bearer(Role.BRANCH_SECRETARY, "LC.VB.b1")
    invalid = await client.post("/v1/units/b1/work", headers=secretary, json={"n": "x"})
    assert_problem(invalid, 422, "invalid_request")
    # Even JSON that does not parse: the guard runs before FastAPI reads the body.
    for headers, status, code in [(auditor, 403, "forbidden"), (secretary, 422, "invalid_request")]:
        broken = await client.post(
            "/v1/units/b1/work", headers={**headers, **JSON}, content=b"{not json"
        )
        assert_problem(broken, status, code)


async def test_a_member_reads_only_their_own_record(client: httpx.AsyncClient) -> None:
    member = bearer(Role.MEMBER, "LC.VB.b1", "m7")
    assert (await client.get("/v1/units/b1/members/m7", headers=member)).status_code == 200
    assert (await client.get("/v1/units/b1/members/m8", headers=member)).status_code == 403
    assert (await client.get("/v1/units/b1", headers=member)).status_code == 403


async def test_bodies_over_the_limit_are_refused_unread(client: httpx.AsyncClient) -> None:
    huge = b"[" + b"1," * (MAX_BODY_BYTES // 2) + b"1]"
    response = await client.post("/v1/units/b1/work", headers=bearer(), content=huge)
    assert_problem(response, 413, "body_too_large")


async def test_deeply_nested_json_is_a_clear_400(client: httpx.AsyncClient) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    response = await client.post("/v1/units/b1/work", headers={**bearer(), **JSON}, content=deep)
    assert_problem(response, 400, "unreadable_body")


async def test_the_audit_trail_shows_who_and_hides_other_subtrees(pool: LeanPool) -> None:
    store = InMemoryEventStore()
    board = Principal("hoa@vb", Role.ORGANISATION_BOARD, ("LC", "VB"))
    secretary = Principal("lan@b2", Role.BRANCH_SECRETARY, ("LC", "BT", "b2"))
    for who, path, n in [(board, UNITS["b1"], 1), (secretary, UNITS["b2"], 2)]:
        with traced(actor=who.subject, role=str(who.role)), acting_as(who):
            version = len(await store.load("thing-t1"))
            await store.append_batch([StreamAppend("thing-t1", version, [Happened(n=n)], path)])
    async with app_with(store, lambda: pool) as client:
        everything = await client.get("/v1/audit/thing/t1", headers=bearer(Role.AUDITOR))
        assert everything.status_code == 200, everything.text
        entries = everything.json()["entries"]
        assert [(e["actor"], e["role"], e["data"]["n"]) for e in entries] == [
            ("hoa@vb", "organisation_board", 1),
            ("lan@b2", "branch_secretary", 2),
        ]
        assert all(e["recorded_at"] for e in entries)
        district = await client.get(
            "/v1/audit/thing/t1", headers=bearer(Role.ORGANISATION_BOARD, "LC.VB")
        )
        assert [e["data"]["n"] for e in district.json()["entries"]] == [1]
        elsewhere = bearer(Role.ORGANISATION_BOARD, "LC.SP")
        assert_problem(await client.get("/v1/audit/thing/t1", headers=elsewhere), 403, "forbidden")
        no_audit = bearer(Role.BRANCH_SECRETARY, "LC.VB.b1")
        assert_problem(await client.get("/v1/audit/thing/t1", headers=no_audit), 403, "forbidden")
        assert_problem(await client.get("/v1/audit/thing/none", headers=bearer()), 404, "not_found")

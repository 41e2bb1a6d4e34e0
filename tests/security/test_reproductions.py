"""Reproductions of the bugs the hostile runs found (issue 7), one minimal input each.

Each failed when written (the kernel and service fixes came after); the general runs
(test_http_fuzz, test_hostile_commands, test_consumers) send the same inputs among many
others, and these pin each one down.
"""

from __future__ import annotations

import json
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from signin import ADMIN, AUDIENCE, ISSUER, SECRET

from chibo_chassis.auth.tokens import SharedSecretVerifier
from chibo_chassis.http import create_app
from chibo_kernel.metrics import KernelMetrics

from .consumers import ROSTER, as_owner, errors_logged
from .harness import System, answer_problems
from .seeds import BRANCH, MONTH, YEAR, Seeds, seed

# --- HTTP: the three services, seeded, shared by the HTTP reproductions ---------------------


@pytest.fixture(scope="module")
def services(
    pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[System, Seeds]]:
    root = tmp_path_factory.mktemp("reproductions")
    with System(root, pg_admin_url, ["assignment", "attendance", "rating"]) as system:
        yield system, seed(system)


def post(system: System, service: str, path: str, body: Any, **kwargs: Any) -> httpx.Response:
    url = system.services[service].base_url + path
    content = json.dumps(body, ensure_ascii=False).encode() if not isinstance(body, bytes) else body
    headers = {**ADMIN, "Content-Type": "application/json", "Connection": "close"}
    return system.http.post(
        url, content=content, headers={**headers, **kwargs.pop("headers", {})}, **kwargs
    )


def refused_cleanly(system: System, service: str, response: httpx.Response) -> None:
    """A 4xx problem with both details; the service's log names any unhandled error."""
    errors = system.services[service].new_errors()
    assert response.status_code < 500, f"{response.status_code}; logged: {errors[-1:]}"
    assert not answer_problems(response), answer_problems(response)


# NUL in free text: Postgres jsonb cannot hold \u0000, so the event store's append fails
# (asyncpg UntranslatableCharacterError in chibo_kernel/store/postgres.py _write_batch).
@pytest.mark.parametrize(
    ("service", "path", "body"),
    [
        (
            "attendance",
            f"/v1/branches/{BRANCH}/meetings",
            {"kind": "regular", "scheduled_for": "2025-09-05T19:30:00+07:00", "place": "Nhà\x00"},
        ),
        (
            "assignment",
            "/v1/members/{member}/exemption",
            {"from_date": "2025-01-01", "to_date": "2025-12-31", "reason": "Ốm\x00"},
        ),
        (
            "rating",
            "/v1/members/{member}/ratings/2024/appraisal",
            {"level": "good", "note": "\x00"},
        ),
    ],
)
def test_nul_in_free_text_is_refused_not_500(
    services: tuple[System, Seeds], service: str, path: str, body: dict[str, Any]
) -> None:
    system, seeds = services
    path = path.format(member=seeds.members[2])
    before = system.state(service)
    response = post(system, service, path, body)
    refused_cleanly(system, service, response)
    assert response.status_code == 422
    assert not before.differences(system.state(service))


# NUL in an id the route guard looks up before the request is validated: the guard's
# locator queries Postgres with it (asyncpg CharacterNotInRepertoireError in
# services/*/adapters/places.py).
@pytest.mark.parametrize(
    ("service", "path", "body"),
    [
        ("assignment", "/v1/units/{nul}/name", {"name": "Tên", "valid_from": "2025-01-01"}),
        ("assignment", "/v1/members/{nul}/roles", {"role": "secretary", "since": "2021-01-01"}),
        (
            "assignment",
            "/v1/units",
            {
                "unit_id": "X1",
                "kind": "branch",
                "name": "Chi bộ",
                "parent_id": "\x00",
                "valid_from": "2025-01-01",
            },
        ),
        (
            "assignment",
            "/v1/members",
            {
                "full_name": "Nguyễn Văn A",
                "branch_id": "VL-TT\x00",
                "admission_date": "2010-01-01",
                "card_number": "1234567",
                "birth_date": "1970-01-01",
            },
        ),
        (
            "assignment",
            "/v1/followers/{member}/years/2025",
            {"level": "commune", "unit_ids": ["\x00"]},
        ),
        ("rating", "/v1/members/{nul}/ratings/2025/appraisal", {"level": "good"}),
        (
            "rating",
            "/v1/units/{nul}/ratings/2025/decisions",
            {"decisions": [], "decided_on": "2026-01-01"},
        ),
    ],
)
def test_nul_in_an_id_the_guard_reads_is_refused_not_500(
    services: tuple[System, Seeds], service: str, path: str, body: dict[str, Any]
) -> None:
    system, seeds = services
    path = path.format(nul=urllib.parse.quote("\x00"), member=seeds.other_members[0])
    response = post(system, service, path, body)
    refused_cleanly(system, service, response)


# A time whose offset carries it past year 1 or 9999 in Vietnam's time: OverflowError in
# chibo_kernel/clock.py local_date (astimezone).
@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"])
def test_a_time_out_of_range_in_vietnam_is_refused_not_500(
    services: tuple[System, Seeds], moment: str
) -> None:
    system, _ = services
    body = {"kind": "regular", "scheduled_for": moment, "place": "Nhà văn hóa"}
    response = post(system, "attendance", f"/v1/branches/{BRANCH}/meetings", body)
    refused_cleanly(system, "attendance", response)


# A control character in a header cell of a plan's assignment sheet: ControlCharacterError from
# assignment/domain/text.py normalise escapes the import.
@pytest.mark.parametrize("cell", ["\x00", "\x1b[0m"])
def test_a_control_character_in_a_plan_sheet_is_refused_not_500(
    services: tuple[System, Seeds], cell: str
) -> None:
    system, _ = services
    sheet = f"{cell},Hộ phụ trách,Nhóm hộ,Tuyến đường,Nhiệm vụ\n8800000,h-06,,,\n"
    path = f"/v1/branches/{BRANCH}/plans/{YEAR}/assignments/import"
    before = system.state("assignment")
    response = post(
        system,
        "assignment",
        path,
        sheet.encode(),
        params={"filename": "phan-cong.csv"},
        headers={"Content-Type": "text/csv"},
    )
    refused_cleanly(system, "assignment", response)
    assert not before.differences(system.state("assignment"))


# A 500 names a correlation id "to quote to the IT team", but the unhandled error is answered
# outside the request context (Starlette's ServerErrorMiddleware wraps RequestContext): the id
# is a fresh random one, not the request's X-Correlation-Id, no X-Correlation-Id header comes
# back, and the error's log line carries no correlation id at all.
async def test_a_500_names_the_requests_correlation_id() -> None:
    router = APIRouter()

    @router.get("/v1/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    app = create_app(
        title="boom",
        version="0",
        metrics=KernelMetrics(),
        checks={},
        verifier=SharedSecretVerifier(SECRET, issuer=ISSUER, audience=AUDIENCE),
        routers=[router],
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://boom") as client:
        response = await client.get("/v1/boom", headers={**ADMIN, "X-Correlation-Id": "fz-500"})
    assert response.status_code == 500
    assert response.json()["correlation_id"] == "fz-500"
    assert response.headers.get("x-correlation-id") == "fz-500"


# --- consumers -----------------------------------------------------------------------------


def _publish(system: System, subject: str, headers: dict[str, str], body: bytes) -> None:
    """As one with the owner's credentials and store id would: what the consumer does with
    the content is probed here, not the fence against other stores."""
    assert system.nc is not None
    owned = as_owner(system, f"CHIBO_{subject.split('.')[1].upper()}", headers)
    system.run(system.nc.jetstream().publish(subject, body, headers=owned))


def _member_registered(system: System, *, stream_id: str | None = None, **header: str) -> str:
    """A member_registered event as the assignment relay would publish it; returns the id."""
    member = uuid.uuid4().hex
    event_id = str(uuid.uuid4())
    headers = {
        "Nats-Msg-Id": event_id,
        "ce-specversion": "1.0",
        "ce-id": event_id,
        "ce-source": "chibo/assignment",
        "ce-type": "chibo.assignment.member_registered.v1",
        "ce-time": "2025-01-01T00:00:00+00:00",
        "ce-subject": stream_id or f"member-{member}",
        "ce-datacontenttype": "application/json",
        "ce-streamversion": "1",
        "ce-correlationid": str(uuid.uuid4()),
        **header,
    }
    data = {
        "member_id": member,
        "branch_id": BRANCH,
        "full_name": "Lò Văn Minh",
        "status": "full",
        "admission_date": "2012-03-03",
    }
    subject = f"chibo.assignment.member.member_registered.v1.LC.VB.VL.{BRANCH}._"
    _publish(system, subject, headers, json.dumps(data).encode())
    return member


def _on_roster(system: System, member: str) -> bool:
    roster = system.ok(
        "attendance", "GET", f"/v1/branches/{BRANCH}/roster", params={"on": f"{MONTH}-05"}
    )
    return member in {m["member_id"] for m in roster["members"]}


def _consumer_survives(system: System, poison: int, timeout: float = 45) -> None:
    """After the poison: it is parked, a valid event published after it is applied, and the
    consumer logged no failed batch."""
    later = _member_registered(system)
    system.eventually(
        lambda: _on_roster(system, later), timeout=timeout, what="the next valid event applied"
    )
    system.eventually(
        lambda: system.parked("attendance").get(ROSTER, 0) >= poison,
        timeout=timeout,
        what=f"{poison} poison message(s) parked",
    )
    assert not errors_logged(system, ["attendance"])


@pytest.fixture
def roster(pg_admin_url: str, tmp_path: Path) -> Iterator[System]:
    with System(tmp_path, pg_admin_url, ["assignment", "attendance"]) as system:
        seed(system)
        system.services["attendance"].new_errors()
        yield system


# A NUL in any header of a message that gets parked: parked_messages.headers is jsonb, which
# cannot hold \u0000, so the park fails, the whole batch fails ("consumer batch failed"),
# nothing in it is acknowledged, and it comes back after ack_wait, again and again, until
# the server's max_deliver drops it (and, with it, any valid event sharing its batches'
# deliveries) unparked.
@pytest.mark.timeout(300)
def test_a_nul_in_a_header_is_parked_and_the_consumer_goes_on(roster: System) -> None:
    subject = "chibo.assignment.member.x.v1.LC._"
    _publish(roster, subject, {"x-note": "a\x00b"}, b"{}")
    _consumer_survives(roster, poison=1)


# The same with a NUL in ce-subject, the aggregate id: the consumer's version lookup
# (consumer_stream_versions, text) refuses it before anything is parked.
@pytest.mark.timeout(300)
def test_a_nul_in_the_aggregate_id_is_parked_and_the_consumer_goes_on(roster: System) -> None:
    _member_registered(roster, stream_id="member-\x00")
    _consumer_survives(roster, poison=1)


# An aggregate id longer than a btree entry may be (about 2,700 bytes): the version row's
# primary key (consumer_stream_versions) and the parked_messages index refuse it, and the
# batch fails as above.
@pytest.mark.timeout(300)
def test_a_very_long_aggregate_id_is_parked_and_the_consumer_goes_on(roster: System) -> None:
    long_id = "member-" + "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(2000))
    _member_registered(roster, stream_id=long_id)
    _consumer_survives(roster, poison=1)


# A stream version beyond int4: the gate makes it wait for its predecessors; at the last
# delivery it is to be parked, and parked_messages.version (integer) refuses it, so the batch
# fails as above. Takes max_deliver x ack_wait (about 50 s) to show.
@pytest.mark.timeout(300)
def test_a_stream_version_beyond_int4_is_parked_and_the_consumer_goes_on(roster: System) -> None:
    _member_registered(roster, **{"ce-streamversion": str(2**31)})
    _consumer_survives(roster, poison=1, timeout=120)

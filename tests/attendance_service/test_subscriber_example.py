"""examples/subscriber.py, run as another system would run it: against the stream the
services publish on, it prints one branch's events and none of its neighbour's, then stops.
What the services published validates against docs/events/asyncapi.json."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from kernel.support import eventually
from nats.aio.msg import Msg
from unit.test_asyncapi import asyncapi_validator

from chibo_chassis.runtime import ServiceRuntime
from chibo_tools.asyncapi import DOCUMENT_PATH

from .branch import BRANCH, OTHER, create_units, register, schedule
from .conftest import Both

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "subscriber.py"
OURS = "LC.VB.VL." + BRANCH
LINE = re.compile(
    r"^(?P<type>chibo\.[a-z_]+\.[a-z_]+\.v\d+) (?P<subject>\S+)@(?P<version>\d+) "
    r"(?P<time>\S+) (?P<id>[0-9a-f-]{36}) (?P<data>\{.*\})$"
)


async def subscriber(nats_url: str, *args: str) -> tuple[list[dict[str, Any]], str]:
    """Run the example to the end; its events, parsed, and its stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLE),
        "--nats",
        nats_url,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert process.stdout is not None
    assert process.stderr is not None
    reading = asyncio.gather(process.stdout.read(), process.stderr.read())
    try:
        await asyncio.wait_for(process.wait(), timeout=60)
    except TimeoutError:
        process.kill()
        out, err = await reading
        raise AssertionError(f"{args} did not stop:\n{out.decode()}\n{err.decode()}") from None
    out, err = await reading
    assert process.returncode == 0, err.decode()
    events = []
    for line in out.decode().splitlines():
        match = LINE.match(line)
        assert match, line
        events.append({**match.groupdict(), "data": json.loads(match["data"])})
    return events, err.decode()


async def all_published(runtime: ServiceRuntime, wire: list[Msg]) -> None:
    """Wait until the relay has put every published event of the service on the wire."""

    async def caught_up() -> bool:
        stored = await runtime.pool.fetchval(
            "SELECT count(*) FROM events WHERE NOT metadata ? 'private'"
        )
        return bool(stored) and len({m.headers["ce-id"] for m in wire if m.headers}) == stored

    await eventually(caught_up, timeout=30, what="the relay to publish every event")


def under(msg: Msg, service: str, org_path: str) -> bool:
    tokens = msg.subject.split(".")
    return tokens[1] == service and ".".join(tokens[5:]).startswith(org_path + ".")


async def test_the_example_replays_one_branch_and_stops(both: Both, service_nats: str) -> None:
    a, t = both.assignment, both.attendance
    await create_units(a)
    ours = [await register(a, i) for i in range(3)]
    theirs = [await register(a, 50 + i, OTHER) for i in range(2)]
    await t.roster_has(BRANCH, "2025-03-01", 3)
    await t.roster_has(OTHER, "2025-03-01", 2)
    meeting = await schedule(t, "2025-03-05")
    body = {"kind": "regular", "scheduled_for": "2025-03-06T19:30:00+07:00", "place": "Nhà bác"}
    other_meeting = (await t.ok("POST", f"/v1/branches/{OTHER}/meetings", json=body))["meeting_id"]
    await all_published(a.runtime, a.wire)
    await all_published(t.runtime, t.wire)

    events, log = await subscriber(service_nats, "--service", "assignment", "--org-path", OURS)
    assert "event(s)" in log
    published = [m.headers["ce-id"] for m in a.wire if m.headers and under(m, "assignment", OURS)]
    expected = set(published)
    # Each once, in the stream's order (the order the relay published them in).
    assert [e["id"] for e in events] == list(dict.fromkeys(published))
    registered = {
        e["data"]["member_id"]
        for e in events
        if e["type"] == "chibo.assignment.member_registered.v3"
    }
    assert registered == set(ours)
    created = {
        e["data"]["unit_id"] for e in events if e["type"] == "chibo.assignment.org_unit_created.v1"
    }
    assert created == {BRANCH}  # not the commune above it, nor the neighbour
    text = json.dumps([e["data"] for e in events], ensure_ascii=False)
    assert OTHER not in text
    assert not set(theirs) & {e["data"].get("member_id") for e in events}
    for aggregate in {e["subject"] for e in events}:
        versions = [int(e["version"]) for e in events if e["subject"] == aggregate]
        assert versions == sorted(versions), aggregate

    # The attendance service's stream, filtered the same way: our meeting, not theirs.
    meetings, _ = await subscriber(service_nats, "--service", "attendance", "--org-path", OURS)
    scheduled = [e for e in meetings if e["type"] == "chibo.attendance.meeting_scheduled.v1"]
    assert [e["data"]["meeting_id"] for e in scheduled] == [meeting]
    assert other_meeting not in json.dumps([e["data"] for e in meetings])

    # The whole commune takes both branches; a unit nobody has gives nothing, at once.
    commune, _ = await subscriber(service_nats, "--service", "attendance", "--org-path", "LC.VB.VL")
    assert {e["data"]["meeting_id"] for e in commune} >= {meeting, other_meeting}
    nothing, log = await subscriber(service_nats, "--service", "assignment", "--org-path", "XX")
    assert nothing == []
    assert "(0 to read)" in log

    # A durable consumer resumes where it stopped: a second run has only what is new.
    first, _ = await subscriber(
        service_nats, "--service", "assignment", "--org-path", OURS, "--durable", "example"
    )
    assert {e["id"] for e in first} == expected
    newcomer = await register(a, 9)
    await all_published(a.runtime, a.wire)
    again, _ = await subscriber(
        service_nats, "--service", "assignment", "--org-path", OURS, "--durable", "example"
    )
    assert [e["data"].get("member_id") for e in again] == [newcomer] * len(again)
    assert "chibo.assignment.member_registered.v3" in {e["type"] for e in again}


async def test_what_the_services_published_validates_against_the_asyncapi_document(
    both: Both,
) -> None:
    a, t = both.assignment, both.attendance
    await create_units(a)
    members = [await register(a, i) for i in range(2)]
    await t.roster_has(BRANCH, "2025-03-01", len(members))
    await schedule(t, "2025-03-05")
    await all_published(a.runtime, a.wire)
    await all_published(t.runtime, t.wire)
    messages = [
        {
            "message": m.headers["ce-type"],
            "headers": m.headers,
            "payload": json.loads(m.data),
        }
        for m in [*a.wire, *t.wire]
        if m.headers
    ]
    assert {m["message"].split(".")[1] for m in messages} == {"assignment", "attendance"}
    validate = asyncapi_validator()
    result = await asyncio.to_thread(
        validate, str(DOCUMENT_PATH), "--messages", "-", stdin=json.dumps(messages)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(messages)} of {len(messages)} message(s) valid" in result.stdout

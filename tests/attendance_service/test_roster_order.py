"""The roster may arrive after the attendance it concerns, and the read model comes out the
same. Two attendance read models are built from the same events of both services:

- A, live: membership is consumed first, meetings recorded after; then a backdated
  exemption arrives after the meetings it changes;
- B, a second attendance database on a NATS of its own: A's meeting events are stored
  first (their roster unknown), then the assignment stream arrives, mirrored from A's NATS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nats
from kernel.support import eventually, read_stream

from attendance.adapters.projection import project
from attendance.domain.events import REGISTRY
from chibo_kernel import StreamAppend
from chibo_kernel.streams import StreamSpec, declare_stream
from chibo_tools.embedded import create_database
from chibo_tools.embedded.nats import EmbeddedNats

from .branch import BRANCH, OTHER, create_units, held_body, ok, register, schedule, sheet
from .conftest import Attendance, Both, running_attendance

DAYS = ["2025-03-05", "2025-06-05", "2025-09-05"]


async def views(t: Attendance, meetings: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {"year": await t.ok("GET", f"/v1/branches/{BRANCH}/years/2025")}
    for meeting in meetings:
        found[meeting] = await t.ok("GET", f"/v1/meetings/{meeting}")
    for day in DAYS:
        found[day] = await t.ok("GET", f"/v1/branches/{BRANCH}/roster", params={"on": day})
    return found


async def test_roster_after_attendance_gives_the_same_read_model(
    both: Both, pg_admin_url: str, tmp_path: Path
) -> None:
    a, t = both.assignment, both.attendance
    await create_units(a)
    members = [await register(a, i) for i in range(6)]
    mover = await register(a, 100, OTHER)
    transfer = {"to_branch_id": BRANCH, "on": "2025-05-01"}
    await ok(a, "POST", f"/v1/members/{mover}/transfer", json=transfer)
    await t.roster_has(BRANCH, "2025-09-05", 7)

    meetings = []
    for day in DAYS:
        roster = await t.ok("GET", f"/v1/branches/{BRANCH}/roster", params={"on": day})
        expected = [m["member_id"] for m in roster["members"] if m["expected"]]
        meeting = await schedule(t, day)
        marks = sheet(expected, {members[5]: ("absent_unexcused", None)})
        await t.ok(
            "POST",
            f"/v1/meetings/{meeting}/held",
            json=held_body(day, members[0], attendance=marks),
        )
        meetings.append(meeting)

    # A backdated exemption arrives after the meetings it changes: member 5 was exempt, so
    # their absences no longer count.
    exemption = {"from_date": "2025-01-01", "reason": "ốm dài ngày"}
    await ok(a, "POST", f"/v1/members/{members[5]}/exemption", json=exemption)

    async def exempt_in_a() -> bool:
        view = await t.ok("GET", f"/v1/meetings/{meetings[0]}")
        return bool(view["facts"]["absent_unexcused"] == 0)

    await eventually(exempt_in_a, timeout=30, what="the late exemption in A")
    in_order = await views(t, meetings)
    march = in_order[meetings[0]]
    assert march["facts"]["expected"] == 5
    assert {x["member_id"]: x["state"] for x in march["lines"]}[members[5]] == "exempt"
    assert mover not in {x["member_id"] for x in march["lines"]}
    assert mover in {x["member_id"] for x in in_order[meetings[1]]["lines"]}
    assert in_order["year"]["removal_review"] == []

    # B: the meeting events first, with no roster at all...
    other_nats = EmbeddedNats(tmp_path / "nats-b")
    other_nats.start()
    try:
        database_b = create_database(pg_admin_url, f"test_b_{meetings[0][:12]}")
        async with running_attendance(database_b, other_nats.url) as b:
            stream = f"meetings-{BRANCH}-2025"
            events = [r.decode(REGISTRY) for r in await t.runtime.store.load(stream)]
            append = StreamAppend(stream, 0, events, ["LC", "VB", "VL", BRANCH])
            await b.runtime.store.append_batch([append], project=project)
            early = await b.ok("GET", f"/v1/meetings/{meetings[0]}")
            # Nobody is known yet: the marks stand alone, nobody counts as expected.
            assert {x["state"] for x in early["lines"]} == {"off_roster"}
            assert early["facts"]["expected"] == 0

            # ...then the assignment stream, as JetStream holds it on A's side.
            source = await nats.connect(t.runtime.settings.nats_servers)
            target = await nats.connect(other_nats.url)
            await declare_stream(target.jetstream(), StreamSpec("assignment"))
            for msg in await read_stream(source.jetstream(), "CHIBO_ASSIGNMENT"):
                await target.jetstream().publish(msg.subject, msg.data, headers=msg.headers)
            await source.drain()
            await target.drain()

            async def caught_up() -> bool:
                url = f"/v1/branches/{BRANCH}/years/2025"
                if (await b.client.get(url)).status_code == 404:  # the branch is not here yet
                    return False
                return await views(b, meetings) == in_order

            await eventually(caught_up, timeout=30, what="B's read model to equal A's")
    finally:
        other_nats.stop()


async def test_the_roster_of_a_day_knows_temporary_suspended_left_and_committee(
    both: Both,
) -> None:
    a, t = both.assignment, both.attendance
    await create_units(a)
    home, guest_member, suspended, leaver, secretary = [await register(a, i) for i in range(5)]
    visitor = await register(a, 10, OTHER)
    period = {"host_branch_id": BRANCH, "from_date": "2025-04-01", "to_date": "2025-09-30"}
    await ok(a, "POST", f"/v1/members/{visitor}/temporary-attendance", json=period)
    away = {"host_branch_id": OTHER, "from_date": "2025-04-01", "to_date": "2025-07-01"}
    await ok(a, "POST", f"/v1/members/{home}/temporary-attendance", json=away)
    stop = {"from_date": "2025-05-01", "to_date": "2025-05-31", "reason": "kỷ luật"}
    await ok(a, "POST", f"/v1/members/{suspended}/suspension", json=stop)
    await ok(a, "POST", f"/v1/members/{leaver}/departure", json={"on": "2025-07-01", "reason": "x"})
    role = {"role": "secretary", "since": "2025-02-01"}
    await ok(a, "POST", f"/v1/members/{secretary}/roles", json=role)
    await t.roster_has(BRANCH, "2025-05-10", 6)

    async def standing(day: str) -> dict[str, tuple[str, str, bool]]:
        roster = await t.ok("GET", f"/v1/branches/{BRANCH}/roster", params={"on": day})
        return {
            m["member_id"]: (m["membership"], m["standing"], m["committee"])
            for m in roster["members"]
        }

    may = await standing("2025-05-10")
    assert may[visitor] == ("temporary", "expected", False)
    assert may[home][1] == "away"  # attending at the host branch meanwhile
    assert may[suspended][1] == "suspended"
    assert may[secretary] == ("official", "expected", True)
    assert may[guest_member][1] == "expected"
    july = await standing("2025-07-10")
    assert leaver not in july
    assert (july[home][1], july[suspended][1]) == ("expected", "expected")
    january = await standing("2025-01-10")
    assert visitor not in january
    assert january[secretary][2] is False  # not yet on the committee
    other = await t.ok("GET", f"/v1/branches/{OTHER}/roster", params={"on": "2025-05-10"})
    hosted = {m["member_id"]: m["membership"] for m in other["members"]}
    assert hosted[home] == "temporary"

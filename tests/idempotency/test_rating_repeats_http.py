"""The rating service takes the same header: a rating input sent twice with one key is
recorded once, and the repeat answers the first answer."""

from __future__ import annotations

import uuid

from attendance_service.branch import create_units
from rating_service.conftest import Trio
from rating_service.year import register_members


async def test_a_leave_sent_twice_with_one_key_is_recorded_once(trio: Trio) -> None:
    assignment, rating = trio.assignment, trio.rating
    await create_units(assignment)
    (member,) = await register_members(assignment, 1)
    await rating.caught_up()
    url = f"/v1/members/{member}/ratings/2025/leave"
    body = {"kind": "sick", "from_date": "2025-03-01", "to_date": "2025-06-30"}
    headers = {"Idempotency-Key": uuid.uuid4().hex}

    first = await rating.client.post(url, json=body, headers=headers)
    stored = await rating.runtime.pool.fetchval("SELECT count(*) FROM events")
    again = await rating.client.post(url, json=body, headers=headers)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["idempotency-replayed"] == "true"
    assert await rating.runtime.pool.fetchval("SELECT count(*) FROM events") == stored

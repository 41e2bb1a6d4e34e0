"""The two commands whose effect is not stored under the request's key, repeated with one
key: a members import (a job that writes as it reads the file) starts one job, and a
read-model rebuild asks for one generation. The other command routes are repeated by the
chaos suite's script (tests/chaos/test_retried_commands.py)."""

from __future__ import annotations

import uuid

from attendance_service.branch import BRANCH, create_units
from attendance_service.conftest import Both
from kernel.support import eventually
from rating_service.conftest import Trio

EXPORT = (
    "Họ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ đảng viên,Chi bộ\n"
    f"Nhập Lại Một Lần,02/09/1980,03/02/2010,83000001,{BRANCH}\n"
).encode()


def keyed() -> dict[str, str]:
    return {"Idempotency-Key": f'"{uuid.uuid4().hex}"'}


async def test_an_import_sent_twice_with_one_key_runs_one_job(both: Both) -> None:
    service = both.assignment
    await create_units(service)
    url, params, headers = "/v1/imports/members", {"filename": "export.csv"}, keyed()

    first = await service.client.post(url, params=params, content=EXPORT, headers=headers)
    again = await service.client.post(url, params=params, content=EXPORT, headers=headers)

    assert first.status_code == 202, first.text
    assert again.headers["idempotency-replayed"] == "true"
    assert again.json()["job_id"] == first.json()["job_id"]

    async def done() -> bool:
        job = (await service.client.get(f"/v1/imports/{first.json()['job_id']}")).json()
        return bool(job["status"] != "running")

    await eventually(done, timeout=60, what="the import job to finish")
    registered = await service.runtime.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = 'chibo.assignment.member_registered.v3'"
    )
    assert registered == 1


async def test_a_rebuild_asked_twice_with_one_key_builds_one_generation(trio: Trio) -> None:
    rating, headers = trio.rating, keyed()
    url = "/v1/admin/read-models/rebuild"

    first = await rating.client.post(url, headers=headers)
    again = await rating.client.post(url, headers=headers)

    assert first.status_code < 300, first.text
    assert again.headers["idempotency-replayed"] == "true"
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    generations = await rating.runtime.pool.fetchval(
        "SELECT count(*) FROM consumed_read_models WHERE name = 'rating-facts'"
    )
    assert generations == 2  # the first, and the one asked for once

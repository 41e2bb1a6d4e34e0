"""The chassis's declaration of personal reads, on a small app of its own over real
PostgreSQL: the members an answer names are logged however deep they sit; a file answer logs
what it disclosed, and one that discloses nothing is refused rather than sent unlogged; a
streamed download logs each page before it is sent; and when the log cannot be written,
even a read of data held in memory fails with 503."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel
from signin import ADMIN, AUDIENCE, ISSUER, SECRET

from chibo_chassis.auth import SharedSecretVerifier
from chibo_chassis.http import (
    AccessLog,
    create_app,
    disclose,
    reads_personal_data,
    streamed,
    v1_router,
)
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool
from chibo_tools.embedded.ports import free_port


class Person(BaseModel):
    member_id: str
    full_name: str


class Sheet(BaseModel):
    branch_id: str
    people: list[Person]
    mentor_id: str | None


@dataclass(frozen=True)
class Row:  # a query's row, as handlers hold them before encoding
    member_id: str


SHEET = Sheet(
    branch_id="VL-TT",
    people=[
        Person(member_id="m-2", full_name="Lò Văn Hai"),
        Person(member_id="m-1", full_name="A"),
    ],
    mentor_id="m-9",
)
PAGES = [[Row("m-1"), Row("m-2")], [Row("m-3")], [Row("m-4"), Row("m-5")]]


def toy_router() -> APIRouter:
    api = v1_router()

    @api.get("/branches/{branch_id}/sheet")
    @reads_personal_data("monthly_meeting")
    async def sheet(branch_id: str, on: str | None = None) -> Sheet:
        return SHEET

    @api.get("/branches/{branch_id}/sheet.csv")
    @reads_personal_data("monthly_meeting")
    async def sheet_file(branch_id: str) -> Response:
        disclose(SHEET.people)
        return Response("member_id\nm-2\nm-1\n", media_type="text/csv")

    @api.get("/branches/{branch_id}/forgetful.csv")
    @reads_personal_data("monthly_meeting")
    async def forgetful(branch_id: str) -> Response:
        return Response("member_id\nm-2\n", media_type="text/csv")

    @api.get("/branches/{branch_id}/pages.csv")
    @reads_personal_data("year_end_rating")
    async def pages(branch_id: str) -> StreamingResponse:
        async def found() -> AsyncIterator[list[Row]]:
            for page in PAGES:
                yield page

        async def lines(logged: AsyncIterator[list[Row]]) -> AsyncIterator[bytes]:
            async for page in logged:
                yield "".join(f"{row.member_id}\n" for row in page).encode()

        return StreamingResponse(lines(await streamed(found())), media_type="text/csv")

    return api


def client_of(pool: LeanPool, metrics: KernelMetrics) -> httpx.AsyncClient:
    app = create_app(
        title="personal reads",
        version="0",
        metrics=metrics,
        checks={},
        verifier=SharedSecretVerifier(SECRET, issuer=ISSUER, audience=AUDIENCE),
        routers=[toy_router()],
        access_log=AccessLog("toy", lambda: pool, metrics),
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://toy", headers=ADMIN)


async def logged(pool: LeanPool) -> list[dict[str, Any]]:
    return [dict(r) for r in await pool.fetch("SELECT * FROM personal_data_reads ORDER BY id")]


async def test_the_members_an_answer_names_are_logged_however_deep_they_sit(
    pool: LeanPool,
) -> None:
    async with client_of(pool, KernelMetrics()) as client:
        answer = await client.get("/v1/branches/VL-TT/sheet", params={"on": "2025-03-01"})
    assert answer.status_code == 200
    (read,) = await logged(pool)
    assert read["subjects"] == ["m-1", "m-2", "m-9"]
    assert read["route"] == "GET /v1/branches/{branch_id}/sheet"
    assert read["target"] == "/v1/branches/VL-TT/sheet?on=2025-03-01"
    assert (read["principal"], read["role"], read["org_scope"]) == (
        "province_admin@province",
        "province_admin",
        [],
    )
    assert (read["purpose"], read["result_count"]) == ("monthly_meeting", 1)
    assert read["correlation_id"] == answer.headers["x-correlation-id"]


async def test_a_file_answer_logs_what_it_disclosed_and_one_disclosing_nothing_is_not_sent(
    pool: LeanPool,
) -> None:
    async with client_of(pool, KernelMetrics()) as client:
        sent = await client.get("/v1/branches/VL-TT/sheet.csv")
        forgotten = await client.get("/v1/branches/VL-TT/forgetful.csv")
    assert sent.status_code == 200
    assert forgotten.status_code == 500
    assert "m-2" not in forgotten.text
    (read,) = await logged(pool)
    assert (read["subjects"], read["result_count"]) == (["m-1", "m-2"], 2)


async def test_a_streamed_download_logs_each_page_before_sending_it(pool: LeanPool) -> None:
    async with client_of(pool, KernelMetrics()) as client:
        download = await client.get(
            "/v1/branches/VL-TT/pages.csv", headers={"X-Purpose": "data_subject_request"}
        )
    assert download.text.split() == ["m-1", "m-2", "m-3", "m-4", "m-5"]
    reads = await logged(pool)
    assert [r["subjects"] for r in reads] == [["m-1", "m-2"], ["m-3"], ["m-4", "m-5"]]
    assert [r["result_count"] for r in reads] == [2, 1, 2]
    assert {r["purpose"] for r in reads} == {"data_subject_request"}
    assert len({r["correlation_id"] for r in reads}) == 1


@pytest.mark.parametrize("path", ["/v1/branches/VL-TT/sheet", "/v1/branches/VL-TT/pages.csv"])
async def test_a_read_of_data_in_memory_fails_with_503_when_its_log_cannot_be_written(
    path: str,
) -> None:
    """The log's database refuses connections (nothing listens on its port): the answer
    is at hand, yet it is not sent."""
    port = free_port()

    async def connect() -> asyncpg.Connection:
        return await asyncpg.connect(f"postgresql://chibo@127.0.0.1:{port}/chibo", timeout=2)

    unreachable = LeanPool(connect, 2, acquire_timeout=2)
    metrics = KernelMetrics()
    async with client_of(unreachable, metrics) as client:
        answer = await client.get(path)
    assert answer.status_code == 503
    assert answer.json()["code"] == "dependency_unavailable"
    assert "m-1" not in answer.text
    assert metrics.dependencies.is_down("database")
    counted = metrics.registry.get_sample_value(
        "chibo_personal_data_reads_total", {"service": "toy"}
    )
    assert not counted


def test_an_app_whose_routes_read_personal_data_needs_an_access_log() -> None:
    with pytest.raises(RuntimeError, match="no access log"):
        create_app(
            title="no log",
            version="0",
            metrics=KernelMetrics(),
            checks={},
            verifier=SharedSecretVerifier(SECRET, issuer=ISSUER, audience=AUDIENCE),
            routers=[toy_router()],
        )

"""The cost of logging reads of personal data, on a read route, beside the same route without
the log, measured in one run.

The assignment service runs in-process (real PostgreSQL with fsync on, real NATS) with one
branch as the seeds describe it (Chi bộ thị tứ Võ Lao: 41 members, each assigned
households and reporting for the month). Then, median over `--repeat` runs, alternating:

- without: `GET /v1/branches/{branch}/reports/{month}` as the branch secretary, with the
  access log replaced by one that writes nothing (everything else the same: the
  declaration, the purpose, collecting the 41 members from the answer);
- with: the same reads, each writing its row to `personal_data_reads` (one INSERT in
  autocommit, its GIN index on the subjects included) before the answer leaves.

Each at 1 client (the added latency of one read) and at `--clients` concurrent clients
(throughput, where PostgreSQL shares WAL flushes among commits arriving together).

    .venv/bin/python bench/access_log.py [--reads 2000] [--clients 8] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import statistics
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from assignment.bootstrap import build
from assignment.migrations import upgrade
from assignment.settings import AssignmentSettings
from chibo_chassis.auth import Role, issue_token
from chibo_chassis.http import AccessLog, PersonalRead
from chibo_kernel.logging import configure_logging
from chibo_kernel.metrics import KernelMetrics
from chibo_tools.embedded import Stack, create_database

SECRET = "chibo-bench-" + "0123456789abcdef" * 3
ISSUER, AUDIENCE = "chibo-embedded", "chibo"
BRANCH, MONTH, MEMBERS = "VL-TT", "2025-03", 41
UNITS = [("LC", "province", None), ("VB", "district", "LC"), ("VL", "grassroots", "VB")]
UNITS += [(BRANCH, "branch", "VL")]


class Unlogged(AccessLog):
    """The baseline: the same declaration and walk over the answer, no row written."""

    async def record(self, read: PersonalRead) -> None:
        return None


def bearer(role: Role, org: str = "") -> dict[str, str]:
    token = issue_token(
        SECRET, subject=f"{role}@{org}", role=role, org=org, issuer=ISSUER, audience=AUDIENCE
    )
    return {"Authorization": f"Bearer {token}"}


async def ok(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> Any:
    response = await client.request(method, url, **kwargs)
    assert response.status_code < 300, f"{method} {url}: {response.status_code} {response.text}"
    return response.json()


async def seed(client: httpx.AsyncClient) -> None:
    """Võ Lao's branch: 41 members, two households each, every one reporting in March."""
    for unit_id, kind, parent in UNITS:
        body = {"unit_id": unit_id, "kind": kind, "name": f"Đảng bộ {unit_id}"}
        await ok(
            client,
            "POST",
            "/v1/units",
            json={**body, "parent_id": parent, "valid_from": "2020-01-01"},
        )
    members = []
    for i in range(MEMBERS):
        body = {
            "full_name": f"Đảng viên Võ Lao {i:02}",
            "branch_id": BRANCH,
            "admission_date": "2010-05-19",
            "card_number": str(80_000_000 + i),
            "birth_date": "1980-01-01",
        }
        members.append((await ok(client, "POST", "/v1/members", json=body))["member_id"])
    households = [{"household_id": f"h{i}", "label": f"Hộ {i}"} for i in range(2 * MEMBERS)]
    branch = f"/v1/branches/{BRANCH}"
    await ok(client, "POST", f"{branch}/households", json={"households": households})
    await ok(client, "POST", f"{branch}/plans/2025", json={})
    pairs = [
        {"member_id": m, "household_ids": [f"h{2 * i}", f"h{2 * i + 1}"]}
        for i, m in enumerate(members)
    ]
    await ok(client, "POST", f"{branch}/plans/2025/assignments", json={"assignments": pairs})
    reports = [
        {"member_id": m, "situation": "Các hộ ổn định", "submitted_on": "2025-03-28"}
        for m in members
    ]
    await ok(client, "POST", f"{branch}/reports/{MONTH}", json={"reports": reports})


async def rate(client: httpx.AsyncClient, reads: int, clients: int) -> float:
    url = f"/v1/branches/{BRANCH}/reports/{MONTH}"
    headers = bearer(Role.BRANCH_SECRETARY, f"LC.VB.VL.{BRANCH}")
    each = reads // clients

    async def reader() -> None:
        for _ in range(each):
            response = await client.get(url, headers=headers)
            assert response.status_code == 200, response.text

    started = time.perf_counter()
    await asyncio.gather(*(reader() for _ in range(clients)))
    return each * clients / (time.perf_counter() - started)


async def run(
    database_url: str, nats_url: str, reads: int, clients: int, repeats: int
) -> list[str]:
    await asyncio.to_thread(upgrade, database_url)
    settings = AssignmentSettings(
        database_url=database_url, nats_url=nats_url, auth_shared_secret=SECRET
    )
    app, runtime = build(settings)
    logged, unlogged = runtime.access_log, Unlogged("bench", lambda: runtime.pool, KernelMetrics())
    lines = []
    async with runtime.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            client.headers.update(bearer(Role.PROVINCE_ADMIN))
            await seed(client)
            for concurrency in (1, clients):
                count = max(reads // 4, 200) if concurrency == 1 else reads
                found: dict[str, list[float]] = {"without": [], "with": []}
                await rate(client, 50, concurrency)  # warm the pool and the statement caches
                for _ in range(repeats):
                    for side, log in (("without", unlogged), ("with", logged)):
                        app.state.access_log = log
                        found[side].append(await rate(client, count, concurrency))
                lines.append(line(concurrency, found))
        rows = await runtime.pool.fetchval("SELECT count(*) FROM personal_data_reads")
    lines.append(f"rows written to personal_data_reads: {rows}")
    return lines


def line(clients: int, found: Mapping[str, Sequence[float]]) -> str:
    without, with_log = statistics.median(found["without"]), statistics.median(found["with"])
    added_ms = (1 / with_log - 1 / without) * 1000 * clients
    return (
        f"{clients} client(s): without the log {without:,.0f} reads/s, with it "
        f"{with_log:,.0f} reads/s = {with_log / without:.2f}x "
        f"({added_ms:+.2f} ms a read)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reads", type=int, default=2000, help="reads per side and run")
    parser.add_argument("--clients", type=int, default=8, help="concurrent readers")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # The services need a master key to start; the bench's own, thrown away at exit.
    os.environ.setdefault("CHIBO_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    configure_logging("bench", "WARNING")
    with Stack(services=()) as stack:  # in a fresh temp dir, removed again on exit
        url = create_database(stack.admin_database_url, "bench")
        lines = asyncio.run(run(url, stack.nats_url, args.reads, args.clients, args.repeat))
    print("\n".join(lines))


if __name__ == "__main__":
    main()

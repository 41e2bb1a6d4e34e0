"""Rating read-model rebuild beside the raw pull-consume limit of the same NATS, measured in
the same run.

The rating service keeps its facts (schema `rm_<n>`, one per generation) as a projection of
the assignment and attendance streams. A rebuild fills generation n+1 from the start of both
streams while generation n keeps answering, and switches when the new one has caught up. Both
sides run once per repeat, alternately, and each reports the median over the repeats:

- rebuild: the rating service in-process (`build(settings)` and its lifespan, no HTTP), its
  generation 1 already caught up with the filled streams; timed from `ReadModels.rebuild()`
  until the new generation is the active one, over every event of both streams. That covers
  creating the schema and the two durable consumers (one per stream, batch 256, one pool of
  10), decoding, the order gate, `FactsProjection` (one `executemany` per run of identical
  statements), the bookkeeping and one commit per batch, and the switcher noticing the end
  (it polls the consumers' pending counts every 0.2 s) and flipping the generation row.
- raw limit: two nats-py pull consumers at once, one per stream, configured as the rebuild's
  consumers (the stream's own subject, `chibo.<service>.>`, every message), `fetch(256)` in a
  loop and `msg.ack()` each, no database -- from creating the consumers until every message
  arrived. It is the NATS half of the rebuild's work done the plainest way; the gap is the
  decode, the database and the switch.

The streams hold a year of a district, published straight into JetStream with
`publish_async` and the CloudEvents binary headers the relay sends (streamversion counting
1..n per aggregate stream, subject = the aggregate stream id, subjects filed under the unit's
organisation path): the org units, members (a secretary each branch), each branch's plan with
every member assigned, every member's monthly report (one `reports-<branch>-<YYYYMM>` stream
per branch and month) and every branch's monthly meeting (scheduled, held, and its attendance
sheet of the branch's members, in `meetings-<branch>-<year>`).

"Identical read models": every fact table of the new generation, rows sorted, equals that of
the generation it replaces, dumped just before the rebuild; generation 1's row counts are
checked against what the data set implies, so equality is never that of two empty tables.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import math
import os
import platform
import random
import statistics
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

import nats
from nats.aio.client import Client as NATS
from nats.js.api import PubAck
from pydantic import SecretStr

from chibo_chassis.runtime import ServiceRuntime
from chibo_contracts import assignment as a
from chibo_contracts import attendance as t
from chibo_kernel import ConsumerSpec, DomainEvent, StreamSpec, declare_stream
from chibo_kernel.envelope import binary_headers
from chibo_kernel.logging import configure_logging
from chibo_kernel.pool import LeanPool
from chibo_kernel.subjects import event_subject, service_subjects
from chibo_tools.embedded import Stack, create_database
from rating.adapters.facts_schema import FACT_TABLES, schema_of
from rating.application.read_models import SOURCES, ReadModels
from rating.bootstrap import build
from rating.migrations import upgrade
from rating.settings import RatingSettings

FETCH_BATCH = 256  # the rating consumers' batch size (ConsumerSpec's default)
PUBLISH_IN_FLIGHT = 4000  # what OutboxRelay gives its JetStream context
DEADLINE_SECONDS = 600.0
EXPECT = 0.5  # the compass: rebuild >= 0.5x the raw pull-consume rate
KERNEL_PAIRS = (  # kernel_bench's --only names
    "append",
    "keyed",
    "batch",
    "relay",
    "consumer",
    "encrypted",
    "sealed-projection",
)
NAME = "rebuild"

YEAR = 2025
MONTHS = 12
PROVINCE, DISTRICT = "P01", "D01"
BRANCHES_PER_GRASSROOTS = 20
DEFAULT_BRANCHES, DEFAULT_MEMBERS = 200, 20
QUICK_BRANCHES, QUICK_MEMBERS = 10, 10
VN = timezone(timedelta(hours=7))
STREAMS = {"assignment": StreamSpec("assignment"), "attendance": StreamSpec("attendance")}
SITUATIONS = ("ổn định", "có hộ khó khăn", "đã vận động đóng góp", "hộ mới chuyển đến")

Rows = dict[str, list[tuple[Any, ...]]]


# --- the data set ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outgoing:
    subject: str
    headers: dict[str, str]
    body: bytes


@dataclass
class DataSet:
    """Messages per source service in stream order, as the two relays would publish them."""

    rng: random.Random
    messages: dict[str, list[Outgoing]] = field(
        default_factory=lambda: {service: [] for service in STREAMS}
    )
    versions: dict[str, int] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    facts: Counter[str] = field(default_factory=Counter)  # rows each fact table must hold

    @property
    def total(self) -> int:
        return sum(len(m) for m in self.messages.values())

    def new_id(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex

    def add(
        self, stream_id: str, event: DomainEvent, org_path: Sequence[str], at: datetime
    ) -> None:
        version = self.versions[stream_id] = self.versions.get(stream_id, 0) + 1
        event_id = str(uuid.UUID(self.new_id()))
        headers = binary_headers(
            event_id=event_id,
            source=f"/chibo/{event.service()}",
            event_type=event.event_type,
            time=at.isoformat(),
            subject=stream_id,
            stream_version=str(version),
            correlation_id=event_id,
            causation_id=None,
        )
        subject = event_subject(event.event_type, stream_id, org_path)
        body = event.model_dump_json().encode()
        self.messages[event.service()].append(Outgoing(subject, headers, body))
        self.counts[type(event).__name__] += 1


def a_year(branches: int, members: int, seed: int = 1) -> DataSet:
    """A district's year: units, members, plans, monthly reports and meetings."""
    data = DataSet(random.Random(seed))
    created = datetime(YEAR - 1, 12, 1, 9, tzinfo=VN)

    def unit(unit_id: str, kind: a.UnitKind, parent: list[str]) -> list[str]:
        path = [*parent, unit_id]
        event = a.OrgUnitCreated(
            unit_id=unit_id,
            kind=kind,
            name=f"{kind} {unit_id}",
            parent_id=parent[-1] if parent else None,
            path=path,
            valid_from=date(2020, 1, 1),
        )
        data.add(f"org-{unit_id}", event, path, created)
        data.facts["units"] += 1
        return path

    district = unit(DISTRICT, "district", unit(PROVINCE, "province", []))
    paths: dict[str, list[str]] = {}
    for g in range(math.ceil(branches / BRANCHES_PER_GRASSROOTS)):
        grassroots = unit(f"G{g + 1:03}", "grassroots", district)
        first = g * BRANCHES_PER_GRASSROOTS
        for b in range(first, min(branches, first + BRANCHES_PER_GRASSROOTS)):
            branch = f"B{b + 1:04}"
            paths[branch] = unit(branch, "branch", grassroots)

    rosters = {
        branch: register_members(data, branch, path, members) for branch, path in paths.items()
    }
    for branch, roster in rosters.items():
        plan_year(data, branch, paths[branch], roster)
    for month in range(1, MONTHS + 1):
        for branch, roster in rosters.items():
            monthly_reports(data, branch, paths[branch], roster, month)
        monthly_meetings(data, paths, rosters, month)
    return data


def register_members(data: DataSet, branch: str, path: list[str], count: int) -> list[str]:
    rng, roster = data.rng, []
    for i in range(count):
        member = data.new_id()
        admitted = date(rng.randint(1975, YEAR - 1), rng.randint(1, 12), rng.randint(1, 28))
        registered = a.MemberRegistered(
            member_id=member,
            full_name=f"Đảng viên {branch}-{i + 1:02}",
            branch_id=branch,
            admission_date=admitted,
            status="probationary" if admitted.year == YEAR - 1 else "full",
        )
        data.add(f"member-{member}", registered, path, datetime(YEAR - 1, 12, 2, 9, tzinfo=VN))
        if i == 0:
            role = a.MemberRoleGiven(
                member_id=member, branch_id=branch, role="secretary", since=date(2020, 10, 1)
            )
            data.add(f"member-{member}", role, path, datetime(YEAR - 1, 12, 2, 10, tzinfo=VN))
            data.facts["roles"] += 1
        roster.append(member)
    data.facts["members"] += count
    data.facts["member_periods"] += count
    return roster


def plan_year(data: DataSet, branch: str, path: list[str], roster: list[str]) -> None:
    plan, stream = f"{branch}-{YEAR}", f"plan-{branch}-{YEAR}"
    at = datetime(YEAR, 1, 8, 20, tzinfo=VN)
    drafted = a.PlanDrafted(
        plan_id=plan, branch_id=branch, year=YEAR, min_households=3, max_households=8
    )
    data.add(stream, drafted, path, at)
    for i, member in enumerate(roster):
        households = [f"h-{branch}-{5 * i + k:03}" for k in range(5)]
        assigned = a.MemberAssigned(
            plan_id=plan,
            branch_id=branch,
            member_id=member,
            household_ids=households,
            out_of_range=False,
        )
        data.add(stream, assigned, path, at)
    adopted = a.PlanAdopted(
        plan_id=plan,
        branch_id=branch,
        resolution_number=f"01-NQ/CB-{branch}",
        adopted_on=date(YEAR, 1, 10),
    )
    data.add(stream, adopted, path, at + timedelta(days=2))
    data.facts["plans"] += 1
    data.facts["assignments"] += len(roster)


def monthly_reports(
    data: DataSet, branch: str, path: list[str], roster: list[str], month: int
) -> None:
    """A branch's reports of a month, entered together: one stream per branch and month."""
    key, rng = f"{YEAR}-{month:02}", data.rng
    for member in roster:
        late = rng.random() < 0.05
        submitted = date(YEAR + month // 12, month % 12 + 1, 25) if late else date(YEAR, month, 27)
        report = a.ReportSubmitted(
            branch_id=branch,
            month=key,
            member_id=member,
            assignment="households",
            situation=rng.choice(SITUATIONS),
            submitted_on=submitted,
            entered_by="secretary" if rng.random() < 0.2 else "member",
            late=late,
        )
        at = datetime(submitted.year, submitted.month, submitted.day, 20, tzinfo=VN)
        data.add(f"reports-{branch}-{YEAR}{month:02}", report, path, at)
    data.facts["reports"] += len(roster)


def monthly_meetings(
    data: DataSet, paths: dict[str, list[str]], rosters: dict[str, list[str]], month: int
) -> None:
    """Every branch schedules its regular meeting early in the month; each holds it on the
    5th and enters the sheet right after."""
    key, rng = f"{YEAR}-{month:02}", data.rng
    meetings = {branch: data.new_id() for branch in paths}
    start = datetime(YEAR, month, 5, 19, 30, tzinfo=VN)
    for branch, meeting in meetings.items():
        scheduled = t.MeetingScheduled(
            meeting_id=meeting,
            branch_id=branch,
            kind="regular",
            month=key,
            scheduled_for=start,
            place="Nhà văn hóa ấp",
            topic="",
            extra_reason=None,
        )
        data.add(f"meetings-{branch}-{YEAR}", scheduled, paths[branch], start - timedelta(days=4))
    for branch, meeting in meetings.items():
        roster, stream, end = (
            rosters[branch],
            f"meetings-{branch}-{YEAR}",
            start + timedelta(hours=2),
        )
        held = t.MeetingHeld(
            meeting_id=meeting,
            branch_id=branch,
            kind="regular",
            month=key,
            started_at=start,
            ended_at=end,
            place="Nhà văn hóa ấp",
            chair_id=roster[0],
            minutes_recorded=True,
            prepared_by_committee=rng.random() < 0.9,
        )
        data.add(stream, held, paths[branch], end)
        marks = [mark(member, rng.random()) for member in roster]
        sheet = t.AttendanceRecorded(
            meeting_id=meeting, branch_id=branch, kind="regular", held_on=start.date(), marks=marks
        )
        data.add(stream, sheet, paths[branch], end + timedelta(minutes=5))
        data.facts["marks"] += len(roster)
    data.facts["meetings"] += len(meetings)


def mark(member: str, draw: float) -> t.AttendanceMark:
    if draw < 0.04:
        return t.AttendanceMark(member_id=member, status="absent_excused", reason="ốm")
    if draw < 0.06:
        return t.AttendanceMark(member_id=member, status="absent_unexcused")
    return t.AttendanceMark(member_id=member, status="present")


async def publish(nc: NATS, data: DataSet) -> None:
    """Both streams filled as the relays would: every PubAck awaited."""
    js = nc.jetstream(publish_async_max_pending=PUBLISH_IN_FLIGHT)
    for spec in STREAMS.values():
        await declare_stream(js, spec)
    futures: list[asyncio.Future[PubAck]] = []
    for messages in data.messages.values():
        for m in messages:
            futures.append(await js.publish_async(m.subject, m.body, headers=m.headers))
    for future in futures:
        await future  # raises if a publish was refused
    for service, spec in STREAMS.items():
        held = (await js.stream_info(spec.name)).state.messages
        if held != len(data.messages[service]):
            raise RuntimeError(f"{spec.name} holds {held}, not {len(data.messages[service])}")


# --- results --------------------------------------------------------------------------------


@dataclass
class Side:
    label: str
    rates: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.rates)


RAW_LABEL = f"raw pull consume (fetch {FETCH_BATCH} + ack each, no DB)"


@dataclass
class Results:
    rebuild: Side = field(default_factory=lambda: Side("rating ReadModels.rebuild() to switch"))
    raw: Side = field(default_factory=lambda: Side(f"{RAW_LABEL}, whole streams"))
    applied: Side = field(
        default_factory=lambda: Side("rebuild until its last event is applied, before the switch")
    )
    first_fill: Side = field(default_factory=lambda: Side("generation 1 at service start"))
    batch_ms: dict[str, list[float]] = field(default_factory=dict)  # source -> mean per repeat
    identical: list[bool] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.rebuild.median / self.raw.median


def rate(events: int, seconds: float) -> float:
    return events / seconds


def human(value: float) -> str:
    return f"{value / 1000:.1f}k" if value >= 1000 else f"{value:.0f}"


async def until(condition: Callable[[], bool], interval: float = 0.01) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark step did not finish")
        await asyncio.sleep(interval)


# --- the raw limit --------------------------------------------------------------------------


def source_specs(prefix: str) -> list[tuple[ConsumerSpec, str]]:
    """Consumer specs as ReadModels configures its own: the stream's own subject."""
    return [
        (
            ConsumerSpec(
                name=f"{prefix}_{source}_{uuid.uuid4().hex[:8]}",
                stream=stream,
                filter_subjects=[service_subjects(source)],
            ),
            source,
        )
        for source, stream, _ in SOURCES
    ]


async def raw_pull(nc: NATS, data: DataSet) -> float:
    js = nc.jetstream()

    async def consume(spec: ConsumerSpec, total: int) -> None:
        await js.add_consumer(spec.stream, spec.server_config())
        sub = await js.pull_subscribe_bind(spec.name, spec.stream)
        received = 0
        try:
            while received < total:
                try:
                    messages = await sub.fetch(FETCH_BATCH, timeout=spec.fetch_timeout_seconds)
                except TimeoutError:
                    continue
                for msg in messages:
                    await msg.ack()
                received += len(messages)
        finally:
            await sub.unsubscribe()

    specs = source_specs("raw")
    began = time.perf_counter()
    try:
        await asyncio.gather(*(consume(s, len(data.messages[src])) for s, src in specs))
        return rate(data.total, time.perf_counter() - began)
    finally:
        for spec, _ in specs:
            await js.delete_consumer(spec.stream, spec.name)


# --- the rating service and its rebuild ------------------------------------------------------


@dataclass
class Rating:
    runtime: ServiceRuntime
    read_models: ReadModels

    def sample(self, metric: str, labels: dict[str, str]) -> float:
        return self.runtime.metrics.registry.get_sample_value(metric, labels) or 0.0

    def applied(self, names: Sequence[str]) -> float:
        metric = "chibo_consumer_messages_total"
        return sum(self.sample(metric, {"consumer": n, "outcome": "applied"}) for n in names)

    def batch_ms(self, name: str) -> float:
        metric, labels = "chibo_consumer_batch_duration_seconds", {"consumer": name}
        count = self.sample(f"{metric}_count", labels)
        return 1000 * self.sample(f"{metric}_sum", labels) / count if count else 0.0

    def names(self) -> list[str]:
        return [c.spec.name for c in self.read_models.consumers]

    async def check_status(self, active: int) -> None:
        status = await self.read_models.status()
        if status["active"] != active or any(status["parked"].values()):
            raise RuntimeError(f"unexpected read-model status: {status}")


@asynccontextmanager
async def rating_service(url: str, nats_url: str) -> AsyncIterator[Rating]:
    # No HTTP here: the secret only satisfies the sign-in setting every service needs.
    settings = RatingSettings(
        database_url=url, nats_url=nats_url, auth_shared_secret=SecretStr("bench-" + "0" * 32)
    )
    app, runtime, read_models = build(settings)
    async with app.router.lifespan_context(app):
        yield Rating(runtime, read_models)


async def dump(pool: LeanPool, schema: str) -> Rows:
    found: Rows = {}
    for table in FACT_TABLES:
        rows = await pool.fetch(f"SELECT * FROM {schema}.{table}")
        found[table] = sorted((tuple(r.values()) for r in rows), key=repr)
    return found


def check_counts(rows: Rows, data: DataSet) -> None:
    """Generation 1 holds what the data set implies, table by table."""
    got = {table: len(found) for table, found in rows.items()}
    want = {table: data.facts.get(table, 0) for table in FACT_TABLES}
    if got != want:
        raise RuntimeError(f"generation 1 holds {got}, expected {want}")


async def first_fill(rating: Rating, data: DataSet, began: float) -> float:
    """Generation 1, started with the service on the filled streams, caught up."""
    names = rating.names()
    await until(lambda: rating.applied(names) >= data.total)
    seconds = time.perf_counter() - began
    await rating.check_status(1)
    return rate(data.total, seconds)


async def rebuild_once(rating: Rating, data: DataSet, results: Results) -> Rows:
    """One rebuild, timed to the switch; returns the new generation's facts."""
    read_models = rating.read_models
    old = set(rating.names())
    before = await dump(rating.runtime.pool, read_models.active_schema)

    began = time.perf_counter()
    number = await read_models.rebuild()
    target = schema_of(number)
    new = [name for name in rating.names() if name not in old]
    applied_at: list[float] = []

    def switched() -> bool:
        if not applied_at and rating.applied(new) >= data.total:
            applied_at.append(time.perf_counter())
        return read_models.active_schema == target

    await until(switched)
    ended = time.perf_counter()
    await rating.check_status(number)

    results.rebuild.rates.append(rate(data.total, ended - began))
    results.applied.rates.append(rate(data.total, (applied_at or [ended])[0] - began))
    for name in new:  # rating-<instance>-g<n>-<source>
        results.batch_ms.setdefault(name.rsplit("-", 1)[1], []).append(rating.batch_ms(name))
    after = await dump(rating.runtime.pool, target)
    results.identical.append(after == before)
    return after


# --- running and reporting ------------------------------------------------------------------


def report_lines(results: Results) -> list[str]:
    raw = results.raw.median
    verdict = "ok" if results.ratio >= EXPECT else "BELOW"
    identical = "yes" if all(results.identical) else "NO"
    rebuilds = len(results.identical)
    lines = [
        f"{NAME:<9} {human(results.rebuild.median):>6} ev/s = {results.ratio:.2f}x "
        f"{results.raw.label} ({human(raw)} ev/s)  [>= {EXPECT}x] {verdict}",
        f"{'':<9} identical: {identical} (every fact table, rows sorted, old generation against "
        f"new, {rebuilds} rebuild{'' if rebuilds == 1 else 's'})",
    ]
    for side in (results.applied, results.first_fill):
        lines.append(
            f"{'':<9} {human(side.median):>6} ev/s = {side.median / raw:.2f}x  {side.label} "
            "(reference only)"
        )
    lines += ["", "per repeat (ev/s):"]
    sides = (results.rebuild, results.raw, results.applied)
    lines += [f"  {side.label}: " + ", ".join(human(r) for r in side.rates) for side in sides]
    lines.append(f"  {results.first_fill.label}: {human(results.first_fill.rates[0])}")
    for source, means in sorted(results.batch_ms.items()):
        per_batch = ", ".join(f"{ms:.1f}" for ms in means)
        lines.append(
            f"  rebuild consumer batch, mean (<= {FETCH_BATCH} events, DB transaction), "
            f"{source}: {per_batch} ms"
        )
    return lines


def describe(data: DataSet, branches: int, members: int) -> str:
    per_stream = ", ".join(f"{s} {len(m)}" for s, m in data.messages.items())
    mix = ", ".join(f"{n} {c}" for n, c in data.counts.most_common())
    return (
        f"data: {branches} branches x {members} members x {MONTHS} months = {data.total} events "
        f"({per_stream}): {mix}"
    )


def environment(pg_version: str, nc: NATS, repeats: int) -> str:
    server = nc.connected_server_version
    versions = {p: importlib.metadata.version(p) for p in ("nats-py", "asyncpg", "pydantic")}
    libs = ", ".join(f"{name} {version}" for name, version in versions.items())
    return (
        f"env: {os.cpu_count()} cpus, python {platform.python_version()}, "
        f"nats-server {server.major}.{server.minor}.{server.patch}, postgres {pg_version}, "
        f"{libs}; {repeats} repeats, medians"
    )


async def run(url: str, nats_url: str, branches: int, members: int, repeats: int) -> list[str]:
    data = a_year(branches, members)
    nc = await nats.connect(nats_url)
    results = Results()
    try:
        await publish(nc, data)
        began = time.perf_counter()
        async with rating_service(url, nats_url) as rating:
            results.first_fill.rates.append(await first_fill(rating, data, began))
            check_counts(await dump(rating.runtime.pool, rating.read_models.active_schema), data)
            for _ in range(repeats):
                results.raw.rates.append(await raw_pull(nc, data))
                await rebuild_once(rating, data, results)
            pg_version = await rating.runtime.pool.fetchval("SHOW server_version")
        lines = [environment(pg_version, nc, repeats), describe(data, branches, members), ""]
        lines += report_lines(results)
        if not all(results.identical):
            raise SystemExit("\n".join([*lines, "", "rebuilt read models differ"]))
        return lines
    finally:
        await nc.drain()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--branches", type=int, help=f"branches (default {DEFAULT_BRANCHES})")
    parser.add_argument(
        "--members", type=int, help=f"members per branch (default {DEFAULT_MEMBERS})"
    )
    parser.add_argument(
        "--events",
        type=int,
        help="approximate events in both streams: sets --branches (as kernel_bench's --events, "
        "so `./chibo bench --events N` sizes both)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a smoke run: {QUICK_BRANCHES} branches x {QUICK_MEMBERS} members, 1 repeat; "
        "the ratio means little at that size",
    )
    parser.add_argument("--repeat", type=int, help="runs per side; medians reported (default 3)")
    parser.add_argument(
        "--only",
        default="",
        help="as kernel_bench's: this benchmark runs only if the list is empty or names "
        f"{NAME!r}, so that `./chibo bench --only relay` runs the relay pair alone",
    )
    args = parser.parse_args()
    args.only = [name for name in args.only.split(",") if name]
    if not set(args.only) <= {*KERNEL_PAIRS, NAME, "own_rebuild"}:
        parser.error(f"--only takes names from {', '.join((*KERNEL_PAIRS, NAME, 'own_rebuild'))}")

    def chosen(value: int | None, quick: int, default: int) -> int:
        if value is not None:
            return value
        return quick if args.quick else default

    args.members = chosen(args.members, QUICK_MEMBERS, DEFAULT_MEMBERS)
    if args.events is not None and args.branches is None:
        per_branch = 14 * args.members + 40  # see a_year: registrations, plan, reports, meetings
        args.branches = max(1, round(args.events / per_branch))
    args.branches = chosen(args.branches, QUICK_BRANCHES, DEFAULT_BRANCHES)
    args.repeat = chosen(args.repeat, 1, 3)
    if args.branches < 1 or args.members < 1 or args.repeat < 1:
        parser.error("--branches, --members and --repeat must be at least 1")
    return args


def main() -> None:
    args = parse_args()
    if args.only and NAME not in args.only:
        print(f"{NAME}: not run (--only {','.join(args.only)})")
        return
    configure_logging("bench", "WARNING")
    with Stack(services=()) as stack:  # in a fresh temp dir, removed again on exit
        url = create_database(stack.admin_database_url, "rating_bench")
        upgrade(url)
        lines = asyncio.run(run(url, stack.nats_url, args.branches, args.members, args.repeat))
    print("\n".join(lines))


if __name__ == "__main__":
    main()

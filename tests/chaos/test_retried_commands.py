"""A client gives up waiting on every kind of command and sends it again with the same
Idempotency-Key, as if the first answer had been lost: the event store holds one effect,
and that effect travels to the stream and the read models once."""

from __future__ import annotations

import contextlib
import time
from typing import Any

import httpx
from signin import ADMIN

from .commands import REPORTS
from .load import Command, Outcome
from .more_commands import ABSENTEE, every_kind
from .reconcile import Row, reconcile
from .routes import ELSEWHERE, command_routes, routes_of
from .scenario import Chaos
from .steps import Step, answered_id

LOST_ANSWER = httpx.Timeout(10.0, read=0.001)  # the request goes out; its answer is not awaited


def _count(chaos: Chaos, service: str) -> int:
    return int(chaos.system.fetchval(service, "SELECT count(*) FROM events"))


def _post(chaos: Chaos, command: Command, timeout: httpx.Timeout | float) -> httpx.Response:
    url = chaos.system.services[command.service].base_url + command.path
    headers = {**ADMIN, "Idempotency-Key": f'"{command.key}"'}
    if command.raw is not None:
        return chaos.system.http.post(url, content=command.raw, headers=headers, timeout=timeout)
    return chaos.system.http.request(
        command.method, url, json=command.body, headers=headers, timeout=timeout
    )


def _retry_until_answered(chaos: Chaos, command: Command) -> httpx.Response:
    deadline = time.monotonic() + 30
    while True:
        response = _post(chaos, command, 10.0)
        if response.status_code < 500 or time.monotonic() > deadline:
            return response
        time.sleep(0.1)  # the first may still hold the key


def _once(chaos: Chaos, step: Step, ids: dict[str, str]) -> tuple[Outcome, list[str], bool]:
    """The step sent, its answer dropped, sent again: the outcome, what is wrong with it,
    and whether the retry was answered with the first send's answer."""
    path, body = step.filled(ids)
    raw = step.raw.encode() if step.raw else None
    command = Command(step.service, step.kind, path, body, "", raw=raw, method=step.method)
    before = _count(chaos, command.service)
    with contextlib.suppress(httpx.TimeoutException):  # the client never learns the answer
        _post(chaos, command, LOST_ANSWER)
    retried = _retry_until_answered(chaos, command)
    outcome = Outcome(command, retried.status_code, _json(retried), attempts=2)
    if not outcome.acknowledged:
        return outcome, [f"retry answered {retried.status_code}: {retried.text[:300]}"], False
    if (found := answered_id(outcome.answer)) is not None:
        ids[step.kind] = found
    again = _post(chaos, command, 10.0)
    stored = _count(chaos, command.service) - before
    problems = []
    if outcome.answer.get("errors"):  # a file's rows refused: the command did nothing
        problems.append(f"rows refused: {outcome.answer['errors']}")
    # An answer that names no events (a file import's) is checked against the key alone.
    named = len(outcome.event_ids) if "event_ids" in outcome.answer else stored
    if (stored, stored) != (named, _kept(chaos, command)):
        problems.append(
            f"{stored} events stored; the answer named {named}, "
            f"the key recorded {_kept(chaos, command)}"
        )
    if (again.status_code, _json(again)) != (retried.status_code, outcome.answer):
        problems.append(f"a third send answered differently: {again.status_code} {again.text}")
    return outcome, problems, retried.headers.get("idempotency-replayed") == "true"


def _kept(chaos: Chaos, command: Command) -> int:
    """How many events the service recorded with the command's key: its one effect."""
    return int(
        chaos.system.fetchval(
            command.service,
            "SELECT coalesce(sum(cardinality(event_ids)), 0) FROM idempotency_keys "
            "WHERE idempotency_key = $1",
            command.key,
        )
    )


def _unexcused(chaos: Chaos, member: str) -> int:
    generation = chaos.system.fetchval(
        "rating",
        "SELECT generation FROM consumed_read_models "
        "WHERE name = 'rating-facts' AND state = 'active'",
    )
    query = (
        f"SELECT count(*) FROM rm_{generation}.marks "
        "WHERE member_id = $1 AND status = 'absent_unexcused'"
    )
    return int(chaos.system.fetchval("rating", query, member))


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def test_every_command_kind_retried_after_a_lost_answer_has_one_effect(
    chaos: Chaos, table: list[Row]
) -> None:
    row, outcomes = Row("client timeout, retry (every command kind)"), []
    ids: dict[str, str] = {}
    replays = 0
    failures: dict[str, list[str]] = {}
    started = time.monotonic()
    steps = every_kind()
    for step in steps:
        if step.kind == "schedule meeting":  # attendance's roster must know the members
            chaos.system.eventually(
                lambda: bool(
                    chaos.system.fetchval(
                        "attendance",
                        "SELECT count(*) FROM roster_members WHERE member_id = $1",
                        ids["register 2"],
                    )
                ),
                timeout=60,
                what="the roster to hold the registered members",
            )
        if step.kind == "propose removal":  # rating must hold the three months first
            chaos.system.eventually(
                lambda: _unexcused(chaos, ids[ABSENTEE]) >= 3,
                timeout=60,
                what="rating to hold the absentee's three unexcused months",
            )
        outcome, problems, replayed = _once(chaos, step, ids)
        replays += replayed
        outcomes.append(outcome)
        if problems:
            failures[step.kind] = problems
        if step.kind == "submit reports" and outcome.acknowledged:
            month = chaos.system.ok("assignment", "GET", REPORTS)
            ids["problem"] = str(month["open_problems"][0]["problem_id"])
    row.recovery = time.monotonic() - started
    chaos.settle()
    reconcile(chaos.system, row, outcomes)
    row.notes.append(
        f"{len(steps)} kinds, each sent twice with one key; "
        f"{replays} retries answered with the first send's answer"
    )
    row.problems.extend(f"{kind}: {p}" for kind, ps in failures.items() for p in ps)
    table.append(row)

    assert routes_of(steps) | ELSEWHERE == command_routes()
    assert failures == {}
    assert (row.lost, row.duplicated) == (0, 0), row.problems
    assert row.acknowledged == row.stored == row.streamed == row.projected == len(steps)

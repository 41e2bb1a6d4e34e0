"""Schemathesis over a running service's OpenAPI document: every operation, generated both
within the schema and against it, sent as the province administrator (so inputs reach the
validation and the domain rules), as principals whose subtree holds none of the places
named, and with no or made-up tokens. Every answer gets the same checks (harness.check_answer).

Hypothesis runs derandomized: the same code, seeds and schema give the same inputs, so a
failure reproduces by running the test again; each failure also carries a curl command.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from signin import ADMIN, bearer

from chibo_chassis.auth import Role

from .harness import System, Tally, check_answer
from .seeds import OUT_OF_SCOPE_ORGS, Seeds

# Roles that could do the thing, over subtrees that hold none of the seeded places.
OUT_OF_SCOPE = [
    bearer(role, org)
    for role, org in itertools.product(
        (Role.ORGANISATION_BOARD, Role.GRASSROOTS_COMMITTEE, Role.BRANCH_SECRETARY),
        OUT_OF_SCOPE_ORGS,
    )
]
# Each way of sending an operation's inputs, and its share of the operation's budget.
MODES: dict[str, float] = {
    "positive": 0.15,  # within the schema, generated path parameters, as the administrator
    "negative": 0.20,  # against the schema
    "seeded": 0.25,  # within the schema, on real units, members, meetings, problems
    "seeded-negative": 0.20,  # against the schema, on real ones: past the guards
    "out-of-scope": 0.15,  # within the schema, real places, a principal without them
    "anonymous": 0.05,  # no token, or one the generator made up
}
REFUSED_PRINCIPALS = frozenset({"out-of-scope", "anonymous"})
# Never sent as the administrator: asked for, it does its job, which is to change the read
# models (a new generation); out-of-scope and anonymous principals must still be refused.
ADMIN_EXCLUDED = frozenset({"POST /v1/admin/read-models/rebuild"})
TIMEOUT = 60


@dataclass(frozen=True)
class Plan:
    service: str
    budget: int  # inputs to try in all, at least


def path_combinations(
    names: list[str], values: Mapping[str, list[Any]], limit: int = 8
) -> list[dict[str, Any]]:
    """Up to `limit` assignments of real values to the path parameters that have some."""
    known = [n for n in names if values.get(n)]
    if not known:
        return []
    combos = [
        dict(zip(known, c, strict=True)) for c in itertools.product(*(values[n] for n in known))
    ]
    step = max(1, len(combos) // limit)  # spread out, rather than the first unit each time
    return combos[::step][:limit]


def _strategy(
    operation: Any, mode: GenerationMode, combos: list[dict[str, Any]]
) -> st.SearchStrategy[Any]:
    if not combos:
        return operation.as_strategy(generation_mode=mode)  # type: ignore[no-any-return]
    return st.one_of(
        [operation.as_strategy(generation_mode=mode, path_parameters=c) for c in combos]
    )


def curl(case: Any, base_url: str, headers: Mapping[str, str]) -> str:
    try:
        return str(case.as_curl_command(headers=dict(headers), base_url=base_url))
    except Exception as exc:  # the curl text is a convenience
        return f"{case.method} {case.formatted_path} ({exc!r})"


class Fuzzer:
    def __init__(self, system: System, seeds: Seeds, plan: Plan) -> None:
        self.system = system
        self.seeds = seeds
        self.plan = plan
        self.service = system.services[plan.service]
        self.base = self.service.base_url
        self.tally = Tally(plan.service)
        self.session = requests.Session()
        self.session.trust_env = False  # only ever 127.0.0.1
        self.now = system.state(plan.service)
        self.tokens = itertools.cycle(OUT_OF_SCOPE)
        self.service.new_errors()  # from here on

    def run(self) -> Tally:
        schema = schemathesis.openapi.from_url(f"{self.base}/openapi.json", timeout=30)
        operations = []
        for result in schema.get_all_operations():
            if isinstance(result, Ok):
                operations.append(result.ok())
            else:
                self.tally.fail("OpenAPI document", f"unusable: {result.err()!r}", "")
        assert operations, f"no operations in {self.plan.service}'s OpenAPI document"
        per_operation = math.ceil(self.plan.budget / len(operations))
        values = self.seeds.path_values()
        for operation in operations:
            label = f"{operation.method.upper()} {operation.path}"
            combos = path_combinations([p.name for p in operation.path_parameters], values)
            for mode, share in MODES.items():
                if label in ADMIN_EXCLUDED and mode not in REFUSED_PRINCIPALS:
                    continue
                seeded = mode.startswith("seeded") or mode == "out-of-scope"
                if mode.startswith("seeded") and not combos:
                    continue  # nothing to seed: the plain modes cover it
                generation = (
                    GenerationMode.NEGATIVE if "negative" in mode else GenerationMode.POSITIVE
                )
                strategy = _strategy(operation, generation, combos if seeded else [])
                examples = max(3, math.ceil(per_operation * share))
                self._explore(strategy, examples, label, mode)
        return self.tally

    def _explore(
        self, strategy: st.SearchStrategy[Any], examples: int, label: str, mode: str
    ) -> None:
        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # failures are collected, not shrunk
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def explore(case: Any) -> None:
            self.send(case, mode, label)

        try:
            explore()
        except HypothesisException as exc:  # e.g. nothing can be generated against the schema
            self.tally.not_sent[f"{label} {mode}: {type(exc).__name__}"] += 1

    def headers(self, mode: str) -> dict[str, str]:
        if mode == "out-of-scope":
            return dict(next(self.tokens))
        if mode == "anonymous":
            return {}  # what the generator made up, if anything
        return dict(ADMIN)

    def send(self, case: Any, mode: str, label: str) -> None:
        headers = self.headers(mode)
        before = self.now
        try:
            response = case.call(
                base_url=self.base, session=self.session, headers=headers, timeout=TIMEOUT
            )
        except (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL) as exc:
            self.tally.not_sent[type(exc).__name__] += 1  # the client refused to send it
            return
        except requests.exceptions.RequestException as exc:
            self.tally.fail(label, f"no answer: {exc!r}", curl(case, self.base, headers))
            dead = self.system.healthy(self.plan.service)
            if dead:
                raise AssertionError(f"{self.plan.service} died: {dead}") from exc
            return
        if response.status_code == 202 and label == "POST /v1/imports/members":
            self._await_import(response, label, curl(case, self.base, headers))
        if mode in REFUSED_PRINCIPALS and response.status_code < 400:
            # Whatever such a principal is answered (a read it may make, a job that will
            # refuse its rows), it must change nothing.
            now = self.system.state(self.plan.service)
            changed = before.differences(now)
            if changed:
                what = f"{mode} principal answered {response.status_code} changed {changed}"
                self.tally.fail(label, what, curl(case, self.base, headers))
            self.tally.record(mode, response.status_code)
            self.now = now
            return
        self.now = check_answer(
            self.tally,
            mode,
            label,
            response,
            before,
            lambda: self.system.state(self.plan.service),
            lambda: curl(case, self.base, headers),
            self.service.new_errors,
        )

    def _await_import(self, response: Any, label: str, reproduce: str) -> None:
        """An accepted import is a job: wait for it, so its writes are not taken for those
        of the next request. A job that failed on an unexpected error is a hidden 500."""
        job = response.json()["job_id"]
        deadline = time.monotonic() + 60
        status: dict[str, Any] = {}
        while time.monotonic() < deadline:
            answer = self.system.http.get(f"{self.base}/v1/imports/{job}", headers=ADMIN)
            status = answer.json()
            if status.get("status") != "running":
                break
            time.sleep(0.05)
        else:
            self.tally.fail(label, f"import job {job} still running after 60s", reproduce)
        failure = str(status.get("failure") or "")
        if failure.startswith("import failed:"):
            what = f"import job failed on an unexpected error: {failure}"
            self.tally.fail(label, what, reproduce, "; ".join(self.service.new_errors()))
        # Its writes, if any, are the job's: the next request starts from here.
        self.now = self.system.state(self.plan.service)


def fuzz_service(system: System, seeds: Seeds, plan: Plan) -> Tally:
    return Fuzzer(system, seeds, plan).run()

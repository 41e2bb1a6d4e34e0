"""The targeted hostile run over every command endpoint of a service: each route's baseline
request (routes.py) first as it is, then with one hostile change at a time: a systematic
sweep (every field gets NUL, control characters, NFD Vietnamese, SQL and JSON
metacharacters, dates out of range, wrong types, a 10^5-element list; the body gets deeply
nested and huge raw JSON; every path parameter gets hostile values; other organisations'
principals send it), then hypothesis-drawn changes. Every answer gets the same checks as the
Schemathesis run; refusals by scope must be 403s that change nothing.
"""

from __future__ import annotations

import csv
import io
import json
import time
import unicodedata
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.result import Ok
from signin import ADMIN, bearer

from chibo_chassis.auth import Role

from .harness import State, System, Tally, answer_problems, untranslated
from .hostile import Mutation, Raw, mutations, path_mutations, sweep
from .routes import ROUTES, Context, Target, prepare
from .seeds import OTHER_BRANCH, Seeds

# Whoever sends a scope mutation, and what they are.
REFUSED = {
    "the board of another district": bearer(Role.ORGANISATION_BOARD, "LC.XX"),
    "the committee of another commune": bearer(Role.GRASSROOTS_COMMITTEE, "LC.VB.XX"),
    "the secretary of the neighbouring branch": bearer(
        Role.BRANCH_SECRETARY, f"LC.VB.VL.{OTHER_BRANCH}"
    ),
    "an auditor of the province": bearer(Role.AUDITOR, ""),
}
# Not commands: the rebuild has no input (only scope matters); the meeting verdict is a query
# sent as a POST, open to every role, stores nothing (its hostile input: the Schemathesis run).
NOT_COMMANDS = frozenset({"/v1/admin/read-models/rebuild", "/v1/rule-sets/{year}/meeting-verdict"})
FILE_ROUTES = frozenset(
    {"/v1/imports/members", "/v1/branches/{branch_id}/plans/{year}/assignments/import"}
)
FILES = [
    Raw(b"PK\x03\x04" + b"\x00" * 200, "application/octet-stream", "a broken zip"),
    Raw(
        "Họ và tên\n".encode() + "\u202e\x00\n".encode() * 20_000,
        "text/csv",
        "20,000 rows of control characters",
    ),
    Raw(b"\xff\xfe" + "Họ và tên,Ngày sinh\n".encode("utf-16-le"), "text/csv", "UTF-16"),
    Raw(b"a" * (6 * 2**20), "text/csv", "6 MiB"),
    Raw(b"a" * (21 * 2**20), "text/csv", "21 MiB"),
    Raw(b'"unterminated,quote\n' * 1000, "text/csv", "an unterminated quote"),
]
FILENAMES = ["x.csv\x00.xlsx", "../../../../tmp/x.csv", "danh-sách.CSV", "a" * 196 + ".csv", ".csv"]


def csv_bytes(rows: Any) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if isinstance(rows, list):
        for row in rows:
            writer.writerow(row if isinstance(row, list) else [row])
    else:
        out.write(str(rows))
    return out.getvalue().encode("utf-8", "surrogatepass")


def csv_rows(data: bytes) -> list[list[str]]:
    return [list(r) for r in csv.reader(io.StringIO(data.decode()))]


def json_bytes(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")


class Attack:
    def __init__(self, system: System, seeds: Seeds, service: str, random_examples: int) -> None:
        self.system = system
        self.seeds = seeds
        self.service = service
        self.random_examples = random_examples
        self.base = system.services[service].base_url
        self.context = Context(system, seeds)
        self.tally = Tally(service)
        self.outcomes: Counter[str] = Counter()  # category -> statuses, for the report
        self.baselines: dict[str, int] = {}
        self.other_ids = [OTHER_BRANCH, *seeds.other_members, "XX-99", "HN", "LC"]

    # --- the run -----------------------------------------------------------------------
    def run(self) -> Tally:
        routes = ROUTES[self.service](self.context)
        sweeps = 150  # about the most fresh targets one route's sweep takes
        prepare(self.service, self.context, sweeps + self.random_examples + 10)
        if self.service == "rating":
            from .seeds import rating_caught_up

            self.system.eventually(
                lambda: rating_caught_up(self.system), timeout=120, what="rating pools projected"
            )
        self._check_coverage(routes)
        self.system.services[self.service].new_errors()
        for template, build in routes.items():
            self._route(template, build)
        return self.tally

    def _check_coverage(self, routes: dict[str, Callable[[Context], Target]]) -> None:
        schema = schemathesis.openapi.from_url(f"{self.base}/openapi.json", timeout=30)
        operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
        posts = {op.path for op in operations if op.method.upper() == "POST"}
        for missing in sorted(posts - set(routes) - NOT_COMMANDS):
            self.tally.fail(missing, "a command endpoint without a hostile baseline", "routes.py")

    def _route(self, template: str, build: Callable[[Context], Target]) -> None:
        proto = build(self.context)
        self.baselines[template] = self.send(template, proto, Mutation("baseline"))
        body = self._body_of(template, proto)
        fixed: list[Mutation] = [*sweep(body), *path_mutations(list(proto.params))]
        fixed += [Mutation("scope", principal=who) for who in REFUSED]
        if template in FILE_ROUTES:
            fixed += [Mutation("file", raw=raw) for raw in FILES]
            fixed += [Mutation("filename", param="?filename", value=f) for f in FILENAMES]
        for mutation in fixed:
            self.send(template, build(self.context), mutation)

        @settings(
            max_examples=self.random_examples,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # failures are collected, not shrunk
            suppress_health_check=list(HealthCheck),
        )
        @given(mutation=mutations(body, self.other_ids))
        def explore(mutation: Mutation) -> None:
            self.send(template, build(self.context), mutation)

        explore()

    def _body_of(self, template: str, target: Target) -> Any:
        return csv_rows(target.raw) if template in FILE_ROUTES and target.raw else target.body

    # --- one request ---------------------------------------------------------------------
    def request_of(
        self, template: str, target: Target, mutation: Mutation
    ) -> tuple[str, dict[str, str], bytes, dict[str, str]]:
        path, query = target.path, dict(target.query)
        headers = dict(ADMIN)
        if mutation.principal is not None:
            headers = dict(REFUSED[mutation.principal])
        if mutation.param is not None and mutation.param.startswith("?"):
            query[mutation.param[1:]] = str(mutation.value)
        elif mutation.param is not None:
            path = template
            for name, value in target.params.items():
                shown = str(mutation.value) if name == mutation.param else value
                path = path.replace("{" + name + "}", urllib.parse.quote(shown, safe=""))
        file = template in FILE_ROUTES
        body = self._body_of(template, target)
        if mutation.raw is not None:
            content, kind = mutation.raw.content, mutation.raw.content_type
        elif mutation.at is not None:
            changed = mutation.apply(body)
            content = csv_bytes(changed) if file else json_bytes(changed)
            kind = "text/csv" if file else "application/json"
        elif file:
            content, kind = target.raw or b"", "text/csv"
        else:
            content, kind = json_bytes(target.body), "application/json"
        headers["Content-Type"] = kind
        # A connection the server closes after refusing a body it never read must not be
        # reused for the next request: one connection per request.
        headers["Connection"] = "close"
        return path, query, content, headers

    def send(self, template: str, target: Target, mutation: Mutation) -> int:
        path, query, content, headers = self.request_of(template, target, mutation)
        before = self.system.state(self.service)
        url = self.base + path
        try:
            response = self.system.http.post(url, content=content, headers=headers, params=query)
        except Exception as exc:
            self.tally.fail(template, f"no answer: {exc!r}", mutation.describe())
            dead = self.system.healthy(self.service)
            if dead:
                raise AssertionError(f"{self.service} died: {dead}") from exc
            return 0
        status = response.status_code
        mode = "baseline" if mutation.category == "baseline" else "hostile"
        self.tally.record(mode, status)
        self.outcomes[f"{mutation.category}: {status}"] += 1
        reproduce = f"POST {path} {query or ''} {mutation.describe()}"
        if status == 202 and template == "/v1/imports/members":
            self._await_import(response.json()["job_id"], template, reproduce)
        after = self.system.state(self.service)
        problems = answer_problems(response)
        if untranslated(response):
            code = response.json().get("code")
            self.tally.untranslated[f"{status} {code}"] += 1
        if status >= 400 or mutation.principal is not None:
            changed = before.differences(after)
            if changed:
                problems.append(f"refused or unauthorised ({status}) yet state changed: {changed}")
        if mutation.principal is not None and status != 403:
            note = f"{mutation.principal} answered {status}, not 403, on {template}"
            if status == 202 and template == "/v1/imports/members":
                # A job: the places are in the file, so its rows are refused, not the upload.
                # That it wrote nothing is checked above.
                self.tally.notes[note + " (the job wrote nothing)"] += 1
            elif status < 400:
                problems.append(f"{mutation.principal} was answered {status}, not 403")
            else:
                self.tally.notes[note] += 1
        if problems:
            errors = self.system.services[self.service].new_errors() if status >= 500 else []
            for problem in problems:
                self.tally.fail(template, problem, reproduce, errors[-1] if errors else "")
        elif status < 300 and mutation.category != "baseline":
            self._look_at_what_was_stored(before, mutation)
            if mutation.category == "other organisation's id":
                where = "/".join(str(p) for p in mutation.at or ())
                self.tally.notes[f"accepted {mutation.value} at {template} {where}"] += 1
        return status

    def _await_import(self, job: str, template: str, reproduce: str) -> None:
        deadline = time.monotonic() + 120
        status: dict[str, Any] = {}
        while time.monotonic() < deadline:
            answer = self.system.http.get(f"{self.base}/v1/imports/{job}", headers=ADMIN)
            status = answer.json()
            if status.get("status") != "running":
                break
            time.sleep(0.05)
        else:
            self.tally.fail(template, f"import job still running after 120s ({job})", reproduce)
        failure = str(status.get("failure") or "")
        if failure.startswith("import failed:"):
            errors = self.system.services[self.service].new_errors()
            self.tally.fail(
                template,
                f"import job failed unexpectedly: {failure[:300]}",
                reproduce,
                errors[-1] if errors else "",
            )

    def _look_at_what_was_stored(self, before: State, mutation: Mutation) -> None:
        """Accepted hostile text is not a failure of the contract, but worth reporting:
        control characters, and text that is not NFC, as stored in the events."""
        rows = self.system.run(
            self.system.services[self.service].conn.fetch(  # type: ignore[union-attr]
                "SELECT event_type, data::text AS data FROM events WHERE position > $1",
                before.last_position,
            )
        )
        for row in rows:
            for where, text in _strings(json.loads(row["data"])):
                kind = row["event_type"].split(".")[2]
                if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
                    self.tally.notes[f"stored a control character: {kind}.{where}"] += 1
                if unicodedata.normalize("NFC", text) != text:
                    self.tally.notes[f"stored text that is not NFC: {kind}.{where}"] += 1

    def report(self) -> str:
        lines = [self.tally.summary("hostile commands")]
        refused = {t: s for t, s in self.baselines.items() if s >= 300}
        lines.append(
            f"    baselines accepted: {len(self.baselines) - len(refused)}/{len(self.baselines)}"
            + (f"; refused: {refused}" if refused else "")
        )
        by_category: dict[str, Counter[str]] = {}
        for key, count in self.outcomes.items():
            category, status = key.rsplit(": ", 1)
            by_category.setdefault(category, Counter())[status] += count
        for category, statuses in sorted(by_category.items()):
            shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
            lines.append(f"    {category}: {shown}")
        for note, count in sorted(self.tally.notes.items()):
            lines.append(f"    NOTE {note} (x{count})")
        return "\n".join(lines)


def _strings(value: Any, at: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, f"{at}.{key}" if at else str(key))
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, f"{at}[]")

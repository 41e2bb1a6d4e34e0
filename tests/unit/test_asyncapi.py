"""The committed AsyncAPI document (docs/events/asyncapi.json) is what the code generates, the
official parser finds no error in it, it lists every published event type and no private
one, and a message as the kernel's envelope code builds it validates against it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, ConfigDict

from assignment.domain.events import REGISTRY as ASSIGNMENT_EVENTS
from attendance.domain.events import REGISTRY as ATTENDANCE_EVENTS
from chibo_contracts.assignment import MemberAssigned, OrgUnitCreated
from chibo_contracts.attendance import AttendanceMark, AttendanceRecorded
from chibo_contracts.rating import LevelDecided
from chibo_kernel import DomainEvent, Envelope, EventRegistry
from chibo_kernel.relay.relay import EXPECTED_LAST_MSG_ID
from chibo_kernel.relay.rows import to_message
from chibo_tools.asyncapi import (
    COMMAND,
    DOCUMENT_PATH,
    HEADERS_SCHEMA,
    asyncapi_document,
    expected_text,
    main,
    registries,
)
from chibo_tools.docs import PublishedSchemaChanged, events_dir
from rating.domain.events import REGISTRY as RATING_EVENTS

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / DOCUMENT_PATH
TOOL = ROOT / "tools" / "asyncapi"
SERVICES = {
    "assignment": ASSIGNMENT_EVENTS,
    "attendance": ATTENDANCE_EVENTS,
    "rating": RATING_EVENTS,
}
MODELS: list[type[DomainEvent]] = sorted(
    (m for registry in SERVICES.values() for m in registry), key=lambda m: m.event_type
)
PUBLISHED = [m for m in MODELS if m.published]
PRIVATE = [m for m in MODELS if not m.published]

Validator = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    return loaded


def asyncapi_validator() -> Validator:
    """`node tools/asyncapi/validate.mjs ...`, after `npm ci` there if the parser is missing
    or is not the pinned version (a clean clone has no node_modules)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("node and npm are needed to validate docs/events/asyncapi.json")
    pinned = json.loads((TOOL / "package.json").read_text())["dependencies"]["@asyncapi/parser"]
    installed = TOOL / "node_modules" / "@asyncapi" / "parser" / "package.json"
    if not installed.is_file() or json.loads(installed.read_text())["version"] != pinned:
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"],
            cwd=TOOL,
            check=True,
            timeout=600,
        )

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [node, str(TOOL / "validate.mjs"), *args],
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@pytest.fixture(scope="module")
def validate() -> Validator:
    return asyncapi_validator()


# --- the committed document ------------------------------------------------------------------


def test_committed_document_is_what_the_code_generates() -> None:
    committed = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.is_file() else None
    assert committed == expected_text(), (
        f"{DOCUMENT_PATH} differs from the code; regenerate it with: {COMMAND}"
    )


def test_official_parser_finds_no_error(validate: Validator) -> None:
    result = validate(str(DOCUMENT_PATH))
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert re.search(r": 0 error\(s\), 0 warning\(s\)", report), report


def test_the_generator_reads_the_registries_the_services_emit_with() -> None:
    assert registries() == SERVICES
    for service, registry in SERVICES.items():
        assert all(m.service() == service for m in registry)


def test_every_published_event_has_a_channel_and_no_private_one_is_mentioned(
    document: dict[str, Any],
) -> None:
    published = {m.event_type for m in PUBLISHED}
    assert set(document["channels"]) == published
    assert set(document["operations"]) == published
    assert set(document["components"]["messages"]) == published
    for model in PUBLISHED:
        channel = document["channels"][model.event_type]
        address = f"chibo.{model.service()}.{{aggregate}}.{model.short_name()}.{model.version()}"
        assert channel["address"] == address + ".{organisation}"
        operation = document["operations"][model.event_type]
        assert operation["action"] == "send"  # chibo sends them; AsyncAPI 3 describes the sender
        assert operation["channel"] == {"$ref": f"#/channels/{model.event_type}"}
    assert PRIVATE, "the assignment service keeps identity data private"
    text = DOCUMENT.read_text(encoding="utf-8")
    for model in PRIVATE:
        assert model.event_type not in text
        assert model.short_name() not in text
    assert "x-chibo-published" not in text


@pytest.mark.parametrize("model", PUBLISHED, ids=lambda m: m.event_type)
def test_payload_is_the_committed_event_schema_with_its_defs_in_components(
    document: dict[str, Any], model: type[DomainEvent]
) -> None:
    schemas = document["components"]["schemas"]
    message = document["components"]["messages"][model.event_type]
    assert message["contentType"] == "application/json"
    assert message["payload"] == {"$ref": f"#/components/schemas/{model.event_type}"}
    committed = json.loads(
        (ROOT / events_dir(model.service()) / f"{model.event_type}.json").read_text("utf-8")
    )
    defs = committed.pop("$defs", {})
    for key in ("$schema", "$id", "x-chibo-published"):
        committed.pop(key)
    assert inline(committed, defs, "#/$defs/") == inline(
        schemas[model.event_type], schemas, "#/components/schemas/"
    )


def inline(schema: Any, where: dict[str, Any], prefix: str) -> Any:
    """`schema` with every `$ref` (to `prefix` + a key of `where`) replaced by its target."""
    if isinstance(schema, list):
        return [inline(item, where, prefix) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        assert ref.startswith(prefix), ref
        return inline(where[ref[len(prefix) :]], where, prefix)
    return {key: inline(value, where, prefix) for key, value in schema.items()}


def test_every_object_schema_is_closed_but_the_headers(document: dict[str, Any]) -> None:
    for name, schema in document["components"]["schemas"].items():
        if name == HEADERS_SCHEMA:
            # Other headers may come: the relay's, stored by JetStream, is documented.
            assert "additionalProperties" not in schema
            assert EXPECTED_LAST_MSG_ID in schema["properties"]
            assert EXPECTED_LAST_MSG_ID not in schema["required"]
        elif schema.get("type") == "object":
            assert schema["additionalProperties"] is False, name


# --- messages as the kernel builds them -------------------------------------------------------

TIME = "2026-11-21T12:30:00.123456+00:00"  # as the relay reads recorded_at from Postgres
EVENTS: list[tuple[DomainEvent, str, list[str]]] = [
    (
        OrgUnitCreated(
            unit_id="VL-TT",
            kind="branch",
            name="Chi bộ thị tứ Võ Lao",
            parent_id="VL",
            path=["LC", "VB", "VL", "VL-TT"],
            valid_from=date(2020, 1, 1),
        ),
        "org-VL-TT",
        ["LC", "VB", "VL", "VL-TT"],
    ),
    (
        MemberAssigned(
            plan_id="VL-TT-2026",
            branch_id="VL-TT",
            member_id="42",
            household_ids=["h-1", "h-2"],
            out_of_range=False,
        ),
        "plan-VL-TT-2026",
        ["LC", "VB", "VL", "VL-TT"],
    ),
    (
        AttendanceRecorded(
            meeting_id="m-1",
            branch_id="VL-TT",
            kind="regular",
            held_on=date(2026, 11, 21),
            marks=[
                AttendanceMark(member_id="42", status="present"),
                AttendanceMark(member_id="43", status="absent_excused", reason="ốm"),
            ],
        ),
        "meetings-VL-TT-2026",
        ["LC", "VB", "VL", "VL-TT"],
    ),
    (
        LevelDecided(
            subject="member",
            subject_id="42",
            cohort_id="VL-TT",
            year=2026,
            level="good",
            proposed_level=None,
            reasons=[],
            rule_set="hd-2026",
            decided_by="Chi bộ",
            decided_on=date(2026, 12, 20),
        ),
        "ratings-VL-TT-2026",
        [],
    ),
]


def relayed(event: DomainEvent, stream_id: str, org_path: list[str]) -> dict[str, Any]:
    """The message the relay publishes for the stored event (`chibo_kernel.relay.rows`)."""
    row = {
        "tx": "7",
        "position": 1,
        "event_id": str(uuid.uuid4()),
        "stream_id": stream_id,
        "version": "3",
        "event_type": event.event_type,
        "data": event.model_dump_json(),  # what the store keeps
        "time": TIME,
        "correlation_id": "req-1",
        "causation_id": str(uuid.uuid4()),
        "actor": "lan@kc",  # a signed-in branch secretary
        "actor_role": "branch_secretary",
        "org_path": org_path,
    }
    message = to_message(row, f"/chibo/{event.service()}")
    return {
        "message": event.event_type,
        "subject": message.subject,
        "headers": message.headers,
        "payload": json.loads(message.body),
    }


def enveloped(event: DomainEvent, stream_id: str) -> dict[str, Any]:
    """The same event through `Envelope.to_headers`, without a causation."""
    envelope = Envelope(
        id=uuid.uuid4(),
        source=f"/chibo/{event.service()}",
        type=event.event_type,
        time=datetime.fromisoformat(TIME),
        subject=stream_id,
        stream_version=1,
        correlation_id="req-2",
        causation_id=None,
        data=event.model_dump_json().encode(),
    )
    return {
        "message": event.event_type,
        "headers": envelope.to_headers(),
        "payload": json.loads(envelope.data),
    }


def _messages() -> list[dict[str, Any]]:
    found = []
    for event, stream_id, org_path in EVENTS:
        found += [relayed(event, stream_id, org_path), enveloped(event, stream_id)]
    return found


def header_problems(
    document: dict[str, Any], event_type: str, headers: dict[str, str]
) -> list[str]:
    """The document's header schema, checked by hand (no JSON Schema library in the venv)."""
    schemas = document["components"]["schemas"]
    declared = document["components"]["messages"][event_type]["headers"]
    assert declared["allOf"] == [{"$ref": f"#/components/schemas/{HEADERS_SCHEMA}"}]
    base = schemas[HEADERS_SCHEMA]
    problems = [f"{name} missing" for name in base["required"] if name not in headers]
    for name, value in headers.items():
        for spec in (base["properties"].get(name), declared["properties"].get(name)):
            if spec is not None:
                problems += [f"{name}: {p}" for p in _value_problems(spec, value)]
    return problems


def _value_problems(spec: dict[str, Any], value: str) -> list[str]:
    problems = []
    if "const" in spec and value != spec["const"]:
        problems.append(f"{value!r} is not {spec['const']!r}")
    if spec.get("type", "string") != "string" or not isinstance(value, str):
        problems.append(f"{value!r} is not a string")
        return problems
    if "pattern" in spec and not re.search(spec["pattern"], value):
        problems.append(f"{value!r} does not match {spec['pattern']}")
    if len(value) < spec.get("minLength", 0):
        problems.append("too short")
    if spec.get("format") == "uuid":
        try:
            uuid.UUID(value)
        except ValueError:
            problems.append(f"{value!r} is not a UUID")
    if spec.get("format") == "date-time":
        try:
            if datetime.fromisoformat(value).tzinfo is None:
                problems.append(f"{value!r} has no offset")
        except ValueError:
            problems.append(f"{value!r} is not a date-time")
    return problems


def address_pattern(address: str) -> re.Pattern[str]:
    """The NATS subjects a channel's address stands for."""
    pattern = re.escape(address)
    pattern = pattern.replace(re.escape("{aggregate}"), r"(?P<aggregate>[a-z][a-z0-9_]*)")
    pattern = pattern.replace(
        re.escape("{organisation}"), r"(?P<organisation>(?:[A-Za-z0-9_\-]+\.)*_)"
    )
    return re.compile(f"^{pattern}$")


def test_messages_the_kernel_builds_match_the_document_by_hand(document: dict[str, Any]) -> None:
    for message in _messages():
        event_type = message["message"]
        assert header_problems(document, event_type, message["headers"]) == []
        model = SERVICES[event_type.split(".")[1]].model_for(event_type)
        model.model_validate(message["payload"])  # the contract decodes it
        payload = document["components"]["schemas"][event_type]
        assert set(message["payload"]) <= set(payload["properties"])
        assert set(payload["required"]) <= set(message["payload"])
    for message in _messages():
        if "subject" in message:
            address = document["channels"][message["message"]]["address"]
            match = address_pattern(address).match(message["subject"])
            assert match, (message["subject"], address)
            stream_id = message["headers"]["ce-subject"]
            assert match["aggregate"] == stream_id.split("-", 1)[0]


def test_messages_the_kernel_builds_validate_against_the_document(validate: Validator) -> None:
    messages = _messages()
    result = validate(str(DOCUMENT_PATH), "--messages", "-", stdin=json.dumps(messages))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(messages)} of {len(messages)} message(s) valid" in result.stdout


def _tampered() -> list[tuple[str, dict[str, Any]]]:
    good = relayed(*EVENTS[2])  # attendance_recorded: its marks are a shared $def
    cases: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
        ("undeclared property", lambda m: m["payload"].update(colour="đỏ")),
        ("undeclared property in a $def", lambda m: m["payload"]["marks"][0].update(x=1)),
        ("missing property", lambda m: m["payload"].pop("held_on")),
        ("wrong enum value", lambda m: m["payload"].update(kind="weekly")),
        ("another ce-type", lambda m: m["headers"].update({"ce-type": MemberAssigned.event_type})),
        ("wrong specversion", lambda m: m["headers"].update({"ce-specversion": "0.3"})),
        ("no ce-id", lambda m: m["headers"].pop("ce-id")),
        ("time without offset", lambda m: m["headers"].update({"ce-time": "2026-11-21T12:30:00"})),
        ("stream version zero", lambda m: m["headers"].update({"ce-streamversion": "0"})),
    ]
    tampered = []
    for name, change in cases:
        message = json.loads(json.dumps(good))
        change(message)
        tampered.append((name, message))
    return tampered


def test_the_document_rejects_tampered_messages(
    document: dict[str, Any], validate: Validator
) -> None:
    tampered = _tampered()
    result = validate(
        str(DOCUMENT_PATH), "--messages", "-", stdin=json.dumps([m for _, m in tampered])
    )
    assert result.returncode == 1, result.stdout + result.stderr
    for index, (name, message) in enumerate(tampered):
        assert f"invalid message #{index} " in result.stdout, name
        if name.startswith(("another", "wrong spec", "no ce-id", "time", "stream")):
            assert header_problems(document, message["message"], message["headers"]), name


# --- the generator itself, on made-up services ------------------------------------------------


class Detail(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    colour: str


class Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    part_id: str
    detail: Detail


class Label(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str


class V2:
    """Other shapes under the same names: Part reads alike but its Detail differs."""

    class Detail(BaseModel):
        model_config = ConfigDict(frozen=True, extra="forbid")
        size: int

    class Part(BaseModel):
        model_config = ConfigDict(frozen=True, extra="forbid")
        part_id: str
        detail: V2.Detail


class ThingMade(DomainEvent):
    event_type: ClassVar[str] = "chibo.sample.thing_made.v1"
    parts: list[Part]
    label: Label


class ThingFixed(DomainEvent):
    event_type: ClassVar[str] = "chibo.sample.thing_fixed.v1"
    parts: list[Part]
    label: Label


class ThingMadeV2(DomainEvent):
    event_type: ClassVar[str] = "chibo.sample.thing_made.v2"
    parts: list[V2.Part]
    label: Label


class ThingNoted(DomainEvent):
    event_type: ClassVar[str] = "chibo.sample.thing_noted.v1"
    published: ClassVar[bool] = False
    note: str


def test_generator_shares_equal_defs_qualifies_clashing_ones_and_skips_private_events() -> None:
    generated = asyncapi_document(
        {"sample": EventRegistry([ThingMade, ThingFixed, ThingMadeV2, ThingNoted])}
    )
    schemas = generated["components"]["schemas"]
    assert sorted(generated["channels"]) == [
        "chibo.sample.thing_fixed.v1",
        "chibo.sample.thing_made.v1",
        "chibo.sample.thing_made.v2",
    ]
    assert "thing_noted" not in json.dumps(generated)
    events = ["chibo.sample.thing_made.v1", "chibo.sample.thing_fixed.v1"]
    assert {t: schemas[t]["properties"]["label"] for t in events} == {
        t: {"$ref": "#/components/schemas/Label"} for t in events
    }
    assert not {"Part", "Detail"} & set(schemas)  # each name has two meanings
    for event_type, detail in [
        ("chibo.sample.thing_made.v1", {"colour": {"title": "Colour", "type": "string"}}),
        ("chibo.sample.thing_fixed.v1", {"colour": {"title": "Colour", "type": "string"}}),
        ("chibo.sample.thing_made.v2", {"size": {"title": "Size", "type": "integer"}}),
    ]:
        part = f"#/components/schemas/{event_type}.Part"
        assert schemas[event_type]["properties"]["parts"]["items"] == {"$ref": part}
        assert schemas[f"{event_type}.Part"]["properties"]["detail"] == {
            "$ref": f"#/components/schemas/{event_type}.Detail"
        }
        assert schemas[f"{event_type}.Detail"]["properties"] == detail


def test_generator_refuses_another_services_events() -> None:
    with pytest.raises(ValueError, match="does not belong"):
        asyncapi_document({"other": EventRegistry([ThingMade])})


def test_regenerating_writes_the_document_but_never_over_a_changed_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    assert main([str(tmp_path)]) == 0
    assert (tmp_path / DOCUMENT_PATH).read_text(encoding="utf-8") == expected_text()
    assert str(tmp_path / DOCUMENT_PATH) in capsys.readouterr().out
    committed = tmp_path / "docs/events/assignment/chibo.assignment.member_assigned.v1.json"
    committed.parent.mkdir(parents=True, exist_ok=True)
    committed.write_text('{"title": "an older shape"}\n', encoding="utf-8")
    (tmp_path / DOCUMENT_PATH).unlink()
    with pytest.raises(PublishedSchemaChanged, match=r"member_assigned\.v1"):
        main([str(tmp_path)])
    assert not (tmp_path / DOCUMENT_PATH).exists()

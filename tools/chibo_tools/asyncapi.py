"""One AsyncAPI 3.0 document for the whole system, generated from the event contracts.

    .venv/bin/python -m chibo_tools.asyncapi [REPO_ROOT]

writes `docs/events/asyncapi.json`: a channel, a `receive` operation and a message for every
*published* event type of every service (private events never leave their service and are
not in it). A message's payload is the event's JSON Schema as in `docs/events/<service>/`,
with its `$defs` moved to `components/schemas` so that the document is self-contained; its
headers are the CloudEvents binary-mode headers the relay sends (`chibo_kernel.envelope`).

The registries come from `chibo_kernel.contracts.*`, which the services emit and decode
with; the kernel never imports a service package. `tests/unit/test_asyncapi.py` fails while
the committed document differs from the code, and `tools/asyncapi/validate.mjs` checks it
with the official AsyncAPI parser.
"""

from __future__ import annotations

import argparse
import copy
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from chibo_kernel.auth.principal import Role
from chibo_kernel.contracts import assignment, attendance, rating
from chibo_kernel.envelope import (
    CONTENT_TYPE,
    MSG_ID_HEADER,
    SCHEMA_PREFIX,
    SPEC_VERSION,
    dataschema_for,
)
from chibo_kernel.events import EVENT_TYPE_PATTERN, DomainEvent
from chibo_kernel.streams import StreamSpec
from chibo_kernel.subjects import END, STREAM_ID, TOKEN

from .docs import (
    PUBLISHED_KEY,
    PublishedSchemaChanged,
    changed_contracts,
    event_schema,
    find_repo_root,
    render,
)

ASYNCAPI_VERSION = "3.0.0"
# The document's own version. Event types are versioned one by one and never change in
# place; bump this only when the document's structure (servers, headers, naming) changes.
DOCUMENT_VERSION = "1.0.0"
DOCUMENT_PATH = Path("docs", "events", "asyncapi.json")
COMMAND = ".venv/bin/python -m chibo_tools.asyncapi"
HEADERS_SCHEMA = "CloudEventsHeaders"
# The relay's optimistic-concurrency header (`chibo_kernel.relay.relay`, not imported here to
# keep this module light); JetStream stores it with the message, so subscribers see it.
EXPECTED_LAST_MSG_ID = "Nats-Expected-Last-Msg-Id"
# Keys of an event's schema file that do not belong in a payload: the dialect and `$id` would
# re-base `$ref`s inside the AsyncAPI document (the `$id` is the `ce-dataschema` header, a
# const in each message's headers); `$defs` move to components; every event here is published.
_FILE_ONLY_KEYS = ("$schema", "$id", "$defs", PUBLISHED_KEY)
_DEFS_PREFIX = "#/$defs/"
_SCHEMAS_PREFIX = "#/components/schemas/"


def registries() -> dict[str, Iterable[type[DomainEvent]]]:
    """Every service's event registry, by service name."""
    return {
        "assignment": assignment.REGISTRY,
        "attendance": attendance.REGISTRY,
        "rating": rating.REGISTRY,
    }


def published_models(
    services: Mapping[str, Iterable[type[DomainEvent]]],
) -> list[type[DomainEvent]]:
    """The published event types of every service, sorted by type."""
    models = []
    for service, registry in services.items():
        for model in registry:
            if model.service() != service:
                raise ValueError(f"{model.event_type} does not belong to service {service!r}")
            if model.published:
                models.append(model)
    return sorted(models, key=lambda m: m.event_type)


def channel_address(model: type[DomainEvent]) -> str:
    """The channel's NATS subject with its two parameters (see `chibo_kernel.subjects`)."""
    event = f"{model.short_name()}.{model.version()}"
    return f"chibo.{model.service()}.{{aggregate}}.{event}.{{organisation}}"


def asyncapi_document(
    services: Mapping[str, Iterable[type[DomainEvent]]] | None = None,
) -> dict[str, Any]:
    """The AsyncAPI document of the given registries (default: every service's)."""
    services = registries() if services is None else services
    models = published_models(services)
    schemas = {HEADERS_SCHEMA: _headers_schema()}
    payloads = _payload_schemas(models, schemas)
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for model in models:
        key = model.event_type
        payload = payloads[key]
        messages[key] = _message(model, payload)
        channels[key] = _channel(model, payload)
        operations[key] = _operation(model, payload)
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:chibo:events",
        "info": {
            "title": "chibo events",
            "version": DOCUMENT_VERSION,
            "description": _INFO_DESCRIPTION,
            "tags": [
                {"name": service, "description": f"Events of the {service} service."}
                for service in sorted(services)
            ],
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": _servers(),
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "parameters": _parameters(),
            "schemas": schemas,
        },
    }


# --- payloads --------------------------------------------------------------------------------


def _payload_schemas(
    models: Sequence[type[DomainEvent]], schemas: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Each event's payload schema, keyed by event type and added to `schemas` under that key.

    The `$defs` of all events share `components/schemas`: a name every event defines alike
    (down to the definitions it refers to) keeps its name; a name events define differently
    is qualified by the event type (`<event_type>.<Name>`) wherever it occurs, so a key never
    depends on the order of events.
    """
    originals = {m.event_type: event_schema(m) for m in models}
    qualified = _names_to_qualify([schema.get("$defs", {}) for schema in originals.values()])
    payloads = {}
    for event_type, schema in originals.items():
        defs = schema.get("$defs", {})
        names = {name: f"{event_type}.{name}" if name in qualified else name for name in defs}
        clash = set(names.values()) & (set(originals) | {HEADERS_SCHEMA})
        if clash:
            raise ValueError(f"{event_type}: definitions named like other schemas: {clash}")
        for name, definition in defs.items():
            schemas[names[name]] = _rebase(definition, names, event_type)
        payload = {k: v for k, v in schema.items() if k not in _FILE_ONLY_KEYS}
        schemas[event_type] = _rebase(payload, names, event_type)
        payloads[event_type] = schemas[event_type]
    return payloads


def _names_to_qualify(all_defs: Sequence[Mapping[str, Any]]) -> set[str]:
    """Definition names with more than one meaning: defined differently by two events, or
    referring to such a name."""
    texts: dict[str, set[str]] = {}
    for defs in all_defs:
        for name, definition in defs.items():
            texts.setdefault(name, set()).add(render(definition))
    qualified = {name for name, variants in texts.items() if len(variants) > 1}
    grew = True
    while grew:
        grew = False
        for defs in all_defs:
            for name, definition in defs.items():
                if name not in qualified and _referenced(definition) & qualified:
                    qualified.add(name)
                    grew = True
    return qualified


def _referenced(schema: Any) -> set[str]:
    """The `$defs` names a schema refers to."""
    if isinstance(schema, list):
        return set().union(*(_referenced(item) for item in schema))
    if not isinstance(schema, dict):
        return set()
    found = set().union(*(_referenced(value) for value in schema.values()))
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_DEFS_PREFIX):
        found.add(ref[len(_DEFS_PREFIX) :])
    return found


def _rebase(schema: Any, names: Mapping[str, str], event_type: str) -> Any:
    """A copy of `schema` whose `#/$defs/X` references point at components/schemas."""
    if isinstance(schema, list):
        return [_rebase(item, names, event_type) for item in schema]
    if not isinstance(schema, dict):
        return copy.deepcopy(schema)
    rebased = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str):
            if not value.startswith(_DEFS_PREFIX) or value[len(_DEFS_PREFIX) :] not in names:
                raise ValueError(f"{event_type}: cannot place the reference {value!r}")
            rebased[key] = _SCHEMAS_PREFIX + names[value[len(_DEFS_PREFIX) :]]
        else:
            rebased[key] = _rebase(value, names, event_type)
    return rebased


# --- messages, channels, operations ---------------------------------------------------------


def _summary(payload: Mapping[str, Any]) -> str | None:
    description = payload.get("description")
    if not isinstance(description, str) or not description.strip():
        return None
    return " ".join(description.strip().split("\n\n")[0].split())


def _message(model: type[DomainEvent], payload: Mapping[str, Any]) -> dict[str, Any]:
    service = model.service()
    message: dict[str, Any] = {
        "name": f"{model.short_name()}.{model.version()}",
        "title": model.event_type,
        "contentType": CONTENT_TYPE,
        "headers": {
            "type": "object",
            "allOf": [{"$ref": _SCHEMAS_PREFIX + HEADERS_SCHEMA}],
            "properties": {
                "ce-type": {"const": model.event_type},
                "ce-source": {"const": f"/chibo/{service}"},
                "ce-dataschema": {"const": dataschema_for(model.event_type)},
            },
        },
        "payload": {"$ref": _SCHEMAS_PREFIX + model.event_type},
        "correlationId": {
            "description": "The request (or first event) that started the chain.",
            "location": "$message.header#/ce-correlationid",
        },
        "tags": [{"name": service}],
    }
    summary = _summary(payload)
    if summary:
        message["summary"] = summary
    if isinstance(payload.get("description"), str):
        message["description"] = payload["description"]
    return message


def _channel(model: type[DomainEvent], payload: Mapping[str, Any]) -> dict[str, Any]:
    service, event, version = model.service(), model.short_name(), model.version()
    stream = StreamSpec(service)
    description = (
        f"Every `{model.event_type}` event, on JetStream stream `{stream.name}` "
        f"(subjects `chibo.{service}.>`, kept for ever: replay from the start). Filters: "
        f"this type anywhere `chibo.{service}.*.{event}.{version}.>`; any version "
        f"`chibo.{service}.*.{event}.>`; under one unit and all units below it "
        f"`chibo.{service}.*.{event}.{version}.LC.VB.>`."
    )
    channel: dict[str, Any] = {
        "address": channel_address(model),
        "title": model.event_type,
        "description": description,
        "messages": {model.event_type: {"$ref": f"#/components/messages/{model.event_type}"}},
        "parameters": {
            name: {"$ref": f"#/components/parameters/{name}"}
            for name in ("aggregate", "organisation")
        },
    }
    summary = _summary(payload)
    if summary:
        channel["summary"] = summary
    return channel


def _operation(model: type[DomainEvent], payload: Mapping[str, Any]) -> dict[str, Any]:
    channel = f"#/channels/{model.event_type}"
    return {
        "action": "receive",
        "channel": {"$ref": channel},
        "messages": [{"$ref": f"{channel}/messages/{model.event_type}"}],
        "title": f"Receive {model.event_type}",
        "summary": _summary(payload) or f"Receive {model.event_type}.",
        "tags": [{"name": model.service()}],
    }


# --- shared parts -----------------------------------------------------------------------------


def _headers_schema() -> dict[str, Any]:
    """The CloudEvents binary-mode headers (`chibo_kernel.envelope.binary_headers`)."""
    text = {"type": "string"}
    properties: dict[str, Any] = {
        "ce-id": {**text, "format": "uuid", "description": "The event id, unique for ever."},
        "ce-source": {
            **text,
            "pattern": "^/chibo/[a-z][a-z0-9_]*$",
            "description": "`/chibo/<service>`: the service that recorded the event.",
        },
        "ce-type": {
            **text,
            "pattern": EVENT_TYPE_PATTERN.pattern,
            "description": "The event type `chibo.<service>.<event>.v<N>`.",
        },
        "ce-specversion": {"const": SPEC_VERSION, "description": "CloudEvents version."},
        "ce-time": {
            **text,
            "format": "date-time",
            "description": "When the event was recorded (RFC 3339, with offset).",
        },
        "ce-subject": {
            **text,
            "pattern": STREAM_ID.pattern,
            "description": (
                "The aggregate's stream id `<category>-<id>`, e.g. `plan-VL-TT-2026`: order "
                "the events of one aggregate by `ce-streamversion`."
            ),
        },
        "ce-datacontenttype": {"const": CONTENT_TYPE},
        "ce-dataschema": {
            **text,
            "pattern": "^" + SCHEMA_PREFIX.replace(".", "\\.") + "chibo\\.",
            "description": (
                "`urn:chibo:schema:<ce-type>`: the `$id` of the event's schema in "
                "`docs/events/<service>/<ce-type>.json`."
            ),
        },
        "ce-streamversion": {
            **text,
            "pattern": "^[1-9][0-9]*$",
            "description": (
                "The aggregate's version after this event (a decimal number): per "
                "`ce-subject`, apply version N after N-1; a version already applied is a "
                "redelivery."
            ),
        },
        "ce-correlationid": {
            **text,
            "minLength": 1,
            "description": "The request (or first event) that started the chain.",
        },
        "ce-causationid": {
            **text,
            "minLength": 1,
            "description": "The event that caused this one; absent when there is none.",
        },
        "ce-actor": {
            **text,
            "minLength": 1,
            "description": (
                "Who acted: the signed-in person's `sub` from the province's identity "
                "provider. Absent when a service's own policy caused the event."
            ),
        },
        "ce-actorrole": {
            **text,
            "enum": [str(role) for role in Role],
            "description": "The role the actor acted in (docs/authorization.md).",
        },
        MSG_ID_HEADER: {
            **text,
            "format": "uuid",
            "description": "Equals `ce-id`: JetStream drops a duplicate publish by it.",
        },
    }
    optional = {"ce-causationid", "ce-actor", "ce-actorrole", EXPECTED_LAST_MSG_ID}
    properties[EXPECTED_LAST_MSG_ID] = {
        **text,
        "format": "uuid",
        "description": (
            "Set by the publisher (the id of the event it published before this one on the "
            "stream) so that JetStream refuses a publish out of turn; JetStream keeps it "
            "with the message. Not part of the event: ignore it."
        ),
    }
    required = [name for name in properties if name not in optional]
    return {
        "type": "object",
        "title": "CloudEvents 1.0 headers (NATS binary mode)",
        "description": (
            "Every CloudEvents attribute of the event except its data travels as a header; "
            "the body is the data alone. Ignore any other header: more may come."
        ),
        "properties": properties,
        "required": sorted(required),
    }


def _parameters() -> dict[str, Any]:
    return {
        "aggregate": {
            "description": (
                "The aggregate category: the `<category>` of the aggregate's stream id "
                "`<category>-<id>` (the `ce-subject` header). All events of one category "
                "(`chibo.<service>.<category>.>`) arrive in the order they were stored."
            ),
            "examples": ["org", "member", "plan", "meetings"],
        },
        "organisation": {
            "description": (
                "The organisation path of the unit the event is about, from the province "
                f"down, one subject token per unit (`{TOKEN.pattern}`), then `{END}`, which "
                f"ends every subject (just `{END}` for an event about no unit). Filter a unit "
                "and every unit below it with `.>` after its path, e.g. "
                "`chibo.<service>.*.*.*.LC.VB.VL.>` for the commune LC › VB › VL."
            ),
            "examples": [f"LC.VB.VL.VL-TT.{END}", f"LC.VB.{END}"],
        },
    }


def _servers() -> dict[str, Any]:
    return {
        "production": {
            "host": "nats.chibo.example:4222",
            "protocol": "nats",
            "title": "Deployment NATS (placeholder)",
            "description": (
                "NATS with JetStream. Replace the host with your deployment's. Each service "
                "publishes on its own stream `CHIBO_<SERVICE>` (subjects `chibo.<service>.>`); "
                "subscribers create their own consumers on it and never declare the stream."
            ),
        },
        "embedded": {
            "host": "127.0.0.1:{port}",
            "protocol": "nats",
            "title": "Embedded NATS of `./chibo up`",
            "description": (
                "`./chibo up` runs its own nats-server on the loopback on a free port (never "
                "the default 4222, so it cannot shadow a NATS already on the machine) and "
                "prints its URL as `CHIBO_NATS_URL`."
            ),
            "variables": {
                "port": {
                    "description": "The port in the `CHIBO_NATS_URL` that `./chibo up` prints.",
                    "examples": ["43811"],
                }
            },
        },
    }


_INFO_DESCRIPTION = """\
Every fact the chibo services publish, one channel per event type. Generated from the code
(`python -m chibo_tools.asyncapi`); do not edit by hand.

**Envelope.** CloudEvents 1.0 in NATS binary mode: the body is the event data as JSON
(the message's payload schema); every other attribute is a `ce-*` header. `Nats-Msg-Id`
equals `ce-id`.

**Subjects.** `chibo.<service>.<aggregate>.<event>.<vN>.<org>.<org>…._`, e.g.
`chibo.assignment.plan.member_assigned.v1.LC.VB.VL.VL-TT._`. The organisation tokens are the
path from the province down to the unit the event is about, and `_` ends every subject, so
`chibo.<service>.*.*.*.LC.VB.VL.>` takes the commune LC › VB › VL and everything below it.
Other filters: `chibo.<service>.>` (a whole service), `chibo.<service>.<aggregate>.>` (one
aggregate category, in order), `chibo.<service>.*.<event>.>` (one event, any version).

**Streams.** Each service stores its events on its own JetStream stream `CHIBO_<SERVICE>`,
kept for ever: a new subscriber replays from the start with a consumer of its own.

**Delivery.** At least once: be idempotent on `ce-id`. Order holds only within one
aggregate (`ce-subject`), by `ce-streamversion`; a filter on an organisation or an event
may see only some of an aggregate's versions, since its events can be filed under other
units or be of other types.

**Versioning.** An event type `chibo.<service>.<event>.v<N>` is a closed contract
(`additionalProperties: false`): it never changes in place; changed facts come as a new
type `v<N+1>` beside the old one.

**Privacy.** Events that hold personal data no subscriber needs stay in the owning service's
store: they are never published and are not in this document.
"""


# --- the committed file ----------------------------------------------------------------------


def expected_text() -> str:
    return render(asyncapi_document())


def is_stale(out_root: Path) -> bool:
    path = out_root / DOCUMENT_PATH
    return not path.is_file() or path.read_text(encoding="utf-8") != expected_text()


def write_document(out_root: Path) -> Path:
    """Write the document, unless a committed event schema would change in place."""
    changed = [
        path
        for service, registry in registries().items()
        for path in changed_contracts(out_root, service, registry)
    ]
    if changed:
        raise PublishedSchemaChanged(changed)
    path = out_root / DOCUMENT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(expected_text())
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description="Write " + str(DOCUMENT_PATH))
    parser.add_argument("root", nargs="?", type=Path, help="repository root (default: found)")
    args = parser.parse_args(argv)
    root: Path | None = args.root or find_repo_root(Path.cwd())
    if root is None:
        parser.error("no repository root found (a parent with docs/ or .git); pass it")
    print(write_document(root.resolve()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

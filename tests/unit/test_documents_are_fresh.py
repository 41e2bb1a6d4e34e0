"""The committed contract documents (docs/api, docs/events) are what the code generates, and
a published event schema never changes in place or disappears."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, ClassVar

import pytest

from assignment.domain.events import REGISTRY as ASSIGNMENT_EVENTS
from attendance.domain.events import REGISTRY as ATTENDANCE_EVENTS
from chibo_kernel import DomainEvent, EventRegistry
from chibo_kernel.envelope import dataschema_for
from chibo_kernel.privacy import IDENTIFIER
from chibo_tools.docs import (
    PublishedSchemaChanged,
    changed_contracts,
    dropped_contracts,
    event_schema,
    stale_documents,
    write_documents,
)
from chibo_tools.service_docs import COMMAND, openapi_document
from rating.domain.events import REGISTRY as RATING_EVENTS

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {
    "assignment": ASSIGNMENT_EVENTS,
    "attendance": ATTENDANCE_EVENTS,
    "rating": RATING_EVENTS,
}
MODELS: list[type[DomainEvent]] = sorted(
    (m for registry in SERVICES.values() for m in registry), key=lambda m: m.event_type
)


@pytest.mark.parametrize("service", SERVICES)
def test_committed_documents_are_what_the_code_generates(service: str) -> None:
    stale = stale_documents(ROOT, service, openapi_document(service), SERVICES[service])
    assert not stale, (
        "committed API/event documents differ from the code: "
        + ", ".join(stale)
        + f"\nregenerate them with: {COMMAND} {service}"
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.event_type)
def test_event_schema_is_closed_and_identified_by_its_dataschema(
    model: type[DomainEvent],
) -> None:
    schema = event_schema(model)
    assert schema["$id"] == dataschema_for(model.event_type)
    assert schema["title"] == model.event_type
    assert schema["x-chibo-published"] is model.published
    objects = [schema, *schema.get("$defs", {}).values()]
    for part in objects:
        if part.get("type") == "object" and "properties" in part:
            assert part.get("additionalProperties") is False, (
                f"{model.event_type}: {part.get('title')} accepts undeclared properties"
            )


@pytest.mark.parametrize("service", SERVICES)
def test_published_event_schemas_never_change_in_place(service: str) -> None:
    changed = changed_contracts(ROOT, service, SERVICES[service])
    assert not changed, (
        "committed event schemas differ from the code: " + ", ".join(changed) + ". Published "
        "schemas are immutable (consumers decode with extra='forbid'): restore the model and "
        "add a new version (…v<N+1>) for the changed facts."
    )


@pytest.mark.parametrize("service", SERVICES)
def test_every_committed_event_type_is_still_defined(service: str) -> None:
    dropped = dropped_contracts(ROOT, service, SERVICES[service])
    assert not dropped, (
        f"event types vanished from the code: {dropped}. Stored events of these types must "
        "stay decodable: keep the old version's model beside the new one."
    )


# --- the generator itself, on a made-up service ----------------------------------------------


class ThingMade(DomainEvent):
    event_type: ClassVar[str] = "chibo.sample.thing_made.v1"
    thing_id: str


class ThingNoted(DomainEvent):
    event_type: ClassVar[str] = "chibo.sample.thing_noted.v1"
    published: ClassVar[bool] = False
    note: str


def test_generator_writes_new_schemas_and_never_rewrites_a_committed_one(
    tmp_path: Path,
) -> None:
    api = {"openapi": "3.1.0", "info": {"title": "sample · mẫu", "version": "1"}, "paths": {}}
    registry = EventRegistry([ThingMade, ThingNoted])
    assert stale_documents(tmp_path, "sample", api, registry) == [
        "docs/api/sample.openapi.json",
        "docs/events/sample/chibo.sample.thing_made.v1.json",
        "docs/events/sample/chibo.sample.thing_noted.v1.json",
    ]
    assert len(write_documents(tmp_path, "sample", api, registry)) == 3
    assert stale_documents(tmp_path, "sample", api, registry) == []
    api_text = (tmp_path / "docs/api/sample.openapi.json").read_text(encoding="utf-8")
    assert api_text.endswith("}\n")
    assert "mẫu" in api_text  # not \u-escaped
    noted_path = tmp_path / "docs/events/sample/chibo.sample.thing_noted.v1.json"
    assert json.loads(noted_path.read_text())["x-chibo-published"] is False

    class ThingMadeChanged(DomainEvent):  # the same type, edited in place
        event_type: ClassVar[str] = "chibo.sample.thing_made.v1"
        thing_id: str
        colour: str = "đỏ"

    edited = EventRegistry([ThingMadeChanged, ThingNoted])
    assert changed_contracts(tmp_path, "sample", edited) == [
        "docs/events/sample/chibo.sample.thing_made.v1.json"
    ]
    committed = (tmp_path / "docs/events/sample/chibo.sample.thing_made.v1.json").read_text()
    with pytest.raises(PublishedSchemaChanged, match=r"thing_made\.v1"):
        write_documents(tmp_path, "sample", api, edited)
    assert (tmp_path / "docs/events/sample/chibo.sample.thing_made.v1.json").read_text() == (
        committed
    )
    assert dropped_contracts(tmp_path, "sample", EventRegistry([ThingMade])) == [
        "chibo.sample.thing_noted.v1"
    ]
    write_documents(tmp_path, "sample", api, EventRegistry([ThingMade]))
    assert noted_path.exists()  # never deleted


def test_marking_what_a_committed_schema_reveals_rewrites_it_as_no_new_version(
    tmp_path: Path,
) -> None:
    api = {"openapi": "3.1.0", "info": {"title": "sample", "version": "1"}, "paths": {}}
    write_documents(tmp_path, "sample", api, EventRegistry([ThingMade]))

    class ThingMadeMarked(DomainEvent):  # the same type, its field now marked
        event_type: ClassVar[str] = "chibo.sample.thing_made.v1"
        thing_id: Annotated[str, IDENTIFIER]

    marked = EventRegistry([ThingMadeMarked])
    assert changed_contracts(tmp_path, "sample", marked) == []
    assert stale_documents(tmp_path, "sample", api, marked) == [
        "docs/events/sample/chibo.sample.thing_made.v1.json"
    ]
    write_documents(tmp_path, "sample", api, marked)
    committed = tmp_path / "docs/events/sample/chibo.sample.thing_made.v1.json"
    assert json.loads(committed.read_text())["properties"]["thing_id"]["x-privacy"] == "identifier"
    assert stale_documents(tmp_path, "sample", api, marked) == []


def test_generator_refuses_another_services_events(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not belong"):
        write_documents(tmp_path, "other", {}, EventRegistry([ThingMade]))

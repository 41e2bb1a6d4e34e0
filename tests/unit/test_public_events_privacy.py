"""What JetStream keeps for ever and every subscriber can read carries no sensitive data
(Law 91/2025, Decree 356/2025: health, party life and discipline, reports on households).

Over every registry of every service: no published event type the services emit has a field
marked sensitive (`chibo_kernel.privacy`), at any depth; a published type that has one is a
superseded version, kept only so that what was stored and published before still decodes,
and a newer version of it is registered without the field. Every private event that marks
personal or sensitive data names its data subject, an identifier field whose key encrypts
those fields. And every consumer of an event type also consumes the versions after it, so a
new version never goes unread.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from assignment.domain.events import REGISTRY as ASSIGNMENT_EVENTS
from attendance.adapters.memory_roster import MemoryRoster
from attendance.adapters.roster_projection import HANDLERS as ROSTER_HANDLERS
from attendance.domain.events import REGISTRY as ATTENDANCE_EVENTS
from chibo_contracts import assignment as a
from chibo_contracts.assignment import REGISTRY as PUBLISHED_ASSIGNMENT_EVENTS
from chibo_contracts.attendance import REGISTRY as PUBLISHED_ATTENDANCE_EVENTS
from chibo_contracts.rating import REGISTRY as PUBLISHED_RATING_EVENTS
from chibo_kernel import DomainEvent
from chibo_kernel.privacy import PRIVACY_KEY, Category, classified_fields
from rating.adapters.facts_projection import STATEMENTS as RATING_STATEMENTS
from rating.domain.events import REGISTRY as RATING_EVENTS

REGISTRIES = (
    ASSIGNMENT_EVENTS,
    ATTENDANCE_EVENTS,
    RATING_EVENTS,
    PUBLISHED_ASSIGNMENT_EVENTS,
    PUBLISHED_ATTENDANCE_EVENTS,
    PUBLISHED_RATING_EVENTS,
)
MODELS: list[type[DomainEvent]] = sorted(
    {model for registry in REGISTRIES for model in registry}, key=lambda m: m.event_type
)
PUBLISHED = [m for m in MODELS if m.published]
PRIVATE = [m for m in MODELS if not m.published]
# Published types superseded by a type of another name, not by a new version: never emitted
# again, kept so that what was stored and published before still decodes.
REPLACED_BY = {"chibo.rating.discipline_recorded.v1": "chibo.rating.discipline_decided.v1"}


def number(model: type[DomainEvent]) -> int:
    return int(model.version().removeprefix("v"))


def later_versions(model: type[DomainEvent]) -> list[type[DomainEvent]]:
    return [
        m
        for m in MODELS
        if (m.service(), m.short_name()) == (model.service(), model.short_name())
        and number(m) > number(model)
    ]


def marks(node: Any) -> Iterator[str]:
    """Every privacy mark in a JSON Schema, nested models and lists of them included."""
    if isinstance(node, dict):
        if isinstance(node.get(PRIVACY_KEY), str):
            yield node[PRIVACY_KEY]
        for value in node.values():
            yield from marks(value)
    elif isinstance(node, list):
        for value in node:
            yield from marks(value)


def sensitive(model: type[DomainEvent]) -> bool:
    return Category.SENSITIVE.value in set(marks(model.model_json_schema(mode="serialization")))


def personal_or_sensitive(model: type[DomainEvent]) -> bool:
    found = set(marks(model.model_json_schema(mode="serialization")))
    return bool(found & {Category.PERSONAL.value, Category.SENSITIVE.value})


def ids(model: type[DomainEvent]) -> str:
    return model.event_type


@pytest.mark.parametrize("model", [m for m in PUBLISHED if sensitive(m)], ids=ids)
def test_a_published_type_with_sensitive_data_is_superseded_by_one_without(
    model: type[DomainEvent],
) -> None:
    if model.event_type in REPLACED_BY:
        assert REPLACED_BY[model.event_type] in {m.event_type for m in MODELS}
        return
    newer = later_versions(model)
    assert newer, (
        f"{model.event_type} publishes sensitive data: move it to a private event and "
        "publish a new version without it"
    )
    newest = max(newer, key=number)
    assert newest.published, newest.event_type
    assert not sensitive(newest), newest.event_type


def test_no_published_type_the_services_emit_has_a_sensitive_field() -> None:
    emitted = [m for m in PUBLISHED if not later_versions(m) and m.event_type not in REPLACED_BY]
    assert [m.event_type for m in emitted if sensitive(m)] == []


@pytest.mark.parametrize("model", [m for m in PRIVATE if personal_or_sensitive(m)], ids=ids)
def test_a_private_event_with_personal_data_names_its_data_subject(
    model: type[DomainEvent],
) -> None:
    assert model.data_subject is not None, f"{model.event_type} names no data subject"


@pytest.mark.parametrize("model", [m for m in MODELS if m.data_subject is not None], ids=ids)
def test_a_data_subject_is_an_identifier_field(model: type[DomainEvent]) -> None:
    assert classified_fields(model).get(str(model.data_subject)) is Category.IDENTIFIER, (
        f"{model.event_type}.data_subject {model.data_subject!r} is not an identifier field"
    )


# --- consumers follow the new versions ------------------------------------------------------

CONSUMED = {
    "attendance roster": {ASSIGNMENT_EVENTS.model_for(t) for t in ROSTER_HANDLERS},
    "rating facts": set(RATING_STATEMENTS),
}


@pytest.mark.parametrize("consumer", CONSUMED)
def test_a_consumer_of_an_event_consumes_its_later_versions(consumer: str) -> None:
    consumed = CONSUMED[consumer]
    unread = {later for model in consumed for later in later_versions(model)} - consumed
    assert sorted(m.event_type for m in unread) == []


PERIOD = {"member_id": "m1", "branch_id": "B", "to_date": None}
STANDINGS = {
    "v1": [
        a.MemberExempted(**PERIOD, from_date=date(2024, 1, 1), reason="ốm"),
        a.MemberSuspended(**PERIOD, from_date=date(2024, 2, 1), reason="kỷ luật"),
        a.MemberLeft(member_id="m1", branch_id="B", on=date(2024, 3, 1), reason="từ trần"),
    ],
    "v2": [
        a.MemberExemptedV2(**PERIOD, from_date=date(2024, 1, 1)),
        a.MemberSuspendedV2(**PERIOD, from_date=date(2024, 2, 1)),
        a.MemberLeftV2(member_id="m1", branch_id="B", on=date(2024, 3, 1)),
    ],
}


@pytest.mark.parametrize("version", STANDINGS)
async def test_the_roster_reads_a_standing_the_same_in_either_version(version: str) -> None:
    roster = MemoryRoster()
    registered = a.MemberRegistered(
        member_id="m1",
        full_name="Lò Văn Pâng",
        branch_id="B",
        admission_date=date(2010, 1, 1),
        status="full",
    )
    roster.consume([registered, *STANDINGS[version]])

    async def standing(day: date) -> list[str]:
        return [e.standing for e in (await roster.roster_on("B", day)).entries.values()]

    assert await standing(date(2024, 1, 15)) == ["exempt"]
    assert await standing(date(2024, 2, 15)) == ["suspended"]
    assert await standing(date(2024, 3, 15)) == []  # gone from the rolls

"""Every field of every event type, with what its mark (`chibo_kernel.privacy`) says about
the person it concerns, or the reason it needs none.

A field carries a mark, sits inside a marked field (an attendance mark inside `marks`), or
is in `NOT_PERSONAL`: values that name no person (an organisation unit, a plan, a meeting)
or closed values (an enum, a date, a count, a flag) that are personal only through the
identifier beside them, and are protected as the event is. Free text is never allowed here:
a new unmarked text field fails the inventory's test until someone classifies it."""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import Category, category_of, encrypted_fields

NOT_PERSONAL_LABEL = "not personal"
UNCLASSIFIED = "UNCLASSIFIED"

_UNITS = "names no person: a unit, plan, meeting, duty or rule set"
_CLOSED = "a closed value: enum, date, time, count or flag"
_UNIT_FIELDS = """
branch_id from_branch_id to_branch_id home_branch_id host_branch_id unit_id unit_ids parent_id
from_parent_id to_parent_id into_unit_id to_unit_id by_unit_id path province_id plan_id
meeting_id problem_id cohort_id group_id route_id task_id target_id duties rule_set
resolution_number
"""
_CLOSED_FIELDS = """
year month months valid_from adopted_on held_on scheduled_for started_at ended_at from_time
to_time from_date to_date on since min_households max_households meetings_per_year
out_of_range late minutes_recorded prepared_by_committee within_assignment kind status role
entered_by subject source evaluation level proposed_level measure removed violation_year
in_duties self_reported_and_remedied general_points task_points tasks_total tasks_on_time
tasks_exceeded shortcomings_fixed raised_on reviewed_on submitted_on decided_on granted_on
cancelled_on concluded_on commented_on proposed_on targets_total targets_done
targets_exceeded points disciplined households_released.reason duties_released.reason
erased_on member_erased.basis
"""
_BODY_FIELDS = "decided_by cancelled_by granted_by concluded_by proposed_by appraised_by from_unit"
_MEETING_REASONS = """
meeting_postponed.reason meeting_cancelled.reason postponement_reason_recorded.reason
cancellation_reason_recorded.reason
"""
_MEETING_WHY = (
    "why a meeting moved or was cancelled: about the meeting and keyed by no member, so no "
    "member's key encrypts it nor erasure reaches it; it may tell someone's illness"
)
# Keys: a field name (any event) or `<event name>.<field>` (that event, every version).
NOT_PERSONAL: dict[str, str] = {
    **dict.fromkeys(_UNIT_FIELDS.split(), _UNITS),
    **dict.fromkeys(_CLOSED_FIELDS.split(), _CLOSED),
    **dict.fromkeys(_BODY_FIELDS.split(), "the deciding body as it signs, not the person rated"),
    **dict.fromkeys(_MEETING_REASONS.split(), _MEETING_WHY),
    "meeting_scheduled.extra_reason": "why a month has a second regular meeting (the agenda)",
    "household_group_defined.name": "a household group's name, as the branch calls it",
    "unit_appraised.note": "the appraisal of an organisation, not of a person",
    "allowance_granted.reason": "why a cohort may rate more members excellent",
    "assignment": "what a report covers: `households`, or a duty's kind and id",
    "org_unit_created.name": "the name of a party organisation",
    "org_unit_renamed.name": "the name of a party organisation",
    "org_unit_dissolved.reason": "why a party organisation was dissolved (a decision's words)",
    "route_defined.name": "the name of a road or route",
    "task_defined.name": "the name of a branch task (a campaign, a construction)",
    "meeting_scheduled.topic": "the theme of a thematic meeting",
    "meeting_scheduled.place": "where a branch meets (a hall, a cultural house)",
    "meeting_held.place": "where a branch met (a hall, a cultural house)",
}

# What kind of person an identifier points at, by the field's name.
_PEOPLE = {
    "member_id": "party member",
    "member_ids": "party members",
    "mentor_id": "party member (mentor)",
    "chair_id": "party member (chair)",
    "subject_id": "party member, or a unit",
    "follower_id": "upper-level committee member",
    "guest_id": "upper-level committee member (guest)",
    "household_id": "household",
    "household_key": "household",
    "household_ids": "households",
}


@dataclass(frozen=True)
class EventField:
    event_type: str
    published: bool
    path: str  # `marks[].reason` inside a list of nested models
    category: str  # a Category's value, NOT_PERSONAL_LABEL or UNCLASSIFIED
    subject: str
    note: str
    encrypted: bool  # stored sealed under the data subject's key (`chibo_kernel.store.sealing`)


def event_name(event_type: str) -> str:
    """`chibo.assignment.member_exempted.v2` → `member_exempted`."""
    return event_type.split(".")[2]


def person_of(field: str) -> str:
    if field in _PEOPLE:
        return _PEOPLE[field]
    if field.endswith("_by"):
        return "official or body who acted, as they sign"
    return "the person it names"


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (list, tuple, set, frozenset, Union, types.UnionType):
        for arg in get_args(annotation):
            found = _nested_model(arg)
            if found is not None:
                return found
    return None


def _is_free_text(annotation: Any) -> bool:
    if annotation is str:
        return True
    if get_origin(annotation) in (Union, types.UnionType, list):
        return any(_is_free_text(a) for a in get_args(annotation))
    return False


def _leaf(path: str) -> str:
    return path.rsplit(".", 1)[-1].removesuffix("[]")


def _allowance(event: str, path: str) -> str | None:
    return NOT_PERSONAL.get(f"{event}.{path}") or NOT_PERSONAL.get(_leaf(path))


def _walk(
    model: type[BaseModel], prefix: str = "", inherited: Category | None = None
) -> Iterator[tuple[str, FieldInfo, Category | None]]:
    for name, info in model.model_fields.items():
        category = category_of(info) or inherited
        path = f"{prefix}{name}"
        yield path, info, category
        nested = _nested_model(info.annotation)
        if nested is not None:
            many = get_origin(info.annotation) is list
            yield from _walk(nested, f"{path}{'[]' if many else ''}.", category)


def event_fields(model: type[DomainEvent]) -> list[EventField]:
    subject_field = model.data_subject or next(
        (p for p, _, c in _walk(model) if c is Category.IDENTIFIER), None
    )
    whose = "—"
    if subject_field:
        whose = f"{person_of(_leaf(subject_field))} (`{subject_field}`)"
    # As `chibo_kernel.store.sealing` does: events naming a data subject, private or sealed
    # on the stream.
    sealable = (not model.published or model.sealed_on_stream) and model.data_subject is not None
    sealed_fields = set(encrypted_fields(model)) if sealable else set()
    rows = []
    for path, info, category in _walk(model):
        leaf = _leaf(path)
        note = ""
        if category is Category.IDENTIFIER:
            label, subject = category.value, person_of(leaf)
        elif category is not None:
            label, subject = category.value, whose
            if category is Category.SENSITIVE and _is_free_text(info.annotation):
                note = "free text: may also name others (e.g. household members)"
        elif (why := _allowance(event_name(model.event_type), path)) is not None:
            label, subject, note = NOT_PERSONAL_LABEL, "—", why
        elif _nested_model(info.annotation) is not None:
            continue  # the container of marked or allowed fields, listed one by one
        else:
            label, subject = UNCLASSIFIED, "?"
        sealed = path in sealed_fields
        rows.append(
            EventField(model.event_type, bool(model.published), path, label, subject, note, sealed)
        )
    return rows


def unclassified(models: list[type[DomainEvent]]) -> list[str]:
    """`event_type field` of every field neither marked nor allowed as not personal."""
    return [
        f"{row.event_type} {row.path}"
        for model in models
        for row in event_fields(model)
        if row.category == UNCLASSIFIED
    ]


def unused_allowances(models: list[type[DomainEvent]]) -> list[str]:
    """Allowance keys no unmarked field needs any more: keep the list honest and short."""
    used: set[str] = set()
    for model in models:
        name = event_name(model.event_type)
        for path, _, category in _walk(model):
            if category is None:
                used |= {f"{name}.{path}", _leaf(path)}
    return sorted(set(NOT_PERSONAL) - used)

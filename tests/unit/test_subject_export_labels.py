"""Every kind of event a member's export can show, and every field of it, has a Vietnamese
and an English label: the private events and those sealed under a person's key (found by
their data subject), and the events of the member's own record."""

from __future__ import annotations

import pytest

from assignment.domain.events import REGISTRY as ASSIGNMENT
from attendance.domain.events import REGISTRY as ATTENDANCE
from chibo_chassis.subject_export.labels import EVENT_KINDS, FIELDS, VALUES, shown
from chibo_kernel import DomainEvent
from rating.domain.events import REGISTRY as RATING

# What `member-<id>` holds besides the events that name a data subject.
MEMBER_STREAM = {
    "member_role_given",
    "member_confirmed",
    "member_exempted",
    "member_suspended",
    "member_transferred",
    "temporary_attendance_started",
    "member_left",
    "member_erased",
}


def shown_in_an_export() -> list[type[DomainEvent]]:
    return [
        model
        for registry in (ASSIGNMENT, ATTENDANCE, RATING)
        for model in registry
        if not model.published
        or model.data_subject is not None
        or model.short_name() in MEMBER_STREAM
    ]


@pytest.mark.parametrize("model", shown_in_an_export(), ids=lambda m: m.event_type)
def test_an_event_a_member_can_be_shown_has_labels_for_its_kind_and_fields(
    model: type[DomainEvent],
) -> None:
    assert model.short_name() in EVENT_KINDS
    assert set(model.model_fields) <= set(FIELDS), set(model.model_fields) - set(FIELDS)


def test_codes_read_in_words_and_anything_else_as_it_is() -> None:
    assert shown("absent_excused") == "vắng có lý do"
    assert shown("Hộ số 1") == "Hộ số 1"
    assert all(vi and vi == vi.strip() for vi in VALUES.values())

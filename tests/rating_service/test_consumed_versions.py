"""Rating reads the attendance service's events into its facts the same whichever version
told them: version 2 leaves out the reasons, which no rule reads, so the meeting-quality
verdicts and the attendance figures built on the facts stay as they were."""

from __future__ import annotations

from typing import Any

from attendance_service.test_private_reasons import V1_YEAR, v2_year

from chibo_kernel import DomainEvent
from rating.adapters.facts_projection import STATEMENTS
from rating.adapters.touched import Touched


def facts(events: list[DomainEvent]) -> list[tuple[str, tuple[Any, ...]]]:
    return [statement for e in events for statement in STATEMENTS[type(e)](e)]


def test_a_year_of_meetings_gives_the_same_facts_and_marks_in_either_version() -> None:
    published = [e for public, _ in v2_year() for e in public]
    assert [e.event_type for e in published] != [e.event_type for e in V1_YEAR]
    assert facts(published) == facts(V1_YEAR)
    marks = []
    for events in (V1_YEAR, published):
        touched = Touched(first_year=2020)
        for event in events:
            touched.add(event)
        marks.append((touched.cells, touched.members))
    assert marks[0] == marks[1]
    assert ("c", 2025) in marks[1][1]  # the members a sheet names, as before


def test_no_private_event_reaches_the_facts() -> None:
    private = [e for _, kept in v2_year() for e in kept]
    assert private
    assert not [e.event_type for e in private if type(e) in STATEMENTS]

"""The committed data inventory (docs/privacy-inventory.md) is what the code generates, and
nothing in it is left unclassified: every event field is marked or allowed as not personal,
every column the migrations create, every message header, downloaded column and log field
has a category. The generator's parts are checked on made-up events and statements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar

import pytest
from pydantic import BaseModel, ConfigDict

from chibo_contracts import assignment as a
from chibo_kernel import DomainEvent
from chibo_kernel.privacy import IDENTIFIER, SENSITIVE
from chibo_tools.privacy.columns import COLUMN_CATEGORIES
from chibo_tools.privacy.event_fields import (
    NOT_PERSONAL_LABEL,
    UNCLASSIFIED,
    event_fields,
    unclassified,
    unused_allowances,
)
from chibo_tools.privacy.schema_replay import UnreadableMigration, replay
from chibo_tools.privacy.surfaces import unclassified_surfaces
from chibo_tools.privacy_inventory import (
    COMMAND,
    DOCUMENT_PATH,
    all_tables,
    expected_text,
    models,
)
from chibo_tools.service_docs import SERVICES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tables() -> set[str]:
    return {f"{t}.{c}" for db in all_tables().values() for t, cs in db.items() for c in cs}


def test_the_committed_inventory_is_what_the_code_generates() -> None:
    committed = ROOT / DOCUMENT_PATH
    assert committed.is_file(), f"{DOCUMENT_PATH} is missing: run {COMMAND}"
    assert committed.read_text(encoding="utf-8") == expected_text(), (
        f"{DOCUMENT_PATH} differs from what the code says: regenerate it with {COMMAND}"
    )


def test_every_event_field_is_marked_or_allowed_as_not_personal() -> None:
    missing = unclassified(models())
    assert not missing, (
        "event fields neither marked (chibo_kernel.privacy) nor allowed as not personal "
        "(tools/chibo_tools/privacy/event_fields.py): " + ", ".join(missing)
    )


def test_the_not_personal_allowance_names_only_fields_left_unmarked() -> None:
    assert unused_allowances(models()) == []


def test_every_column_the_migrations_create_is_classified(tables: set[str]) -> None:
    assert sorted(tables - set(COLUMN_CATEGORIES)) == [], "classify them in privacy/columns.py"
    assert sorted(set(COLUMN_CATEGORIES) - tables) == [], "no migration creates these"


def test_every_header_download_column_and_log_field_is_classified() -> None:
    assert unclassified_surfaces(SERVICES) == []


def test_the_inventory_shows_the_names_the_public_stream_still_carries() -> None:
    text = expected_text()
    row = next(
        line
        for line in text.splitlines()
        if "`chibo.assignment.member_registered.v1`" in line and "`full_name`" in line
    )
    assert "| published |" in row
    assert "| personal |" in row


def test_version_2_seals_the_name_and_keeps_the_admission_date_readable_for_counts() -> None:
    rows = {r.path: r for r in event_fields(a.MemberRegisteredV2)}
    assert (rows["full_name"].category, rows["full_name"].encrypted) == ("personal", True)
    admission = rows["admission_date"]
    assert (admission.category, admission.encrypted) == ("pseudonymous", False)
    assert admission.subject == "party member (`member_id`)"
    assert COLUMN_CATEGORIES["members.admission_date"] == "pseudonymous"


# --- the generator's parts, on made-up inputs ----------------------------------------------


class NoteTaken(DomainEvent):
    event_type: ClassVar[str] = "chibo.sample.note_taken.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    note: str


class Mark(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    member_id: Annotated[str, IDENTIFIER]
    reason: str


class MarksTaken(DomainEvent):
    event_type: ClassVar[str] = "chibo.sample.marks_taken.v1"
    meeting_id: str
    marks: list[Mark]


def test_a_new_unmarked_free_text_field_is_reported_until_it_is_marked() -> None:
    assert unclassified([NoteTaken]) == ["chibo.sample.note_taken.v1 note"]

    class NoteTakenMarked(NoteTaken):
        note: Annotated[str, SENSITIVE]

    rows = {r.path: r for r in event_fields(NoteTakenMarked)}
    assert unclassified([NoteTakenMarked]) == []
    assert rows["note"].category == "sensitive"
    assert rows["note"].subject == "party member (`member_id`)"
    assert rows["branch_id"].category == NOT_PERSONAL_LABEL
    assert rows["member_id"].category == "identifier"


def test_fields_inside_a_list_of_models_are_listed_one_by_one() -> None:
    rows = {r.path: r.category for r in event_fields(MarksTaken)}
    assert rows == {
        "meeting_id": NOT_PERSONAL_LABEL,
        "marks[].member_id": "identifier",
        "marks[].reason": UNCLASSIFIED,
    }


def test_the_statement_reader_follows_creates_alters_and_drops() -> None:
    tables = replay(
        [
            "CREATE TABLE people (id text PRIMARY KEY, full_name text NOT NULL, "
            "born date, PRIMARY KEY (id), UNIQUE (full_name, born))",
            "CREATE INDEX people_born ON people (born)",
            "ALTER TABLE people ADD COLUMN note text DEFAULT ''",
            "ALTER TABLE people RENAME COLUMN born TO birth_date",
            "ALTER TABLE people DROP COLUMN full_name",
            "ALTER TABLE people ALTER COLUMN note SET NOT NULL",
            "CREATE TABLE scratch (x int)",
            "DROP TABLE scratch",
        ]
    )
    assert tables == {"people": {"id": "text", "birth_date": "date", "note": "text"}}


def test_a_statement_the_reader_cannot_follow_stops_it() -> None:
    with pytest.raises(UnreadableMigration, match="SET SCHEMA"):
        replay(["CREATE TABLE t (x int)", "ALTER TABLE t SET SCHEMA other"])

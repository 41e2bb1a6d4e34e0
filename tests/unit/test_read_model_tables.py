"""Each rebuildable read model names exactly the tables its projection writes: a table
left out would keep serving its old rows after a rebuild, one too many would be emptied."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assignment.adapters.own_read_models import OWN_READ_MODELS as ASSIGNMENT
from attendance.adapters.own_read_models import OWN_READ_MODELS as ATTENDANCE
from attendance.adapters.roster_read_model import ROSTER_TABLES
from rating.adapters.own_read_models import OWN_READ_MODELS as RATING

ROOT = Path(__file__).resolve().parents[2] / "services"
_WRITES = re.compile(r"\b(?:INSERT INTO|UPDATE|DELETE FROM)\s+([a-z_]+)")


def written_by(*modules: Path) -> set[str]:
    return {table for m in modules for table in _WRITES.findall(m.read_text())}


ADAPTERS = {s: ROOT / s / s / "adapters" for s in ("assignment", "attendance", "rating")}
# What the roster consumer scrubs in place when a member is erased (`member_erased`): an
# excused absence's reason, in the service's own `attendance_marks`, whose own rebuild
# replays it empty (the key is destroyed). Neither rebuild loses the other's rows.
SCRUBBED_BY_ROSTER = {"attendance_marks"}


@pytest.mark.parametrize(
    ("declared", "modules"),
    [
        (
            ASSIGNMENT.tables,
            [
                ADAPTERS["assignment"] / "projection.py",
                *ADAPTERS["assignment"].glob("*_projection.py"),
            ],
        ),
        (ATTENDANCE.tables, [ADAPTERS["attendance"] / "projection.py"]),
        (ROSTER_TABLES, [ADAPTERS["attendance"] / "roster_projection.py"]),
        (RATING.tables, [ADAPTERS["rating"] / "projection.py"]),
    ],
    ids=["assignment", "attendance", "attendance-roster", "rating"],
)
def test_a_read_model_declares_the_tables_its_projection_writes(
    declared: tuple[str, ...], modules: list[Path]
) -> None:
    written = written_by(*modules)
    if modules == [ADAPTERS["attendance"] / "roster_projection.py"]:
        written -= SCRUBBED_BY_ROSTER
    assert sorted(declared) == sorted(written)
    assert len(set(declared)) == len(declared)

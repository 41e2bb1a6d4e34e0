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
    assert sorted(declared) == sorted(written_by(*modules))
    assert len(set(declared)) == len(declared)

"""Path parameters and the shape of a command's answer, shared by the route modules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

from fastapi import Path

from chibo_chassis.http import accepted as accepted

from ...domain.member_rows import RowError
from .. import import_schemas as s

UnitPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Year = Annotated[int, Path(ge=1930, le=2100)]
Month = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
ProblemId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


def row_problems(
    errors: Sequence[RowError], names: Mapping[int, str] | None = None
) -> list[s.RowProblem]:
    """A file's refused rows, as every import answers them, each with the full name it gives."""
    return [
        s.RowProblem(
            line=e.line,
            full_name=(names or {}).get(e.line),
            field=e.field,
            reason=e.reason_en,
            reason_vi=e.reason_vi,
        )
        for e in errors
    ]

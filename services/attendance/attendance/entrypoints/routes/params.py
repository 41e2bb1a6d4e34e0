"""Path parameters and the shape of a command's answer, shared by the route modules."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from chibo_chassis.http import accepted as accepted

ID_PATTERN = r"^[A-Za-z0-9_-]{1,40}$"
UnitPath = Annotated[str, Path(pattern=ID_PATTERN)]
MeetingId = Annotated[str, Path(pattern=ID_PATTERN)]
MemberId = Annotated[str, Path(pattern=ID_PATTERN)]
Year = Annotated[int, Path(ge=1930, le=2100)]

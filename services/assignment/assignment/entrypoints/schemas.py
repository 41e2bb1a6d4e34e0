"""What every request and response body is built from: closed models and bounded strings,
so bad input is refused before any handler runs. Each resource's bodies are in a module of
their own (`unit_schemas`, `member_schemas`, `plan_schemas`, `report_schemas`,
`following_schemas`, `import_schemas`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# Free text may hold anything people type but NUL, which no store here can hold (Postgres
# refuses it in text and jsonb); once private events were sealed, nothing else refused it.
NO_NUL = r"^[^\x00]*$"
Reason = Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=NO_NUL)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

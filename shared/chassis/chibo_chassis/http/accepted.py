"""What every command answers: each changed stream's new version and the new event ids."""

from __future__ import annotations

from pydantic import BaseModel

from chibo_kernel.domain import Saved


class Accepted(BaseModel):
    versions: dict[str, int]
    event_ids: list[str]


def accepted(saved: Saved) -> Accepted:
    return Accepted(versions=saved.versions, event_ids=saved.event_ids)

"""Operators' commands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chibo_kernel.domain import Message


@dataclass(frozen=True)
class RebuildReadModels(Message[dict[str, Any]]):
    """Fill a new generation of the consumed read models from the streams; answers the
    generations' status once the rebuild has started."""

"""The attendance service's own read models as one rebuildable unit: the tables its inline
projection writes in the append's transaction, and that projection's version.

Raise VERSION when a change to the projection alters what it writes; the service then
reports `chibo_read_model_outdated` until `chibo-attendance rebuild` has replayed the event store
into new tables and swapped them in while the old ones served."""

from __future__ import annotations

from chibo_kernel.read_models import OwnReadModels

from ..domain.events import REGISTRY
from .projection import project

VERSION = 1

OWN_READ_MODELS = OwnReadModels(
    name="attendance",
    version=VERSION,
    tables=("meetings", "attendance_marks", "guest_visits"),
    project=project,
    registry=REGISTRY,
)

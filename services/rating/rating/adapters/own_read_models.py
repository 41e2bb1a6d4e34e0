"""The rating service's own read models as one rebuildable unit: the tables its inline
projection writes in the append's transaction, and that projection's version.

Raise VERSION when a change to the projection alters what it writes; the service then
reports `chibo_read_model_outdated` until `chibo-rating rebuild` has replayed the event store
into new tables and swapped them in while the old ones served."""

from __future__ import annotations

from chibo_kernel.read_models import OwnReadModels

from ..domain.events import REGISTRY
from .projection import project

VERSION = 1

OWN_READ_MODELS = OwnReadModels(
    name="rating",
    version=VERSION,
    tables=(
        "self_assessments",
        "appraisals",
        "disciplines",
        "conclusions",
        "leaves",
        "comments",
        "removals",
        "decisions",
        "unit_appraisals",
        "cohorts",
        "allowances",
    ),
    project=project,
    registry=REGISTRY,
)

"""The roster and org tree that attendance projects from assignment's stream, as a read
model with generations: `chibo-attendance rebuild` fills a new generation from the stream's
first event while the current one serves, and the running service switches to it."""

from __future__ import annotations

from chibo_contracts.assignment import REGISTRY as ASSIGNMENT_EVENTS
from chibo_kernel.read_models import Source, SwappedReadModel

from .roster_projection import roster_consumer_spec, roster_projection

ROSTER_TABLES = (
    "org_units",
    "roster_members",
    "roster_periods",
    "roster_standing",
    "roster_roles",
    "followings",
)


def roster_read_model(batch_size: int = 256) -> SwappedReadModel:
    return SwappedReadModel(
        name="attendance-roster",
        tables=ROSTER_TABLES,
        sources=(Source(roster_consumer_spec(batch_size), ASSIGNMENT_EVENTS),),
        projection=roster_projection(),
    )

"""One module per command; `bind` gives the boundary each handler with what it needs: the
commands that read only where they act (`PLACED`) run on any store; the others weigh the
year's evidence, the decisions or the generations, which only the read models hold."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from ...domain import commands as c
from ..deps import Deps
from ..whereabouts import PlacedDeps
from . import (
    appraise_unit,
    cancel_decision,
    decide,
    decide_removal,
    grant_allowance,
    propose_removal,
    rebuild_read_models,
    record_appraisal,
    record_comment,
    record_conclusion,
    record_discipline,
    record_leave,
    set_cohort,
    submit_self_assessment,
)

Handler = Callable[[Any], Awaitable[Any]]

PLACED: dict[type, Callable[..., Awaitable[Any]]] = {
    c.SubmitSelfAssessment: submit_self_assessment.handle,
    c.RecordAppraisal: record_appraisal.handle,
    c.RecordDiscipline: record_discipline.handle,
    c.RecordConclusion: record_conclusion.handle,
    c.RecordLeave: record_leave.handle,
    c.RecordComment: record_comment.handle,
    c.AppraiseUnit: appraise_unit.handle,
    c.GrantAllowance: grant_allowance.handle,
}
READING: dict[type, Callable[..., Awaitable[Any]]] = {
    c.ProposeRemoval: propose_removal.handle,
    c.DecideRemoval: decide_removal.handle,
    c.Decide: decide.handle,
    c.CancelDecision: cancel_decision.handle,
    c.SetCohort: set_cohort.handle,
    c.RebuildReadModels: rebuild_read_models.handle,
}


def bind(placed: PlacedDeps, deps: Deps | None = None) -> dict[type, Handler]:
    """The commands that read only where they act; with the read models (`deps`), all."""
    wired: dict[type, Handler] = {
        kind: partial(handle, deps=placed) for kind, handle in PLACED.items()
    }
    if deps is not None:
        wired |= {kind: partial(handle, deps=deps) for kind, handle in READING.items()}
    return wired

"""The per-aggregate ordering gate: pure, so it can be tested exhaustively.

A consumer subscribes to whole aggregate categories, so it sees every version of each
aggregate. A message is applied only when it is the next version; older ones are duplicates;
newer ones wait for their predecessor (which a crash or a nak sent round again).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    APPLY = "applied"
    DUPLICATE = "duplicate"
    WAIT = "retried"
    PARK = "parked"


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    reason: str = ""
    gap: bool = False  # waiting for a predecessor, not failing


def judge(
    *,
    version: int,
    last_applied: int,
    aggregate_parked: bool,
    aggregate_waiting: bool,
    final_delivery: bool,
) -> Judgement:
    if version <= last_applied:
        return Judgement(Verdict.DUPLICATE)
    if aggregate_parked:
        return Judgement(Verdict.PARK, "an earlier event of this aggregate is parked")
    if aggregate_waiting or version > last_applied + 1:
        if final_delivery:
            return Judgement(Verdict.PARK, f"version {last_applied + 1} never arrived")
        return Judgement(Verdict.WAIT, f"waiting for version {last_applied + 1}", gap=True)
    return Judgement(Verdict.APPLY)

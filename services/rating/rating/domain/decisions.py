"""What a decision command carries: the levels decided, what the service proposed for each,
and the rule set they were decided under."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_contracts.rating import Level


@dataclass(frozen=True, slots=True)
class Decision:
    subject_id: str
    level: Level


@dataclass(frozen=True, slots=True)
class Proposed:
    """What the service proposed for a subject when it was decided, kept beside the level."""

    level: Level | None
    reasons: list[str]


@dataclass(frozen=True, slots=True)
class RuleSetName:
    id: str
    title: str

"""What a plan's coverage is measured against and what it answers.

Coverage is asked for a day: who of the branch may hold duties that day comes from the
members' standing, outside the plan, so it arrives as a roster of these entries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RosterEntry:
    """What coverage needs to know of a member of the branch on the day asked about."""

    member_id: str
    excluded: bool  # exempt or suspended on the day: no tasks
    on_committee: bool
    away: bool = False  # attending another branch temporarily on the day: no tasks here

    @property
    def holds_duties(self) -> bool:
        """May carry households and tasks here that day (`standing.py`); what any other
        member still holds covers nothing."""
        return not self.excluded and not self.away

    @property
    def needs_households(self) -> bool:
        # Committee members lead and guide the other members instead of holding households.
        return self.holds_duties and not self.on_committee


@dataclass(frozen=True)
class Coverage:
    assigned: int
    eligible: int
    members_without_households: list[str]
    households_held: int
    households_without_member: list[str]

    @property
    def members_text(self) -> str:
        """As the seeds say it: "37/37" eligible members with households."""
        return f"{self.assigned}/{self.eligible}"

    @property
    def households_text(self) -> str:
        total = self.households_held + len(self.households_without_member)
        return f"{self.households_held}/{total}"

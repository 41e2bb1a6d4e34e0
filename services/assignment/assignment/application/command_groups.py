"""All of the service's commands, one handler each, grouped by what they change."""

from __future__ import annotations

from .following_commands import FollowingCommands
from .plan_commands import PlanCommands
from .plan_import import PlanImport
from .report_commands import ReportCommands, ReportEntry, ReviewEntry
from .unit_commands import UnitCommands


class Handlers(UnitCommands, PlanCommands, ReportCommands, FollowingCommands, PlanImport):
    """The composition the HTTP routes and the demo use; each group shares the Loader."""


__all__ = ["Handlers", "ReportEntry", "ReviewEntry"]

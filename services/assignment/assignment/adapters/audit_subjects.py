"""Who changed what, when (`GET /v1/audit/{kind}/{id}`): the kinds of subject this service
answers for, and the streams that hold each one's history."""

from __future__ import annotations

from typing import get_args

from chibo_chassis.http import AuditSubject

from ..domain.area import BranchArea
from ..domain.events import CommitteeLevel
from ..domain.following import Following, VisitQuota, quota_id
from ..domain.identity import MemberIdentity
from ..domain.member import Member
from ..domain.org import OrgUnit
from ..domain.plan import Plan
from ..domain.private_texts import HouseholdLabels, ProblemTexts, ReportTexts, StandingReasons
from ..domain.problems import Problem
from ..domain.range_policy import HouseholdRangePolicy
from ..domain.reports import MonthlyReports

LEVELS: tuple[CommitteeLevel, ...] = get_args(CommitteeLevel)
# kind → what its id is
KINDS = {
    "unit": "a unit id: the unit, its households and duties (a branch), its policies (a province)",
    "member": "a member id: their record; the private identity and reasons show changed "
    "fields only",
    "plan": "<branch id>-<year>: a yearly plan",
    "reports": "<branch id>-<yyyymm>: a branch's monthly reports",
    "problem": "a problem id",
    "following": "<member id>-<year>: whom a committee member follows",
}


def _stream(category: str, aggregate_id: str) -> str:
    return f"{category}-{aggregate_id}"


async def resolve(kind: str, subject_id: str) -> AuditSubject | None:
    """The streams holding a subject's history; one that was never written is empty."""
    streams: list[str]
    if kind == "unit":
        streams = [
            _stream(OrgUnit.category, subject_id),
            _stream(BranchArea.category, subject_id),
            _stream(HouseholdLabels.category, subject_id),
            _stream(HouseholdRangePolicy.category, subject_id),
            *(_stream(VisitQuota.category, quota_id(subject_id, level)) for level in LEVELS),
        ]
    elif kind == "member":
        streams = [
            _stream(Member.category, subject_id),
            _stream(MemberIdentity.category, subject_id),
            _stream(StandingReasons.category, subject_id),
        ]
    else:
        # A private stream beside a public one shows who wrote what when, never the text.
        categories = {
            "plan": [Plan.category],
            "reports": [MonthlyReports.category, ReportTexts.category],
            "problem": [Problem.category, ProblemTexts.category],
            "following": [Following.category],
        }.get(kind)
        if categories is None:
            return None
        streams = [_stream(category, subject_id) for category in categories]
    return AuditSubject(streams=streams)

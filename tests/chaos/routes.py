"""Which command routes the retried script covers, against the services' OpenAPI
documents, built from the code: a new command route fails the suite until the script sends
it (or it is named here with where its repeat is tested instead)."""

from __future__ import annotations

import re

from chibo_chassis.http.idempotency import COMMAND_METHODS
from chibo_tools.service_docs import openapi_document

from .steps import Step

SERVICES = ("assignment", "attendance", "rating")
# Repeated with one key in tests/idempotency/test_jobs_repeated.py: neither stores events
# under the request's key (a members import runs as a job; a rebuild stores no event).
ELSEWHERE = {
    ("assignment", "POST /v1/imports/members"),
    ("rating", "POST /v1/admin/read-models/rebuild"),
    # A query sent as a POST: stores nothing; its keyed repeat is in test_meeting_verdict_http.
    ("rating", "POST /v1/rule-sets/{year}/meeting-verdict"),
}


def command_routes() -> set[tuple[str, str]]:
    return {
        (service, f"{method.upper()} {path}")
        for service in SERVICES
        for path, operations in openapi_document(service)["paths"].items()
        for method in operations
        if method.upper() in COMMAND_METHODS
    }


def _matcher(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


def routes_of(steps: list[Step]) -> set[tuple[str, str]]:
    """The route each step is sent to, by its method."""
    templates = [(s, r, _matcher(r.split(" ", 1)[1])) for s, r in command_routes()]
    found = set()
    for step in steps:
        path = step.path.split("?", 1)[0]
        found |= {
            (service, route)
            for service, route, pattern in templates
            if service == step.service
            and route.startswith(f"{step.method} ")
            and pattern.match(path)
        }
    return found

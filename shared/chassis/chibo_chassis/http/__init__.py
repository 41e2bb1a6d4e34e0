"""HTTP building blocks shared by the services."""

from .accepted import Accepted, accepted
from .app import create_app
from .audit import AuditSubject, ReadAudit, audit_handler, audit_router
from .guard import GuardedRoute, authorised, raw_fields, v1_router
from .problems import MEDIA_TYPE, problem
from .serve import serve

__all__ = [
    "MEDIA_TYPE",
    "Accepted",
    "AuditSubject",
    "GuardedRoute",
    "ReadAudit",
    "accepted",
    "audit_handler",
    "audit_router",
    "authorised",
    "create_app",
    "problem",
    "raw_fields",
    "serve",
    "v1_router",
]

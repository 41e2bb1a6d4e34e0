"""HTTP building blocks shared by the services."""

from .accepted import Accepted, accepted
from .access_log import AccessLog, PersonalRead, ReadPersonalDataReads
from .access_log_route import access_log_router
from .app import create_app
from .audit import AuditSubject, ReadAudit, audit_handler, audit_router
from .guard import GuardedRoute, authorised, raw_fields, v1_router
from .idempotency import runs_once_per_key
from .personal_reads import disclose, reads_personal_data, streamed
from .problems import MEDIA_TYPE, problem
from .serve import serve

__all__ = [
    "MEDIA_TYPE",
    "Accepted",
    "AccessLog",
    "AuditSubject",
    "GuardedRoute",
    "PersonalRead",
    "ReadAudit",
    "ReadPersonalDataReads",
    "accepted",
    "access_log_router",
    "audit_handler",
    "audit_router",
    "authorised",
    "create_app",
    "disclose",
    "problem",
    "raw_fields",
    "reads_personal_data",
    "runs_once_per_key",
    "serve",
    "streamed",
    "v1_router",
]

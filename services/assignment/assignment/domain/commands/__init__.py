"""The service's commands as typed objects, one module per area; each is handled by one
module of `application/handlers/` and authorised by one line of `permissions.py`."""

from .members import (
    AttendTemporarily,
    ConfirmMember,
    ExemptMember,
    GiveRole,
    MemberLeaves,
    RegisterMember,
    SuspendMember,
    TransferMember,
)

__all__ = [
    "AttendTemporarily",
    "ConfirmMember",
    "ExemptMember",
    "GiveRole",
    "MemberLeaves",
    "RegisterMember",
    "SuspendMember",
    "TransferMember",
]

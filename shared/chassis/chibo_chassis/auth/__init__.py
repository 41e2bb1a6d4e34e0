"""Sign-in: bearer tokens (JWT) verified against the province's identity provider, the
principal they name (who, in which role, over which organisation subtree), and the policy
that says what each role may do where."""

from .boundary import Boundary, Fields, Place, Rule, Where, fields_of
from .policy import (
    GRANTS,
    Forbidden,
    Permission,
    acting_as,
    allowed,
    can,
    current_principal,
    refuse_unknown,
    require,
    require_role,
)
from .principal import ROLES, Principal, Role
from .setup import operator_token, verifier_from
from .tokens import JwksVerifier, SharedSecretVerifier, TokenRejected, TokenVerifier, issue_token

__all__ = [
    "GRANTS",
    "ROLES",
    "Boundary",
    "Fields",
    "Forbidden",
    "JwksVerifier",
    "Permission",
    "Place",
    "Principal",
    "Role",
    "Rule",
    "SharedSecretVerifier",
    "TokenRejected",
    "TokenVerifier",
    "Where",
    "acting_as",
    "allowed",
    "can",
    "current_principal",
    "fields_of",
    "issue_token",
    "operator_token",
    "refuse_unknown",
    "require",
    "require_role",
    "verifier_from",
]

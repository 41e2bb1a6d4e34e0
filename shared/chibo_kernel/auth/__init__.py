"""Sign-in: bearer tokens (JWT) verified against the province's identity provider, and the
principal they name (who, in which role, over which organisation subtree)."""

from .principal import ROLES, Principal, Role
from .tokens import JwksVerifier, SharedSecretVerifier, TokenRejected, TokenVerifier, issue_token

__all__ = [
    "ROLES",
    "JwksVerifier",
    "Principal",
    "Role",
    "SharedSecretVerifier",
    "TokenRejected",
    "TokenVerifier",
    "issue_token",
]

"""Choosing the token verifier from the settings, and saying which one runs."""

from __future__ import annotations

import os

from chibo_kernel.errors import ConfigurationError
from chibo_kernel.logging import get_logger

from ..settings import KernelSettings
from .principal import Role
from .tokens import JwksVerifier, SharedSecretVerifier, TokenVerifier, issue_token

log = get_logger("chibo.auth")


def verifier_from(settings: KernelSettings) -> TokenVerifier:
    """The identity provider's JWKS in production; the shared secret only for the embedded
    stack, and a warning at every start that says so. Neither, or both, stops startup."""
    if settings.auth_jwks_url and settings.auth_shared_secret:
        raise ConfigurationError(
            "CHIBO_AUTH_SHARED_SECRET", "set either it or CHIBO_AUTH_JWKS_URL, not both"
        )
    if settings.auth_jwks_url:
        log.info(
            "sign-in: tokens verified against the identity provider",
            jwks_url=settings.auth_jwks_url,
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
        )
        return JwksVerifier(
            settings.auth_jwks_url, issuer=settings.auth_issuer, audience=settings.auth_audience
        )
    if settings.auth_shared_secret:
        log.warning(
            "sign-in: tokens verified with a shared secret (CHIBO_AUTH_SHARED_SECRET); this is "
            "for the embedded stack only: connect the province's identity provider with "
            "CHIBO_AUTH_JWKS_URL and CHIBO_AUTH_ISSUER before real use"
        )
        return SharedSecretVerifier(
            settings.auth_shared_secret.get_secret_value(),
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
        )
    raise ConfigurationError(
        "CHIBO_AUTH_JWKS_URL",
        "not set: give the identity provider's JWKS URL (or CHIBO_AUTH_SHARED_SECRET for the "
        "embedded stack)",
    )


def operator_token(settings: KernelSettings, subject: str) -> str | None:
    """For a service's own command-line tools that call its API: `$CHIBO_TOKEN` if given,
    else, on the embedded stack, a province administrator's token signed with the shared
    secret; None where only the identity provider can issue one."""
    given = os.environ.get("CHIBO_TOKEN")
    if given:
        return given
    if settings.auth_shared_secret is None:
        return None
    return issue_token(
        settings.auth_shared_secret.get_secret_value(),
        subject=subject,
        role=Role.PROVINCE_ADMIN,
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
    )

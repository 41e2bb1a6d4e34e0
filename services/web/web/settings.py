"""The web app's settings. It has no database and no NATS: it reaches the three services'
APIs over HTTP with the signed-in user's token."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CHIBO_WEB_", extra="ignore", frozen=True, populate_by_name=True
    )

    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8100, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    assignment_url: str = Field(description="base URL of the assignment service's API")
    attendance_url: str = Field(description="base URL of the attendance service's API")
    rating_url: str = Field(description="base URL of the rating service's API")
    session_secret: SecretStr = Field(
        min_length=32, description="signs the session cookie; ≥ 32 characters, never logged"
    )
    secure_cookies: bool = Field(
        default=True, description="send the session cookie over HTTPS only (false: loopback)"
    )
    public_url: str | None = Field(
        default=None, description="the app's address as users reach it (the OIDC redirect)"
    )
    oidc_issuer: str | None = Field(
        default=None, description="the province identity provider's issuer URL (OIDC)"
    )
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = Field(
        default=None, description="absent for a public client: PKCE alone proves the flow"
    )
    oidc_scope: str = "openid profile"
    demo_signin: bool = Field(
        default=False, description="offer the demo roles' sign-in (the embedded stack only)"
    )
    # The demo sign-in mints the tokens the services verify with their shared secret.
    auth_shared_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("CHIBO_AUTH_SHARED_SECRET")
    )
    auth_issuer: str = Field(
        default="chibo-embedded", validation_alias=AliasChoices("CHIBO_AUTH_ISSUER")
    )
    auth_audience: str = Field(
        default="chibo", validation_alias=AliasChoices("CHIBO_AUTH_AUDIENCE")
    )
    api_timeout_seconds: float = Field(default=15.0, gt=0)

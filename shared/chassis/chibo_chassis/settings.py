"""Configuration from environment variables only (12-factor).

A bad value stops startup with one line naming the variable, e.g.
`chibo: configuration error: CHIBO_HTTP_PORT: Input should be a valid integer`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Literal, TypeVar

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from chibo_kernel.errors import ConfigurationError
from chibo_kernel.keyring.master import MASTER_KEY_VARIABLE, NOT_SET, MasterKey

S = TypeVar("S", bound="KernelSettings")


class KernelSettings(BaseSettings):
    """What every service needs; services subclass it to add their own settings."""

    model_config = SettingsConfigDict(
        env_prefix="CHIBO_", extra="ignore", frozen=True, populate_by_name=True
    )

    database_url: str = Field(description="PostgreSQL URL of this service's own database")
    keyring_database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL of the province's keyring database, where every service "
        "keeps its data keys (table data_keys), so that one erasure reaches them all; by "
        "default this service's own database",
    )
    nats_url: str = Field(description="NATS server URL(s), comma-separated")
    nats_user: str | None = Field(
        default=None, description="this service's NATS user (deploy/nats/accounts.conf)"
    )
    nats_password: SecretStr | None = Field(
        default=None, description="that user's password; never logged"
    )
    auth_jwks_url: str | None = Field(
        default=None, description="the province identity provider's JWKS URL (production)"
    )
    auth_shared_secret: SecretStr | None = Field(
        default=None, description="HS256 token secret, ≥ 32 bytes: the embedded stack only"
    )
    master_key: SecretStr | None = Field(
        default=None,
        description="32 random bytes in base64 that wrap every person's data key; required "
        "to serve (docs/operations.md, the master key)",
    )
    auth_issuer: str = Field(default="chibo-embedded", description="expected `iss` claim")
    auth_audience: str = Field(default="chibo", description="expected `aud` claim")
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    stream_replicas: int = Field(default=1, ge=1, le=5)
    duplicate_window_seconds: float = Field(default=600.0, gt=0)
    relay_batch_size: int = Field(default=1000, ge=1, le=10_000)
    relay_poll_seconds: float = Field(default=0.05, gt=0, le=60)
    # Messages per fetch (client side). Deliveries before parking and the ack wait are part
    # of each durable consumer's server configuration: they change with its versioned name.
    consumer_batch_size: int = Field(default=256, ge=1, le=4096)
    # A read model's switched-out generation stays readable this long, so every instance
    # has looked (every 5 s) and moved to the new one before it is dropped.
    read_model_retire_seconds: float = Field(default=30.0, ge=0, le=3600)
    db_pool_size: int = Field(default=10, ge=1, le=200)
    idempotency_window_seconds: float = Field(
        default=86_400.0,
        gt=0,
        description="how long a command's Idempotency-Key and its answer are kept (24 h)",
    )
    retention_file: str | None = Field(
        default=None,
        description="the deployment's retention policy (TOML, deploy/retention.toml); by "
        "default the periods proposed in docs/privacy.md, section 7",
    )
    # Deadlines of the service's own pool: a database that refuses, hangs or is saturated
    # answers 503 in seconds instead of holding requests. Operator commands (rebuild,
    # import, migrate) open their own connections without the statement deadline.
    db_connect_timeout_seconds: float = Field(
        default=5.0, gt=0, le=300, description="opening a connection, TLS and sign-in included"
    )
    db_acquire_timeout_seconds: float = Field(
        default=5.0, gt=0, le=300, description="waiting for a pooled connection, free or new"
    )
    db_statement_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="PostgreSQL's statement_timeout; the client gives up a second later",
    )

    @field_validator("database_url", "keyring_database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not value.startswith(("postgresql://", "postgres://", "postgresql+asyncpg://")):
            raise ValueError("must be a postgresql:// URL")
        return value

    @field_validator("nats_url")
    @classmethod
    def _nats_url(cls, value: str) -> str:
        for url in value.split(","):
            if not url.strip().startswith(("nats://", "tls://", "ws://", "wss://")):
                raise ValueError("must be nats://host:port (comma-separated for a cluster)")
        return value

    @field_validator(
        "auth_jwks_url", "auth_shared_secret", "master_key", "keyring_database_url", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # Compose passes `${VAR:-}` through as "": the same as not set.
        return None if value == "" else value

    @field_validator("auth_jwks_url")
    @classmethod
    def _jwks_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s):// URL")
        return value

    @field_validator("auth_shared_secret")
    @classmethod
    def _secret_length(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) < 32:
            raise ValueError("needs at least 32 bytes (e.g. `openssl rand -hex 32`)")
        return value

    @field_validator("master_key")
    @classmethod
    def _master_key_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            MasterKey.parse(value.get_secret_value())  # its ValueError names no secret
        return value

    def master(self) -> MasterKey:
        """The master key a serving process needs, or a ConfigurationError saying so."""
        if self.master_key is None:
            raise ConfigurationError(MASTER_KEY_VARIABLE, NOT_SET)
        return MasterKey.parse(self.master_key.get_secret_value())

    @property
    def keyring_url(self) -> str:
        """Where the service's data keys live: the province's keyring database, or its own."""
        return self.keyring_database_url or self.database_url

    @property
    def nats_servers(self) -> list[str]:
        return [u.strip() for u in self.nats_url.split(",")]


def _variable_name(cls: type[KernelSettings], loc: tuple[object, ...]) -> str:
    field_name = str(loc[0]) if loc else "?"
    field = cls.model_fields.get(field_name)
    if field is None:  # pydantic names a field read through aliases by its first alias
        field = next(
            (f for f in cls.model_fields.values() if field_name in _choices(f.validation_alias)),
            None,
        )
        if field is None:
            return field_name
    alias = getattr(field, "validation_alias", None) if field else None
    choices = getattr(alias, "choices", None)
    if choices:
        return " or ".join(str(c) for c in choices)
    if isinstance(alias, str):
        return alias
    prefix = str(cls.model_config.get("env_prefix", ""))
    return f"{prefix}{field_name}".upper()


def load_settings(cls: type[S]) -> S:
    """Build settings or raise ConfigurationError naming the first bad variable."""
    try:
        return cls()
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise ConfigurationError(_variable_name(cls, tuple(first["loc"])), first["msg"]) from None


def settings_or_exit(cls: type[S]) -> S:
    """For entry points: one clear line on stderr and exit status 2."""
    try:
        return load_settings(cls)
    except ConfigurationError as exc:
        print(f"chibo: {exc.message_en}", file=sys.stderr)
        raise SystemExit(2) from None


def _choices(alias: object) -> list[str]:
    return [str(c) for c in getattr(alias, "choices", None) or []]


T = TypeVar("T")


def configured_or_exit(build: Callable[[], T]) -> T:
    """For entry points: a configuration error found while composing the service (say, no
    way to verify sign-in tokens) is one line on stderr and exit status 2, as for settings;
    a file's error (a subclass, e.g. the retention policy's) adds its Vietnamese line."""
    try:
        return build()
    except ConfigurationError as exc:
        print(f"chibo: {exc.message_en}", file=sys.stderr)
        if type(exc) is not ConfigurationError:
            print(f"chibo: {exc.message_vi}", file=sys.stderr)
        raise SystemExit(2) from None

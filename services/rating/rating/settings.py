"""The rating service's settings: the kernel's, with its own database and port."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from chibo_chassis import KernelSettings


class RatingSettings(KernelSettings):
    database_url: str = Field(
        validation_alias=AliasChoices("CHIBO_RATING_DATABASE_URL", "CHIBO_DATABASE_URL"),
        description="PostgreSQL URL of the rating service's own database",
    )
    http_port: int = Field(
        default=8103,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("CHIBO_RATING_HTTP_PORT", "CHIBO_HTTP_PORT"),
    )
    rules_dir: str | None = Field(
        default=None,
        validation_alias=AliasChoices("CHIBO_RATING_RULES_DIR"),
        description="a directory of rule-set files (*.toml) that override or add to the "
        "reviewed defaults shipped with the service",
    )

"""The attendance service's settings: the kernel's, with its own database and port."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from chibo_chassis import KernelSettings


class AttendanceSettings(KernelSettings):
    database_url: str = Field(
        validation_alias=AliasChoices("CHIBO_ATTENDANCE_DATABASE_URL", "CHIBO_DATABASE_URL"),
        description="PostgreSQL URL of the attendance service's own database",
    )
    http_port: int = Field(
        default=8102,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("CHIBO_ATTENDANCE_HTTP_PORT", "CHIBO_HTTP_PORT"),
    )

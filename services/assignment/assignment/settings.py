"""The assignment service's settings: the kernel's, with its own database variable and how
long a member import job may go silent before it reads as interrupted."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from chibo_chassis import KernelSettings


class AssignmentSettings(KernelSettings):
    database_url: str = Field(
        validation_alias=AliasChoices("CHIBO_ASSIGNMENT_DATABASE_URL", "CHIBO_DATABASE_URL"),
        description="PostgreSQL URL of the assignment service's own database",
    )
    http_port: int = Field(
        default=8101,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("CHIBO_ASSIGNMENT_HTTP_PORT", "CHIBO_HTTP_PORT"),
    )
    import_job_stale_seconds: float = Field(
        default=60.0,
        gt=0,
        le=86_400,
        description="a running member import job not written for this long (its heartbeat "
        "comes every quarter of it) reads as interrupted: the instance running it stopped",
    )

"""Alembic migrations for the kernel's tables, applied by a command, never at import.

Services add their own version locations on top of this one (see `upgrade`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config

KERNEL_VERSIONS = Path(__file__).parent / "versions"


def alembic_config(database_url: str, extra_locations: Sequence[Path] = ()) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    locations = [str(KERNEL_VERSIONS), *(str(p) for p in extra_locations)]
    config.set_main_option("version_locations", " ".join(locations))
    config.set_main_option("path_separator", "space")
    config.attributes["database_url"] = database_url
    return config


def upgrade(
    database_url: str, extra_locations: Sequence[Path] = (), revision: str = "heads"
) -> None:
    """Apply migrations synchronously (alembic's env runs its own event loop)."""
    command.upgrade(alembic_config(database_url, extra_locations), revision)


async def upgrade_async(
    database_url: str, extra_locations: Sequence[Path] = (), revision: str = "heads"
) -> None:
    await asyncio.to_thread(upgrade, database_url, extra_locations, revision)

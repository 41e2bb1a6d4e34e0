"""The rating service's migrations, applied on top of the kernel's."""

from __future__ import annotations

from pathlib import Path

from chibo_kernel.migrations import upgrade as kernel_upgrade

VERSIONS = Path(__file__).parent / "versions"


def upgrade(database_url: str) -> None:
    kernel_upgrade(database_url, extra_locations=[VERSIONS])

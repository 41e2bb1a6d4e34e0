"""`python -m chibo_tools.districts.meo_vac --assignment URL --attendance URL --rating URL
[--token T]`: see `van_ban/cli.py` for the sign-in."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..van_ban.cli import main as run_cli
from .enter import generate
from .plan import DEFAULTS


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli(
        argv,
        prog="chibo_tools.districts.meo_vac",
        description="Generate the Mèo Vạc district of the seeds and its year 2023 through the "
        "running services' APIs; print the 'chi bộ bốn tốt' roll-up and the time each phase "
        "took.",
        defaults=DEFAULTS,
        generate=generate,
    )


if __name__ == "__main__":
    sys.exit(main())

"""`python -m chibo_tools.districts.dinh_lap --assignment URL --attendance URL --rating URL
[--token T]`: see `van_ban/cli.py` for the sign-in."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from chibo_tools.districts.van_ban.cli import main as run_cli

from .generate import generate
from .plan import DEFAULTS


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli(
        argv,
        prog="chibo_tools.districts.dinh_lap",
        description="Generate the Đình Lập district of the seeds and its year 2020 through the "
        "running services' APIs; print the roll-up, the following and the time each phase took.",
        defaults=DEFAULTS,
        generate=generate,
    )


if __name__ == "__main__":
    sys.exit(main())

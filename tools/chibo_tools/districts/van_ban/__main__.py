"""`python -m chibo_tools.districts.van_ban --assignment URL --attendance URL --rating URL
[--token T]`: see `cli.py` for the sign-in."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .cli import main as run_cli
from .generate import generate
from .plan import DEFAULTS


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli(
        argv,
        prog="chibo_tools.districts.van_ban",
        description="Generate the Văn Bàn district of the seeds and its year 2021 through the "
        "running services' APIs; print the roll-up and the time each phase took.",
        defaults=DEFAULTS,
        generate=generate,
    )


if __name__ == "__main__":
    sys.exit(main())

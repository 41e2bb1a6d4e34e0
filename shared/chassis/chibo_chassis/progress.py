"""A progress bar on stderr for the long commands an operator runs from a shell."""

from __future__ import annotations

import sys

BAR = 30


def draw(done: int, total: int, what: str) -> None:
    """Redraw the bar in place: `[#####.....] 120/400 <what>`."""
    filled = BAR * done // total if total else BAR
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} {what}")
    sys.stderr.flush()

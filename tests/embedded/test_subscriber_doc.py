"""docs/events/README.md's subscriber example, run as written against `./chibo up`: the
one change is the state directory, which the test session puts elsewhere than `.stack`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from demo_stack import Up

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "events" / "README.md"


def documented_commands(anchor: str) -> str:
    """The first shell block after `anchor` in the document."""
    text = DOC.read_text()
    found = re.search(r"```sh\n(.*?)```", text[text.index(anchor) :], re.S)
    assert found, f"no shell block after {anchor!r} in {DOC}"
    return found.group(1)


def test_the_documented_subscriber_reads_the_demo_branchs_events_as_the_subscriber(
    demo_up: Up,
) -> None:
    commands = documented_commands("Against the embedded stack")
    assert ".stack/subscriber.env" in commands
    script = commands.replace(".stack/", f"{demo_up.root}/")
    ran = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(demo_up.root)},  # nothing from this session
    )
    assert ran.returncode == 0, ran.stderr
    printed = re.search(r"# (\d+) event\(s\)", ran.stderr)
    assert printed, ran.stderr
    assert int(printed.group(1)) > 0
    assert "meeting" in ran.stdout
    # Names travel sealed: the demo's members never appear in what another system reads.
    assert "Đảng viên 05" not in ran.stdout

"""Under root the embedded PostgreSQL runs as `nobody`, which must reach its binaries: from a
private directory they are run from a root-owned copy anyone may search, checked by what its
`postgres --version` prints; where even that fails, one line says what to do."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from chibo_tools.embedded.pg_binaries import (
    CACHE_PARENT,
    bin_dir_for,
    postgres_bin_dir,
    postgres_version,
)
from chibo_tools.embedded.postgres import UNPRIVILEGED_USER
from chibo_tools.embedded.processes import StartupError

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="only root runs postgres as nobody")


@pytest.fixture
def private_bin_dir() -> Iterator[Path]:
    """The wheel's two trees, hard-linked (as cheap as a link) into a 0700 directory."""
    site = postgres_bin_dir().parents[2]
    holder = Path(tempfile.mkdtemp(prefix="chibo-private-site-"))
    try:
        for tree in ("pgserver/pginstall", "pgserver.libs"):
            if (site / tree).is_dir():
                shutil.copytree(site / tree, holder / tree, symlinks=True, copy_function=os.link)
        yield holder / "pgserver" / "pginstall" / "bin"
    finally:
        shutil.rmtree(holder, ignore_errors=True)


@pytest.fixture
def cache_parent() -> Iterator[Path]:
    """A cache of this test's own, beside the real one, so the copy is made here and now."""
    parent = Path(tempfile.mkdtemp(prefix="chibo-pg-test-", dir=CACHE_PARENT))
    try:
        yield parent
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def test_binaries_nobody_can_reach_are_used_in_place(cache_parent: Path) -> None:
    source = postgres_bin_dir()
    if postgres_version(source, UNPRIVILEGED_USER) is None:
        pytest.skip(f"{source} is private here: the next test covers it")
    assert bin_dir_for(UNPRIVILEGED_USER, source, cache_parent) == source
    assert not any(cache_parent.iterdir())


def test_private_binaries_run_from_a_root_owned_copy_anyone_can_search(
    private_bin_dir: Path, cache_parent: Path
) -> None:
    os.chmod(cache_parent, 0o755)
    assert postgres_version(private_bin_dir, UNPRIVILEGED_USER) is None

    used = bin_dir_for(UNPRIVILEGED_USER, private_bin_dir, cache_parent)

    (cache,) = cache_parent.iterdir()
    assert cache.name.startswith("chibo-pg-")
    assert used == cache / "pgserver" / "pginstall" / "bin"
    info = cache.stat()
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (0, 0o755)
    version = postgres_version(private_bin_dir, None)
    assert version is not None
    assert version.startswith("postgres (PostgreSQL) ")
    assert postgres_version(used, UNPRIVILEGED_USER) == version
    # The next start finds the same copy complete and uses it as it is.
    assert bin_dir_for(UNPRIVILEGED_USER, private_bin_dir, cache_parent) == used
    assert list(cache_parent.iterdir()) == [cache]


def test_a_copy_nobody_can_reach_either_ends_in_one_line_saying_what_to_do(
    private_bin_dir: Path, cache_parent: Path
) -> None:
    assert stat.S_IMODE(cache_parent.stat().st_mode) == 0o700  # as mkdtemp makes it

    with pytest.raises(StartupError) as failed:
        bin_dir_for(UNPRIVILEGED_USER, private_bin_dir, cache_parent)

    message = str(failed.value)
    assert "\n" not in message
    assert message.startswith(
        f"postgres runs as 'nobody' (we are root) and cannot run {private_bin_dir}/postgres, "
        "nor a copy of it ("
    )
    assert "`chmod o+x /" in message
    assert "to a directory other users can search" in message


def test_two_starts_making_the_same_copy_at_once_both_use_the_one_that_lands(
    private_bin_dir: Path, cache_parent: Path
) -> None:
    os.chmod(cache_parent, 0o755)
    with ThreadPoolExecutor(max_workers=2) as pool:
        used = list(pool.map(lambda _: bin_dir_for("nobody", private_bin_dir, cache_parent), "ab"))

    assert used[0] == used[1]
    assert [path.name for path in cache_parent.iterdir()] == [used[0].parents[2].name]

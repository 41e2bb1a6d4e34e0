"""The PostgreSQL binaries of the pgserver wheel, where the server's account can run them.

Under root the server runs as `nobody`, which must search every directory on the way to its
binaries. A checkout in a private directory (root's home, a 0700 temp dir) hides the
virtualenv's copy, so the wheel's tree is mirrored once into a root-owned cache that anyone
may traverse, /var/tmp/chibo-pg-<hash of the tree>, and run from there. Either place counts
only once the account has run its `postgres --version` and printed the wheel's version.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

from .processes import StartupError

CACHE_PARENT = Path("/var/tmp")  # survives reboots on most systems; /tmp is often cleaned
_STAMP = ".complete"
_ENV = {"LC_ALL": "C", "LANG": "C", "PATH": "/usr/bin:/bin"}


def postgres_bin_dir() -> Path:
    """bin/ of the PostgreSQL build inside the pgserver package.

    Located without importing pgserver, whose import creates lock files and warns about
    XDG_RUNTIME_DIR as a side effect.
    """
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the pgserver package (bundled PostgreSQL) is not installed")
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (bin_dir / "postgres").is_file():
        raise FileNotFoundError(f"no postgres binary in {bin_dir}")
    return bin_dir


@functools.cache
def runnable_bin_dir(user: str | None) -> Path:
    """The wheel's bin/ if `user` (None: ourselves) can run it there, else the cache's."""
    source = postgres_bin_dir()
    if user is None or pwd.getpwnam(user).pw_uid == os.geteuid():
        return source
    return bin_dir_for(user, source, CACHE_PARENT)


def bin_dir_for(user: str, source: Path, cache_parent: Path) -> Path:
    """source itself when `user` can run its postgres, else a verified mirror in
    cache_parent. Raises StartupError with one line saying what to do when neither works."""
    expected = postgres_version(source, None)
    if expected is None or postgres_version(source, user) == expected:
        return source  # if even we cannot run it, starting it says why, with its output
    # source is <site-packages>/pgserver/pginstall/bin; its binaries find the libraries the
    # wheel repaired at $ORIGIN/../../../pgserver.libs, so both trees keep their places.
    site = source.parents[2]
    trees = [Path("pgserver/pginstall"), Path("pgserver.libs")]
    trees = [tree for tree in trees if (site / tree).is_dir()]
    hidden = _private_ancestor(source)
    try:
        cache = _mirror(site, trees, cache_parent, expected)
    except OSError as exc:
        why = f"cannot fill {cache_parent}: {exc}"
        raise StartupError(_advice(user, source, hidden, why)) from exc
    mirrored = cache / "pgserver" / "pginstall" / "bin"
    found = postgres_version(mirrored, user)
    if found != expected:
        why = f"{mirrored} is out of its reach too"
        if found is not None:
            why = f"{mirrored}/postgres answered {found!r} instead of {expected!r}"
        raise StartupError(_advice(user, source, hidden, why))
    return mirrored


def postgres_version(bin_dir: Path, user: str | None) -> str | None:
    """What `postgres --version` prints when `user` runs it (None: ourselves); None if it
    cannot run. --version is answered before postgres refuses root, so root may ask too."""
    account = pwd.getpwnam(user) if user is not None else None
    try:
        result = subprocess.run(
            [bin_dir / "postgres", "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            env=_ENV,
            cwd="/",
            user=account.pw_uid if account else None,
            group=account.pw_gid if account else None,
            extra_groups=[] if account else None,
        )
    except OSError:  # not searchable or not executable for that account
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _mirror(site: Path, trees: list[Path], cache_parent: Path, version: str | None) -> Path:
    """cache_parent/chibo-pg-<hash>: root-owned, 0755, filled once and renamed into place."""
    cache = cache_parent / f"chibo-pg-{_fingerprint(site, trees, version)}"
    if _trusted(cache):
        return cache
    if os.path.lexists(cache):  # never made by this code, which renames only finished ones
        raise OSError(f"{cache} is not a complete copy made by this user; remove it")
    building = Path(tempfile.mkdtemp(prefix=".chibo-pg-", dir=cache_parent))
    try:
        for tree in trees:
            shutil.copytree(
                site / tree, building / tree, symlinks=True, copy_function=_link_or_copy
            )
        for directory, _, _ in os.walk(building):
            os.chmod(directory, 0o755)
        (building / _STAMP).write_text(f"{version}\n")
        try:
            os.rename(building, cache)
        except OSError:
            if not _trusted(cache):  # else a concurrent run finished the same copy first
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return cache


def _trusted(cache: Path) -> bool:
    """Complete, and nobody but us could have written it (/var/tmp is world-writable)."""
    try:
        info = cache.lstat()
    except FileNotFoundError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.geteuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        and (cache / _STAMP).is_file()
    )


def _link_or_copy(source: str, target: str) -> None:
    """A hard link when the file is already readable (and runnable) by all and written only
    by us, which costs nothing on the same filesystem; else a copy with those modes."""
    info = os.stat(source)
    wanted = 0o755 if info.st_mode & stat.S_IXUSR else 0o644
    if stat.S_IMODE(info.st_mode) == wanted and info.st_uid == os.geteuid():
        try:
            os.link(source, target)
            return
        except OSError:  # another filesystem, or links refused: copy instead
            pass
    shutil.copy2(source, target)
    os.chmod(target, wanted)


def _fingerprint(site: Path, trees: list[Path], version: str | None) -> str:
    """Names, sizes and contents of the trees: a rebuilt or different wheel gets its own."""
    digest = hashlib.sha256(f"{version}\n".encode())
    for tree in trees:
        for path in sorted((site / tree).rglob("*")):
            if path.is_symlink():
                digest.update(f"{path.relative_to(site)} -> {os.readlink(path)}\n".encode())
            elif path.is_file():
                digest.update(f"{path.relative_to(site)} {path.stat().st_size}\n".encode())
                with open(path, "rb") as handle:
                    digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()[:16]


def _private_ancestor(path: Path) -> Path | None:
    """The first directory on the way to path that others may not search."""
    for ancestor in reversed(path.resolve().parents):
        if not ancestor.stat().st_mode & stat.S_IXOTH:
            return ancestor
    return None


def _advice(user: str, source: Path, hidden: Path | None, why: str) -> str:
    fix = f"`chmod o+x {hidden}` or move the checkout" if hidden else "move the checkout"
    return (
        f"postgres runs as {user!r} (we are root) and cannot run {source}/postgres, nor a "
        f"copy of it ({why}); {fix} to a directory other users can search "
        f"(chưa chạy được PostgreSQL: hãy cấp quyền o+x hoặc chuyển thư mục mã nguồn)"
    )

"""Child processes that never outlive us.

Every started ManagedProcess sits in a registry until it has been reaped; an atexit hook stops
whatever is left. When Python never gets to run that hook (SIGKILL, segfault, os._exit) the
kernel's parent-death signal (PR_SET_PDEATHSIG) takes the children down instead.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from types import FrameType

_PR_SET_PDEATHSIG = 1


class StartupError(RuntimeError):
    """A child process failed to start or to become ready (the message carries its log tail)."""


class ShutdownRequested(BaseException):
    """Raised in the main thread on SIGINT/SIGTERM inside shutdown_on_signals().

    A BaseException so that `except Exception` in library code cannot swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"received {signal.Signals(signum).name}")
        self.signum = signum


class ManagedProcess:
    """A subprocess with its output in a log file, stopped by pid only and always reaped.

    env is merged over the current environment. user switches to that account (requires
    root); it is applied before the parent-death signal is armed because a uid change
    would clear it.
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str | os.PathLike[str]],
        *,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        user: str | None = None,
        cwd: Path | None = None,
        stop_signal: signal.Signals = signal.SIGTERM,
        death_signal: signal.Signals = signal.SIGKILL,
    ) -> None:
        self.name = name
        self.argv = [os.fspath(arg) for arg in argv]
        self.log_path = Path(log_path)
        self.env = dict(env) if env is not None else None
        self.user = user
        self.cwd = cwd
        self.stop_signal = stop_signal
        self.death_signal = death_signal
        self._popen: subprocess.Popen[bytes] | None = None

    def __repr__(self) -> str:
        return f"<ManagedProcess {self.name} pid={self.pid} running={self.running}>"

    @property
    def pid(self) -> int | None:
        """Pid of the current (or last) run; None if never started."""
        return self._popen.pid if self._popen is not None else None

    @property
    def running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return self._popen.poll() if self._popen is not None else None

    def start(self) -> None:
        if self.running:
            raise RuntimeError(f"{self.name} is already running (pid {self.pid})")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.env} if self.env is not None else None
        switch_user = self.user is not None and not _is_current_user(self.user)
        if switch_user and os.geteuid() != 0:
            raise PermissionError(f"{self.name}: running as user {self.user!r} requires root")
        preexec = _pdeathsig_preexec(self.death_signal)
        with open(self.log_path, "ab") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {self.name}: ".encode())
            log.write(f"{' '.join(self.argv)}\n".encode())
            log.flush()

            def spawn() -> subprocess.Popen[bytes]:
                return subprocess.Popen(
                    self.argv,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd=self.cwd,
                    user=self.user if switch_user else None,
                    group=_primary_gid(self.user) if switch_user and self.user else None,
                    extra_groups=[] if switch_user else None,
                    # Own process group: a terminal Ctrl-C reaches only us, and we stop the
                    # children in order instead of having them all race to exit.
                    process_group=0,
                    preexec_fn=preexec,
                )

            self._popen = _spawn(spawn)
        _register(self)

    def wait(self, timeout: float | None = None) -> int:
        """Wait for exit; raises subprocess.TimeoutExpired like Popen.wait."""
        if self._popen is None:
            raise RuntimeError(f"{self.name} was never started")
        code = self._popen.wait(timeout)
        _unregister(self)
        return code

    def stop(self, timeout: float = 10.0, sig: signal.Signals | None = None) -> int | None:
        """Send the stop signal, SIGKILL after `timeout` seconds, and reap. Idempotent."""
        popen = self._popen
        if popen is None:
            return None
        try:
            if popen.poll() is None:
                popen.send_signal(sig if sig is not None else self.stop_signal)
                try:
                    return popen.wait(timeout)
                except subprocess.TimeoutExpired:
                    popen.kill()
            return popen.wait()
        finally:
            # Only forget it once reaped: an interrupted stop must still be retried at exit.
            if popen.returncode is not None:
                _unregister(self)

    def kill(self) -> int | None:
        """SIGKILL and reap."""
        return self.stop(timeout=0, sig=signal.SIGKILL)

    def log_tail(self, lines: int = 40) -> str:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(0, log.tell() - 32_768))
                data = log.read()
        except OSError as exc:
            return f"(no log: {exc})"
        return "\n".join(data.decode("utf-8", "replace").splitlines()[-lines:])


def wait_until_ready(
    process: ManagedProcess, probe: Callable[[], bool], *, timeout: float, what: str
) -> None:
    """Poll probe() until it returns True; fail fast if the process dies, or at the deadline.

    On failure the process is killed so that nothing half-started lingers.
    """
    deadline = time.monotonic() + timeout
    while True:
        if not process.running:
            raise StartupError(
                f"{process.name} exited with code {process.returncode} before {what}; "
                f"log {process.log_path}:\n{process.log_tail()}"
            )
        if probe():
            return
        if time.monotonic() > deadline:
            process.kill()
            raise StartupError(
                f"{process.name} (pid {process.pid}) did not reach '{what}' within {timeout:g}s; "
                f"log {process.log_path}:\n{process.log_tail()}"
            )
        time.sleep(0.02)


# --- registry ---------------------------------------------------------------------------

_registry_lock = threading.Lock()
_registry: dict[int, ManagedProcess] = {}  # id -> process, in start order


def _register(process: ManagedProcess) -> None:
    with _registry_lock:
        _registry[id(process)] = process


def _unregister(process: ManagedProcess) -> None:
    with _registry_lock:
        _registry.pop(id(process), None)


def live_processes() -> list[ManagedProcess]:
    """Started processes that have not been reaped yet, in start order."""
    with _registry_lock:
        return list(_registry.values())


def stop_all(timeout: float = 10.0) -> None:
    """Stop every registered process, newest first (dependents before what they depend on)."""
    for process in reversed(live_processes()):
        try:
            process.stop(timeout)
        except Exception as exc:  # keep going: the others must still be stopped
            print(f"chibo: failed to stop {process.name}: {exc!r}", file=sys.stderr)


atexit.register(stop_all)


@contextlib.contextmanager
def shutdown_on_signals(
    signums: Sequence[signal.Signals] = (signal.SIGINT, signal.SIGTERM),
) -> Iterator[None]:
    """Within the block, the first SIGINT/SIGTERM raises ShutdownRequested in the main thread.

    Later signals are ignored so they cannot interrupt the cleanup the first one started. On
    the way out every registered process is stopped and the previous handlers are restored.
    Only for programs that own the process (the CLI): it replaces e.g. pytest's handlers.
    """
    received = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal received
        if received:
            return
        received = True
        raise ShutdownRequested(signum)

    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        received = True
        try:
            stop_all()
        finally:
            for signum, old in previous.items():
                signal.signal(signum, old)


# --- spawning ---------------------------------------------------------------------------


def _is_current_user(user: str) -> bool:
    import pwd

    return pwd.getpwnam(user).pw_uid == os.geteuid()


def _primary_gid(user: str) -> int:
    import pwd

    return pwd.getpwnam(user).pw_gid


_prctl: Callable[..., int] | None = None


def _pdeathsig_preexec(sig: signal.Signals) -> Callable[[], None] | None:
    """A preexec_fn arming PR_SET_PDEATHSIG; None off Linux (best effort there)."""
    global _prctl
    if not sys.platform.startswith("linux"):
        return None
    if _prctl is None:
        # Resolved in the parent: the forked child must not dlopen or allocate much.
        prctl = ctypes.CDLL(None, use_errno=True).prctl
        prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
        prctl.restype = ctypes.c_int
        _prctl = prctl
    prctl_fn = _prctl
    parent = os.getpid()
    signum = int(sig)

    def preexec() -> None:
        if prctl_fn(_PR_SET_PDEATHSIG, signum, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        # The parent may have died between fork and prctl; then nobody would signal us.
        if os.getppid() != parent:
            os.kill(os.getpid(), signum)

    return preexec


# The parent-death signal fires when the *thread* that forked the child exits, not the process.
# Spawns from other threads (asyncio.to_thread, executors) therefore go through one daemon
# thread that lives as long as the process does.
_SpawnRequest = tuple[Callable[[], "subprocess.Popen[bytes]"], "Future[subprocess.Popen[bytes]]"]
_spawn_queue: queue.SimpleQueue[_SpawnRequest] = queue.SimpleQueue()
_spawner_lock = threading.Lock()
_spawner: threading.Thread | None = None


def _spawn(factory: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    global _spawner
    if threading.current_thread() is threading.main_thread():
        return factory()
    with _spawner_lock:
        if _spawner is None:
            _spawner = threading.Thread(target=_spawner_loop, name="chibo-spawner", daemon=True)
            _spawner.start()
    future: Future[subprocess.Popen[bytes]] = Future()
    _spawn_queue.put((factory, future))
    return future.result()


def _spawner_loop() -> None:
    while True:
        factory, future = _spawn_queue.get()
        try:
            future.set_result(factory())
        except BaseException as exc:
            future.set_exception(exc)

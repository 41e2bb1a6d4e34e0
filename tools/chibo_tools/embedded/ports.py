"""Free TCP ports on the loopback interface."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable

HOST = "127.0.0.1"

# Default ports of a developer's own NATS (client, cluster, monitor) and Postgres: an embedded
# stack must never shadow or collide with servers that may already run on the box.
_RESERVED = frozenset({4222, 6222, 8222, 5432})

_lock = threading.Lock()
_handed_out: set[int] = set()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now.

    The socket is closed before returning, so another process could grab the port before our
    server binds it; the window is tiny. Ports are never handed out twice by this process,
    because the kernel happily returns a just-closed port again.
    """
    with _lock:
        for _ in range(200):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.bind((HOST, 0))
                port: int = sock.getsockname()[1]
            if port not in _RESERVED and port not in _handed_out:
                _handed_out.add(port)
                return port
    raise RuntimeError(f"could not find a free TCP port on {HOST}")


def reserve(ports: Iterable[int]) -> None:
    """Never hand these out: they are planned for servers that have not bound them yet."""
    with _lock:
        _handed_out.update(ports)


def is_reserved(port: int) -> bool:
    """A default port of a developer's own NATS or Postgres, which a stack never takes."""
    return port in _RESERVED


def is_free(port: int) -> bool:
    """Nothing listens on 127.0.0.1:port. SO_REUSEADDR as the servers bind: connections
    of a server that just stopped (TIME_WAIT) do not count, a listening socket does."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True

"""Real NATS and Postgres servers as child processes, for development and tests."""

from .nats import EmbeddedNats
from .ports import free_port
from .postgres import EmbeddedPostgres, create_database, ensure_service_database
from .processes import ManagedProcess, ShutdownRequested, StartupError
from .stack import DEFAULT_SERVICES, Stack

__all__ = [
    "DEFAULT_SERVICES",
    "EmbeddedNats",
    "EmbeddedPostgres",
    "ManagedProcess",
    "ShutdownRequested",
    "Stack",
    "StartupError",
    "create_database",
    "ensure_service_database",
    "free_port",
]

"""The services in-process on real PostgreSQL and NATS, as their own tests start them (a
database each, one NATS of the test's own): the same fixtures, imported."""

from attendance_service.conftest import both
from rating_service.conftest import trio

__all__ = ["both", "trio"]

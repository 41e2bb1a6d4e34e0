"""What every query is given: the service's own read models, and the member import jobs
(kept in the database, whichever instance runs them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chibo_kernel.pool import LeanPool

from ..import_jobs import ImportJobs


@dataclass(frozen=True)
class Reads:
    pool: Callable[[], LeanPool]
    jobs: ImportJobs

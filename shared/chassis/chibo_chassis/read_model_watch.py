"""Whether the service's own read models were built by the projection the code holds.

Checked at start and then with the dependency checks, so `chibo_read_model_outdated`
drops to 0 soon after an operator's rebuild (which runs in another process)."""

from __future__ import annotations

from chibo_kernel.logging import get_logger
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool
from chibo_kernel.read_models import OwnReadModels, built_version

log = get_logger("chibo.read_models")


class ReadModelWatch:
    def __init__(self, service: str, spec: OwnReadModels, metrics: KernelMetrics) -> None:
        self._service, self._spec, self._metrics = service, spec, metrics
        self._warned = False

    async def check(self, pool: LeanPool) -> None:
        built = await built_version(pool, self._spec.name, self._spec.version)
        outdated = built < self._spec.version
        self._metrics.read_model_outdated.labels(self._spec.name).set(int(outdated))
        if outdated and not self._warned:
            self._warned = True
            log.warning(
                "read models built by an older projection: they serve, but lack what the "
                "new one writes until rebuilt",
                read_model=self._spec.name,
                built_by=built,
                code=self._spec.version,
                command=f"chibo-{self._service} rebuild",
            )

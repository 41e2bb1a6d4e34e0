"""A minimal service on the kernel's runtime and HTTP app, built the way the real ones are.

Run as a process: toy_service.py SERVICE PORT (settings from CHIBO_* variables).
"""

from __future__ import annotations

import sys
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, FastAPI, Header, Path
from pydantic import BaseModel, ConfigDict, Field

sys.path.insert(0, str(FilePath(__file__).resolve().parents[1]))

from chibo_chassis import KernelSettings
from chibo_chassis.auth import verifier_from
from chibo_chassis.http import create_app
from chibo_chassis.runtime import ServiceRuntime
from kernel.support import event_models


class Happening(BaseModel):
    model_config = ConfigDict(extra="forbid")
    n: int = Field(ge=0, le=1000)


class Recorded(BaseModel):
    version: int


def build(service: str, settings: KernelSettings) -> tuple[FastAPI, ServiceRuntime]:
    happened, _, _ = event_models(service)
    runtime = ServiceRuntime(service, settings)
    router = APIRouter()

    @router.post("/things/{thing_id}/happenings", status_code=201)
    async def record(
        thing_id: Annotated[str, Path(pattern=r"^[a-z0-9]{1,32}$")],
        body: Happening,
        expected_version: Annotated[int, Header(alias="If-Match", ge=0)],
    ) -> Recorded:
        version = await runtime.store.append(
            f"thing-{thing_id}", expected_version, [happened(n=body.n)]
        )
        return Recorded(version=version)

    app = create_app(
        title=f"toy {service}",
        version="0",
        metrics=runtime.metrics,
        checks=runtime.checks(),
        verifier=verifier_from(settings),
        routers=[router],
        lifespan=runtime.lifespan,
    )
    return app, runtime


if __name__ == "__main__":
    import uvicorn

    from chibo_chassis import settings_or_exit
    from chibo_kernel.logging import configure_logging

    service, port = sys.argv[1], int(sys.argv[2])
    configure_logging(service)
    app, _ = build(service, settings_or_exit(KernelSettings))
    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, timeout_graceful_shutdown=15)

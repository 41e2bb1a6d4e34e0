"""Running a service's app: uvicorn with the kernel's logging (not uvicorn's) and a graceful
shutdown long enough for consumers and the relay to finish the batch in hand."""

from __future__ import annotations

from fastapi import FastAPI

from ..settings import KernelSettings

GRACEFUL_SHUTDOWN_SECONDS = 20


def serve(app: FastAPI, settings: KernelSettings) -> None:
    import uvicorn

    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,  # the request context writes the access line, as JSON
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )

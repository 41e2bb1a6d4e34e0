"""Structured JSON logs, one object per line, carrying the correlation id when one is in force.

FastStream's and nats' chatty INFO loggers are turned down: two INFO lines per message
halve throughput.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog
import structlog.tracebacks
from structlog.typing import EventDict, WrappedLogger

from .context import _current


def _add_trace(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    trace = _current.get()
    if trace is not None:
        event_dict.setdefault("correlation_id", trace.correlation_id)
        if trace.causation_id:
            event_dict.setdefault("causation_id", trace.causation_id)
    return event_dict


def configure_logging(service: str, level: str = "INFO") -> None:
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        _add_trace,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    structlog.configure(
        processors=[
            *shared,
            # Never a frame's local variables: they hold names, card numbers and texts.
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    logging.basicConfig(
        level=max(numeric, logging.WARNING), stream=sys.stdout, format="%(message)s"
    )
    for noisy in ("faststream", "nats", "asyncio", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)

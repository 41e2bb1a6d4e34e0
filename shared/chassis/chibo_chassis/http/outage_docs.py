"""The outage answer in every service's OpenAPI document: any operation that touches the
database or NATS may answer 503 with `Retry-After`, and a client generated from the document
should know to wait and retry rather than treat it as a bug."""

from __future__ import annotations

from typing import Any

from chibo_kernel.outages import DATABASE, KEYRING, NATS

from .middleware import OPEN_PATHS
from .problems import MEDIA_TYPE, RETRY_AFTER_SECONDS

RESPONSE_NAME = "DependencyUnavailable"
RESPONSE_REF = {"$ref": f"#/components/responses/{RESPONSE_NAME}"}

OPENAPI_RESPONSE: dict[str, Any] = {
    "description": "PostgreSQL, the keyring or NATS cannot be reached, or a database deadline "
    "passed: nothing was done. Retry after `Retry-After` seconds with the same "
    "`Idempotency-Key` · Dịch vụ tạm thời không kết nối được cơ sở dữ liệu hoặc máy chủ tin "
    "nhắn; chưa có gì được ghi, hãy thử lại với cùng khóa.",
    "headers": {
        "Retry-After": {
            "description": "seconds to wait before retrying",
            "schema": {"type": "integer", "example": RETRY_AFTER_SECONDS},
        }
    },
    "content": {
        MEDIA_TYPE: {
            "schema": {
                "type": "object",
                "required": ["type", "status", "code", "detail", "detail_vi", "dependency"],
                "properties": {
                    "type": {
                        "type": "string",
                        "example": "urn:chibo:problem:dependency_unavailable",
                    },
                    "title": {"type": "string"},
                    "status": {"type": "integer", "enum": [503]},
                    "code": {"type": "string", "enum": ["dependency_unavailable"]},
                    "detail": {"type": "string"},
                    "detail_vi": {"type": "string"},
                    "correlation_id": {"type": "string"},
                    "dependency": {"type": "string", "enum": [DATABASE, NATS, KEYRING]},
                    "retry_after": {"type": "integer"},
                },
            }
        }
    },
}


def declare_outage_answer(schema: dict[str, Any]) -> None:
    """Every operation but the open probes and metrics, which never wait on a dependency."""
    schema.setdefault("components", {}).setdefault("responses", {})[RESPONSE_NAME] = (
        OPENAPI_RESPONSE
    )
    for path, operations in schema.get("paths", {}).items():
        if path in OPEN_PATHS:
            continue
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("503", dict(RESPONSE_REF))

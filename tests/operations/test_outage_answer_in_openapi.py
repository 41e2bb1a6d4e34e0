"""Every operation of every service documents the outage answer (503 with `Retry-After`),
read from each service's OpenAPI document as built from the code, and the documented body
is the one the services send."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chibo_chassis.http.middleware import OPEN_PATHS
from chibo_chassis.http.outage_docs import OPENAPI_RESPONSE, RESPONSE_REF
from chibo_chassis.http.problems import MEDIA_TYPE, unavailable
from chibo_kernel.outages import DATABASE, Outage
from chibo_tools.service_docs import openapi_document

SERVICES = ("assignment", "attendance", "rating")
DOCUMENTS = {service: openapi_document(service) for service in SERVICES}


def operations() -> list[Any]:
    return [
        pytest.param(service, path, method, id=f"{service} {method.upper()} {path}")
        for service, document in DOCUMENTS.items()
        for path, methods in document["paths"].items()
        if path not in OPEN_PATHS
        for method in methods
    ]


@pytest.mark.parametrize(("service", "path", "method"), operations())
def test_the_operation_documents_the_outage_answer(service: str, path: str, method: str) -> None:
    document = DOCUMENTS[service]
    assert document["paths"][path][method]["responses"]["503"] == RESPONSE_REF
    name = RESPONSE_REF["$ref"].rsplit("/", 1)[1]
    assert "Retry-After" in document["components"]["responses"][name]["headers"]


def test_the_documented_body_is_the_one_an_outage_answers() -> None:
    answer = unavailable(Outage(DATABASE, "connection refused"))
    body = json.loads(bytes(answer.body))
    documented = OPENAPI_RESPONSE["content"][MEDIA_TYPE]["schema"]
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == str(body["retry_after"])
    assert set(documented["required"]) <= set(body)
    assert set(body) <= set(documented["properties"])

"""Every command route of every service declares `Idempotency-Key`: the cases are the
operations of each service's OpenAPI document, built from the code, so a new route is
checked the day it is added."""

from __future__ import annotations

from typing import Any

import pytest

from chibo_chassis.http.idempotency import COMMAND_METHODS, HEADER
from chibo_tools.service_docs import openapi_document

SERVICES = ("assignment", "attendance", "rating")
DOCUMENTS = {service: openapi_document(service) for service in SERVICES}


def command_operations() -> list[Any]:
    return [
        pytest.param(service, path, method, id=f"{service} {method.upper()} {path}")
        for service, document in DOCUMENTS.items()
        for path, operations in document["paths"].items()
        for method in operations
        if method.upper() in COMMAND_METHODS
    ]


def resolved(document: dict[str, Any], parameter: dict[str, Any]) -> dict[str, Any]:
    ref = parameter.get("$ref")
    if ref is None:
        return parameter
    found: Any = document
    for part in ref.removeprefix("#/").split("/"):
        found = found[part]
    return dict(found)


def test_every_service_has_command_routes_to_check() -> None:
    services = {param.values[0] for param in command_operations()}
    assert services == set(SERVICES)


@pytest.mark.parametrize(("service", "path", "method"), command_operations())
def test_the_command_route_declares_the_idempotency_key_header(
    service: str, path: str, method: str
) -> None:
    document = DOCUMENTS[service]
    parameters = [
        resolved(document, p) for p in document["paths"][path][method].get("parameters", [])
    ]
    declared = [p for p in parameters if p.get("name") == HEADER]
    assert len(declared) == 1, f"{method.upper()} {path} does not declare {HEADER}"
    assert declared[0]["in"] == "header"
    assert declared[0]["required"] is False

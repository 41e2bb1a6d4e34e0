"""Every GET route that answers a person's data declares it (`reads_personal_data`), so each
read is logged: the cases are the GET operations of each service's OpenAPI document, built
from the code, so a route added tomorrow is checked the day it is added. A route whose
answer names a member (a field such as `member_id` or `full_name` anywhere in its schema),
or that lies under /members, /followers or /audit, must carry the declaration; every other
GET route must be listed below as reading none, with the reason."""

from __future__ import annotations

from typing import Any

import pytest

from chibo_chassis.http.personal_reads import EXTENSION
from chibo_chassis.http.purposes import HEADER, PURPOSES
from chibo_tools.service_docs import openapi_document

SERVICES = ("assignment", "attendance", "rating")
DOCUMENTS = {service: openapi_document(service) for service in SERVICES}
# Fields that name or describe a person wherever they appear in an answer.
PERSONAL_FIELDS = frozenset(
    {
        "member_id",
        "member_ids",
        "full_name",
        "card_number",
        "birth_date",
        "mentor_id",
        "follower_id",
        "guest_id",
        "subjects",
        "absent_more_than_3_in_a_row",
        "members_without_households",
    }
)
PERSONAL_PATHS = ("/v1/members/", "/v1/followers/", "/v1/audit/")
# GET routes that read no one's personal data, and why.
READS_NO_PERSONAL_DATA = {
    ("assignment", "/v1/units/{province_id}/visit-quotas"): "a province's quotas per level",
    ("assignment", "/v1/org-tree"): "the organisation units' names and kinds",
    ("rating", "/v1/admin/read-models"): "the read models' generations and lag",
    ("rating", "/v1/units/{unit_id}/branches/{year}"): "units' figures, counts per level",
    ("rating", "/v1/units/{unit_id}/rollup/{year}"): "counts under a unit",
    ("rating", "/v1/rule-sets/{year}"): "the published rules",
    ("rating", "/v1/units/{unit_id}/titles/{year}"): "units' multi-year titles",
}


def get_operations() -> list[Any]:
    return [
        pytest.param(service, path, id=f"{service} GET {path}")
        for service, document in DOCUMENTS.items()
        for path, operations in document["paths"].items()
        if "get" in operations and path.startswith("/v1/")
    ]


def fields_in(document: dict[str, Any], schema: Any, seen: set[str] | None = None) -> set[str]:
    """Every property name anywhere in a schema, its $refs followed."""
    seen = set() if seen is None else seen
    found: set[str] = set()
    if isinstance(schema, list):
        for item in schema:
            found |= fields_in(document, item, seen)
    elif isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            seen.add(ref)
            target: Any = document
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
            found |= fields_in(document, target, seen)
        found |= set(schema.get("properties", {}))
        for value in schema.values():
            found |= fields_in(document, value, seen)
    return found


def answer_fields(service: str, path: str) -> set[str]:
    document = DOCUMENTS[service]
    content = document["paths"][path]["get"]["responses"].get("200", {}).get("content", {})
    return fields_in(document, [c.get("schema") for c in content.values()])


def test_there_are_get_routes_to_check_in_every_service() -> None:
    assert {param.values[0] for param in get_operations()} == set(SERVICES)


@pytest.mark.parametrize(("service", "path"), get_operations())
def test_a_get_route_answering_a_persons_data_declares_it(service: str, path: str) -> None:
    operation = DOCUMENTS[service]["paths"][path]["get"]
    personal = answer_fields(service, path) & PERSONAL_FIELDS
    under = [prefix for prefix in PERSONAL_PATHS if path.startswith(prefix)]
    declared = operation.get(EXTENSION)
    if personal or under:
        assert declared, (
            f"GET {path} answers {sorted(personal) or under}: declare it with "
            "@reads_personal_data(purpose) so that every read is logged"
        )
    elif not declared:
        assert (service, path) in READS_NO_PERSONAL_DATA, (
            f"GET {path} is neither declared with @reads_personal_data nor listed here as "
            "reading no personal data: decide which, and say why"
        )


@pytest.mark.parametrize(("service", "path"), get_operations())
def test_a_declared_route_takes_a_purpose_from_the_list(service: str, path: str) -> None:
    operation = DOCUMENTS[service]["paths"][path]["get"]
    declared = operation.get(EXTENSION)
    if not declared:
        assert (service, path) in READS_NO_PERSONAL_DATA
        return
    assert declared["default_purpose"] in PURPOSES
    (header,) = [p for p in operation["parameters"] if p["name"] == HEADER]
    assert (header["in"], header["required"]) == ("header", False)
    assert [code for code in header["schema"]["enum"] if code] == list(PURPOSES)


def test_the_routes_listed_as_reading_no_personal_data_exist_and_are_not_declared() -> None:
    for service, path in READS_NO_PERSONAL_DATA:
        operation = DOCUMENTS[service]["paths"][path]["get"]
        assert EXTENSION not in operation, f"{service} GET {path} is declared after all"

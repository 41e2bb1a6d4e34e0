"""A service's committed contract documents, generated from its code.

    docs/api/<service>.openapi.json              the HTTP API (FastAPI's OpenAPI document)
    docs/events/<service>/<event_type>.json      one JSON Schema per event type

Each service has a small entry point that builds its app and calls `write_documents`; a
unit test calls `stale_documents` with the same arguments and fails while the committed
files differ from what the code would generate. The output is deterministic (sorted keys,
two-space indent, UTF-8, trailing newline), so a diff shows only real contract changes.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from chibo_chassis.settings import KernelSettings
from chibo_kernel.envelope import dataschema_for
from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import PRIVACY_KEY

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
PUBLISHED_KEY = "x-chibo-published"


S = TypeVar("S", bound=KernelSettings)


def offline_settings(cls: type[S]) -> S:
    """Settings to compose a service's app with, only to read its OpenAPI document: it
    never connects, and its token verifier never verifies (whatever the environment says)."""
    return cls.model_validate(
        {
            "database_url": "postgresql://docs@127.0.0.1:1/docs",
            "nats_url": "nats://127.0.0.1:1",
            "auth_shared_secret": "docs-only-" + "0" * 32,
            "auth_jwks_url": None,
            # An app composed only to be read never seals or opens a field.
            "master_key": base64.b64encode(bytes(32)).decode(),
        }
    )


def event_schema(model: type[DomainEvent]) -> dict[str, Any]:
    """The JSON Schema of an event's data (the message body), identified by its type.

    `$id` equals the `ce-dataschema` header the relay sends with the event; `title` is the
    event type; `x-chibo-published` is false for private events, which never leave the
    owning service's store and live only in streams whose category ends with `_private`.
    """
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = dataschema_for(model.event_type)
    schema["title"] = model.event_type
    schema[PUBLISHED_KEY] = bool(model.published)
    return schema


def render(document: Any) -> str:
    """The committed text of a document: the one serialisation every generator uses."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def openapi_path(service: str) -> Path:
    return Path("docs", "api", f"{service}.openapi.json")


def events_dir(service: str) -> Path:
    return Path("docs", "events", service)


def expected_documents(
    service: str, openapi: dict[str, Any], registry: Iterable[type[DomainEvent]]
) -> dict[Path, str]:
    """Every document of a service, relative path → text, as the code defines them now."""
    documents = {openapi_path(service): render(openapi)}
    for model in sorted(registry, key=lambda m: m.event_type):
        if model.service() != service:
            raise ValueError(f"{model.event_type} does not belong to service {service!r}")
        documents[events_dir(service) / f"{model.event_type}.json"] = render(event_schema(model))
    return documents


class PublishedSchemaChanged(Exception):
    """A committed event schema would change in place: consumers already depend on it."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(
            "published event schemas are immutable: " + ", ".join(paths) + ". Keep these "
            "types as they are and add new versions (…v<N+1>) for the changed facts."
        )
        self.paths = paths


def write_documents(
    out_root: Path, service: str, openapi: dict[str, Any], registry: Iterable[type[DomainEvent]]
) -> list[Path]:
    """Write the API document and any new event schema; returns the paths written.

    A committed event schema is the contract other systems code against: it is never
    rewritten or deleted. If the code's schema for a committed type differs, nothing of it
    is written and PublishedSchemaChanged names the types that need a new version.
    """
    documents = expected_documents(service, openapi, registry)
    changed = changed_contracts(out_root, service, registry)
    written = []
    for relative, text in documents.items():
        path = out_root / relative
        if relative.as_posix() in changed:
            continue
        committed = path.is_file() and relative != openapi_path(service)
        if committed and path.read_text(encoding="utf-8") == text:
            continue  # committed contract, unchanged (one differing only in its privacy marks
            # is rewritten: they annotate, what is valid stays the same)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(path)
    if changed:
        raise PublishedSchemaChanged(changed)
    return written


def stale_documents(
    out_root: Path, service: str, openapi: dict[str, Any], registry: Iterable[type[DomainEvent]]
) -> list[str]:
    """Documents to regenerate: the API document if it differs, event schemas not committed
    yet or whose privacy marks changed. Changed or vanished committed schemas are not
    "stale": see the two checks below."""
    stale = []
    api = out_root / openapi_path(service)
    if not api.is_file() or api.read_text(encoding="utf-8") != render(openapi):
        stale.append(openapi_path(service).as_posix())
    for relative, text in expected_documents(service, openapi, registry).items():
        path = out_root / relative
        if relative == openapi_path(service):
            continue
        if not path.is_file() or _marks_only(path.read_text(encoding="utf-8"), text):
            stale.append(relative.as_posix())
    return sorted(stale)


def _contract(text: str) -> Any:
    """A schema as consumers decode it: the privacy marks (`chibo_kernel.privacy`) say
    what a value reveals about a person and leave what is valid unchanged, so marking a
    published field is no new version."""

    def unmarked(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: unmarked(v) for k, v in node.items() if k != PRIVACY_KEY}
        return [unmarked(v) for v in node] if isinstance(node, list) else node

    return unmarked(json.loads(text))


def _marks_only(committed: str, generated: str) -> bool:
    return committed != generated and _contract(committed) == _contract(generated)


def changed_contracts(
    out_root: Path, service: str, registry: Iterable[type[DomainEvent]]
) -> list[str]:
    """Committed event schemas the code now describes differently."""
    changed = []
    for model in registry:
        relative = events_dir(service) / f"{model.event_type}.json"
        path = out_root / relative
        if path.is_file() and _contract(path.read_text(encoding="utf-8")) != _contract(
            render(event_schema(model))
        ):
            changed.append(relative.as_posix())
    return sorted(changed)


def dropped_contracts(
    out_root: Path, service: str, registry: Iterable[type[DomainEvent]]
) -> list[str]:
    """Committed event types the code no longer defines: stored events of those types could
    no longer be decoded, and subscribers would lose a type they were promised."""
    defined = {m.event_type for m in registry}
    return sorted(
        p.stem for p in _committed_event_files(out_root, service) if p.stem not in defined
    )


def _committed_event_files(out_root: Path, service: str) -> set[Path]:
    directory = out_root / events_dir(service)
    if not directory.is_dir():
        return set()
    return {events_dir(service) / p.name for p in directory.glob("*.json") if p.is_file()}


def find_repo_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` that holds `docs/` or `.git`."""
    for directory in (start, *start.parents):
        if (directory / "docs").is_dir() or (directory / ".git").exists():
            return directory
    return None

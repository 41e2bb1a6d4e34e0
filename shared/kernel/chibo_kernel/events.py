"""Domain events: frozen, closed pydantic models with a pinned, versioned type name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from .errors import UnknownEventType

# chibo.<service>.<event_name>.v<N>: the service and event tokens become NATS subject tokens.
EVENT_TYPE_PATTERN = re.compile(r"^chibo\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[1-9][0-9]*$")


class DomainEvent(BaseModel):
    """A past-tense fact. Metadata (ids, time, actor) lives in the envelope, never here."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)

    event_type: ClassVar[str]
    # False keeps the event in the owning service's store (the truth) but off the public
    # stream: for personal data such as card numbers that no subscriber needs. The store
    # appends a private event only to a stream whose category ends with `_private` (its own
    # aggregate, e.g. `member_private-42`), and a published one never there: consumers apply
    # version N only after N-1, so published streams must have no unpublished versions.
    published: ClassVar[bool] = True
    # The field naming the person whose data key encrypts this event's personal and
    # sensitive fields (see `privacy`); None when the event marks no such field.
    data_subject: ClassVar[str | None] = None
    # True on a published event: its personal and sensitive fields are sealed under the data
    # subject's key as stored, and so on the stream; consumers, which share the province's
    # keyring, open them as they decode, and read None once the person is erased.
    sealed_on_stream: ClassVar[bool] = False
    # The field naming a person whose data key this event reports destroyed (an erasure's
    # tombstone): a consumer drops that key from its process's cache as it receives it, so
    # nothing there is opened under the key for the rest of the cache's lifetime.
    erases_subject: ClassVar[str | None] = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        name = cls.__dict__.get("event_type")
        if name is None:
            return  # an abstract intermediate class
        if not EVENT_TYPE_PATTERN.match(name):
            raise TypeError(f"{cls.__name__}.event_type {name!r} must look like chibo.svc.name.v1")

    @classmethod
    def service(cls) -> str:
        return cls.event_type.split(".")[1]

    @classmethod
    def short_name(cls) -> str:
        return cls.event_type.split(".")[2]

    @classmethod
    def version(cls) -> str:
        return cls.event_type.split(".")[3]


class EventRegistry:
    """Maps type names to models. Built explicitly by each service's composition root."""

    def __init__(self, models: Iterable[type[DomainEvent]] = ()) -> None:
        self._models: dict[str, type[DomainEvent]] = {}
        for model in models:
            self.register(model)

    def register(self, model: type[DomainEvent]) -> type[DomainEvent]:
        existing = self._models.get(model.event_type)
        if existing is not None and existing is not model:
            raise ValueError(f"event type {model.event_type} registered twice")
        self._models[model.event_type] = model
        return model

    def __contains__(self, event_type: object) -> bool:
        return event_type in self._models

    def __iter__(self) -> Any:
        return iter(self._models.values())

    def model_for(self, event_type: str) -> type[DomainEvent]:
        try:
            return self._models[event_type]
        except KeyError:
            raise UnknownEventType(event_type) from None

    def decode(self, event_type: str, data: bytes | str | dict[str, Any]) -> DomainEvent:
        model = self.model_for(event_type)
        if isinstance(data, dict):
            return model.model_validate(data)
        return model.model_validate_json(data)

"""The pieces of crypto-shredding that need no database: the field envelope, the master
key's format and id, its setting, and decoding an event whose fields were erased."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ClassVar

import pytest
from cryptography.exceptions import InvalidTag
from pydantic import BaseModel, SecretStr, field_validator

from chibo_chassis import KernelSettings, load_settings
from chibo_kernel import DomainEvent, EventRegistry
from chibo_kernel.errors import ConfigurationError
from chibo_kernel.keyring import MasterKey, new_master_key_text
from chibo_kernel.keyring.cipher import (
    DataKey,
    associated_data,
    is_sealed,
    new_data_key,
    seal,
    unseal,
)
from chibo_kernel.privacy import PERSONAL, SENSITIVE
from chibo_kernel.store.erasure import decode_stored
from chibo_tools.embedded.master_key import stack_master_key

BASE: dict[str, Any] = {
    "database_url": "postgresql://u@127.0.0.1:1/db",
    "nats_url": "nats://127.0.0.1:1",
}
AAD = associated_data("chibo.x.noted.v1", "reason", "m-1")


class Place(BaseModel):
    commune: str


class Noted(DomainEvent):
    event_type: ClassVar[str] = "chibo.unit.noted.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str] = "member_id"
    member_id: str
    born: Annotated[date, PERSONAL]
    reason: Annotated[str, SENSITIVE]
    at: Place
    on: date

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("blank")
        return value


@pytest.mark.parametrize("value", ["Lò Văn Pao", 42, 1.5, True, ["a", 1], {"k": [None]}])
def test_a_sealed_value_opens_to_what_was_sealed(value: object) -> None:
    key = DataKey(new_data_key())

    envelope = seal(key, value, AAD)

    assert is_sealed(envelope)
    assert envelope.startswith("enc:v1:")
    assert unseal(key, envelope, AAD) == value
    assert seal(key, value, AAD) != envelope  # a fresh nonce every time


def test_a_sealed_value_opens_only_with_its_key_and_where_it_was_sealed() -> None:
    key = DataKey(new_data_key())
    envelope = seal(key, "0123456789", AAD)

    for elsewhere in (
        associated_data("chibo.x.noted.v1", "card_number", "m-1"),  # another field
        associated_data("chibo.x.noted.v1", "reason", "m-2"),  # another person
        associated_data("chibo.x.other.v1", "reason", "m-1"),  # another event
    ):
        with pytest.raises(InvalidTag):
            unseal(key, envelope, elsewhere)
    with pytest.raises(InvalidTag):
        unseal(DataKey(new_data_key()), envelope, AAD)
    with pytest.raises(InvalidTag):
        unseal(key, envelope[:-4] + "AAAA", AAD)


def test_a_master_key_is_named_by_an_id_that_reveals_nothing_of_it() -> None:
    text = new_master_key_text()
    key = MasterKey.parse(text)

    assert key.id == MasterKey.parse(f"  {text}\n").id  # the same key, the same id
    assert key.id.startswith("mk-")
    assert key.id != MasterKey.generate().id
    assert text not in repr(key)
    assert key.id in repr(key)
    wrapped = key.wrap(b"k" * 32, "m-1")
    assert key.unwrap(wrapped, "m-1") == b"k" * 32
    with pytest.raises(InvalidTag):
        key.unwrap(wrapped, "m-2")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not base64 at all!", "is not base64"),
        (base64.b64encode(b"short").decode(), "holds 5 bytes, not 32"),
        (base64.b64encode(b"x" * 64).decode(), "holds 64 bytes, not 32"),
    ],
)
def test_a_malformed_master_key_setting_names_the_variable_not_the_value(
    text: str, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {**BASE, "master_key": text}.items():
        monkeypatch.setenv(f"CHIBO_{name.upper()}", value)

    with pytest.raises(ConfigurationError) as refused:
        load_settings(KernelSettings)

    assert refused.value.variable == "CHIBO_MASTER_KEY"
    assert problem in refused.value.message_en
    assert text not in refused.value.message_en
    assert "openssl rand -base64 32" in refused.value.message_en


def test_a_serving_process_without_a_master_key_is_told_how_to_make_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHIBO_MASTER_KEY", "")  # as compose passes an unset ${VAR:-}
    settings = KernelSettings(**BASE)

    with pytest.raises(ConfigurationError) as refused:
        settings.master()

    assert refused.value.message_en.startswith("configuration error: CHIBO_MASTER_KEY: not set")
    text = new_master_key_text()
    assert KernelSettings(**BASE, master_key=SecretStr(text)).master().id == (
        MasterKey.parse(text).id
    )


def test_an_erased_event_decodes_with_none_and_the_rest_validated() -> None:
    registry = EventRegistry([Noted])
    data = '{"member_id":"m-1","born":null,"reason":null,"at":{"commune":"VL"},"on":"2025-01-05"}'

    event = decode_stored(registry, Noted.event_type, data, frozenset({"born", "reason"}))

    assert type(event) is Noted
    assert isinstance(event, Noted)
    assert event.model_dump(include={"born", "reason"}) == {"born": None, "reason": None}
    assert event.at == Place(commune="VL")
    assert event.on == date(2025, 1, 5)
    assert {"born", "reason"} <= event.model_fields_set
    with pytest.raises(ValueError, match="Input should be a valid date"):
        decode_stored(
            registry, Noted.event_type, data.replace("2025-01-05", "soon"), frozenset({"born"})
        )


def test_the_embedded_stack_keeps_its_master_key_while_its_root_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHIBO_MASTER_KEY", raising=False)

    made, where = stack_master_key(tmp_path)

    assert MasterKey.parse(made).id  # a valid key
    assert (tmp_path / "master.key").stat().st_mode & 0o777 == 0o600
    assert stack_master_key(tmp_path) == (made, where)  # the next start reads the same
    monkeypatch.setenv("CHIBO_MASTER_KEY", new_master_key_text())
    assert stack_master_key(tmp_path)[0] != made  # the operator's own key wins

"""The master key: the one secret a service is given, which wraps every data subject's key.

`CHIBO_MASTER_KEY` holds 32 random bytes in base64 (`openssl rand -base64 32`). Its id is
derived from the key itself and stored beside every key it wraps, so a service started
with another master key names both ids instead of failing on a garbled key, and so a
rotation can tell which rows still need re-wrapping.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import ConfigurationError

MASTER_KEY_VARIABLE = "CHIBO_MASTER_KEY"
KEY_BYTES = 32
NONCE_BYTES = 12
# A hash of the key under a label of its own: naming the key reveals nothing usable about it.
_ID_LABEL = b"chibo master key id\x00"
# The placeholder of .env.example: public, so a service that runs with it says so.
EXAMPLE_KEY = b"change-me:openssl-rand-base64-32"


class MasterKey:
    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"a master key has {KEY_BYTES} bytes, not {len(key)}")
        self.id = "mk-" + hashlib.sha256(_ID_LABEL + key).hexdigest()[:16]
        self._aead = AESGCM(key)

    @property
    def is_example(self) -> bool:
        return self.id == MasterKey(EXAMPLE_KEY).id

    def __repr__(self) -> str:
        return f"MasterKey({self.id})"  # never the key

    @classmethod
    def parse(cls, text: str) -> MasterKey:
        """From the variable's text; ValueError says what is wrong, never echoing the value."""
        try:
            key = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(
                f"is not base64: give {KEY_BYTES} random bytes in base64 "
                f"(`openssl rand -base64 {KEY_BYTES}`)"
            ) from None
        if len(key) != KEY_BYTES:
            raise ValueError(
                f"holds {len(key)} bytes, not {KEY_BYTES}: give {KEY_BYTES} random bytes in "
                f"base64 (`openssl rand -base64 {KEY_BYTES}`)"
            )
        return cls(key)

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    @classmethod
    def from_environment(cls) -> MasterKey:
        """`$CHIBO_MASTER_KEY`, or a ConfigurationError naming the variable."""
        text = os.environ.get(MASTER_KEY_VARIABLE, "")
        if not text.strip():
            raise ConfigurationError(MASTER_KEY_VARIABLE, NOT_SET)
        try:
            return cls.parse(text)
        except ValueError as exc:
            raise ConfigurationError(MASTER_KEY_VARIABLE, str(exc)) from None

    def wrap(self, data_key: bytes, subject: str) -> bytes:
        """nonce | AES-GCM(data key), bound to its subject: a row copied onto another
        subject does not open."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data_key, subject.encode())

    def unwrap(self, wrapped: bytes, subject: str) -> bytes:
        """Raises InvalidTag when the row was not wrapped by this key for this subject."""
        data_key = self._aead.decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], subject.encode()
        )
        if len(data_key) != KEY_BYTES:
            raise InvalidTag()
        return data_key


NOT_SET = (
    f"not set: give {KEY_BYTES} random bytes in base64 (`openssl rand -base64 {KEY_BYTES}`), "
    "the same to every instance of the service, kept as a secret and in the province's key "
    "escrow: events written under it cannot be read without it (docs/operations.md)"
)


def new_master_key_text() -> str:
    """A fresh value for `CHIBO_MASTER_KEY`."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()

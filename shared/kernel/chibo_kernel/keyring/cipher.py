"""One field's value under its data subject's key: "enc:v1:<base64(nonce | ciphertext)>".

The value is sealed as its JSON text, so a number, a list or a nested object comes back as
it went in. The associated data binds the ciphertext to the event type, the field and the
subject: a value copied into another field, event or person's row does not open.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .master import KEY_BYTES, NONCE_BYTES

PREFIX = "enc:v1:"
# How a sealed value starts inside a stored JSON document: a cheap test for a whole row.
SEALED_IN_JSON = f'"{PREFIX}'

DataKey = AESGCM
# One encoder for every call: json.dumps with options builds a new one each time.
to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def associated_data(event_type: str, field: str, subject: str) -> bytes:
    # Only the subject can hold a "|" (event types and field names cannot), and it is last.
    return f"{event_type}|{field}|{subject}".encode()


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(key: DataKey, value: Any, aad: bytes) -> str:
    plain = to_json(value).encode()
    nonce = secrets.token_bytes(NONCE_BYTES)
    return PREFIX + base64.b64encode(nonce + key.encrypt(nonce, plain, aad)).decode()


def unseal(key: DataKey, envelope: str, aad: bytes) -> Any:
    """The value sealed in `envelope`; InvalidTag when it was altered or bound elsewhere."""
    return json.loads(unseal_json(key, envelope, aad))


def unseal_json(key: DataKey, envelope: str, aad: bytes) -> str:
    """The JSON text of the value sealed in `envelope`."""
    try:  # strict, as b64decode(validate=True), without its regular expression
        raw = binascii.a2b_base64(envelope[len(PREFIX) :], strict_mode=True)
    except (binascii.Error, ValueError):
        raise InvalidTag() from None
    return key.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad).decode()

"""Crypto-shredding: personal data encrypted under a key per person, erased by destroying
the key (Personal Data Protection Law 91/2025/QH15: an erasure that prevents recovery,
over events that are never rewritten).

The stores encrypt the fields that `chibo_kernel.privacy` marks personal or sensitive in
private events (and in published ones that set `sealed_on_stream`), each under the key of
the event's `data_subject`, and decrypt them on load; consumers decrypt published ones as
they decode. After `destroy`, those fields read as None. Displays show `ERASED_VI` /
`ERASED_EN` there.

One keyring serves the province: every service reads `data_keys` from the same database
(`CHIBO_KEYRING_DATABASE_URL`, see `schema`), so one `destroy` makes a person's data
unreadable in every service's store and on every stream at once.
"""

from .base import KeyLookup, Keyring, KeyRow
from .cache import KeyCache
from .cipher import PREFIX, DataKey
from .errors import MissingDataKey, SubjectErased, UnreadableField, WrongMasterKey
from .master import MASTER_KEY_VARIABLE, MasterKey, new_master_key_text
from .memory import InMemoryKeyring
from .postgres import PostgresKeyring

ERASED_VI = "đã xóa"
ERASED_EN = "erased"

__all__ = [
    "ERASED_EN",
    "ERASED_VI",
    "MASTER_KEY_VARIABLE",
    "PREFIX",
    "DataKey",
    "InMemoryKeyring",
    "KeyCache",
    "KeyLookup",
    "KeyRow",
    "Keyring",
    "MasterKey",
    "MissingDataKey",
    "PostgresKeyring",
    "SubjectErased",
    "UnreadableField",
    "WrongMasterKey",
    "new_master_key_text",
]

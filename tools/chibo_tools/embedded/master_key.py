"""The stack's master key (CHIBO_MASTER_KEY), which wraps every person's data key.

Unlike the stack's passwords it is not new at every start: events written under one master
key cannot be read under another. It is kept in the stack's root (mode 0600) and reused
while that root lives; a key given in the environment wins, as an operator's would.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from .signin import write_private

VARIABLE = "CHIBO_MASTER_KEY"
MASTER_KEY_FILE = "master.key"


def stack_master_key(root: Path) -> tuple[str, str]:
    """(the key, where it came from)."""
    given = os.environ.get(VARIABLE, "").strip()
    if given:
        return given, f"${VARIABLE}"
    path = root / MASTER_KEY_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8").strip(), str(path)
    # base64 of 32 random bytes, made here so that the launcher needs no crypto library
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    write_private(path, key)
    return key, str(path)

"""The body of an erasure: its basis, one code of a closed list (labels from the domain)."""

from __future__ import annotations

from pydantic import Field

from chibo_chassis.http import Accepted as Accepted

from ..domain.erasure import BASES
from ..domain.events import ErasureBasis
from .schemas import Body

BASIS_LABELS = "; ".join(f"`{code}`: {en} · {vi}" for code, (en, vi) in BASES.items())


class EraseMember(Body):
    basis: ErasureBasis = Field(description=f"Why the erasure is lawful. {BASIS_LABELS}.")

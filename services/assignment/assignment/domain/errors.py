"""Rule violations the assignment domain refuses, each in Vietnamese and English."""

from __future__ import annotations

from chibo_kernel.errors import RuleViolation


def refuse(code: str, en: str, vi: str) -> RuleViolation:
    return RuleViolation(code, en, vi)

"""The checks every message of a public stream must pass, and what they found.

(a) its event type marks no field SENSITIVE (anywhere in it: an attendance mark's reason
    counts) and is not a private event (`published = False`) at all;
(b) no known sensitive value (`Needle`) appears anywhere in it: subject, header names and
    values, body (raw, and each JSON string decoded, so `\\u` escapes hide nothing); text
    compared in NFC and case-folded, a value matched as a whole word (a card number not
    inside a longer number), a short one as a whole string (see `Needles`);
(c) no JSON key that names a card number or a birth date holds a value.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chibo_kernel.events import DomainEvent

from .marks import dotted, sensitive_paths, strings, values_at
from .streams import Message, StreamRead

IDENTITY_KEY = re.compile(r"card|birth|cmnd|cccd|passport|date_of_birth|dob", re.IGNORECASE)


@dataclass(frozen=True)
class Needle:
    label: str  # what the value is, e.g. "excused-absence reason (attendance demo)"
    value: str


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


class Needles:
    """Values searched in one pass over a text: as whole words; a value of a word or two
    (`ốm`, `tốt`) only as a whole string (a JSON string, a header), since inside a longer
    text such a word is everyday language (a rule's "ốm đau"), not the value leaking; a
    long value (a paragraph) anywhere."""

    SHORT = 6  # characters
    LONG = 48

    def __init__(self, needles: Iterable[Needle]) -> None:
        self.by_value: dict[str, list[Needle]] = {}
        for needle in needles:
            if needle.value.strip():
                self.by_value.setdefault(fold(needle.value.strip()), []).append(needle)
        values = sorted(self.by_value, key=len, reverse=True)
        words = [v for v in values if self.SHORT <= len(v) < self.LONG]
        alternatives = "|".join(re.escape(v) for v in words) or r"(?!x)x"
        self._words = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        self._whole = {v for v in values if len(v) < self.SHORT}
        self._long = [v for v in values if len(v) >= self.LONG]

    def __len__(self) -> int:
        return len(self.by_value)

    def found_in(self, texts: Iterable[str]) -> set[str]:
        folded = [fold(text) for text in texts]
        joined = "\n".join(folded)
        found = {m.group(0) for m in self._words.finditer(joined)}
        found.update(value for value in self._long if value in joined)
        return found | {text.strip() for text in folded if text.strip() in self._whole}


@dataclass(frozen=True)
class Finding:
    kind: str
    stream: str
    event_type: str
    what: str
    where: str  # the first message that showed it


@dataclass
class Report:
    title: str
    streams: list[tuple[str, int]] = field(default_factory=list)  # (name, messages read)
    values_checked: int = 0
    judged: int = 0  # messages checked (a probe may leave out messages it cannot attribute)
    started: float = field(default_factory=time.monotonic)  # make it before reading
    seconds: float = 0.0  # reading and checking
    findings: dict[tuple[str, str, str, str], Finding] = field(default_factory=dict)
    counts: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)

    @property
    def messages(self) -> int:
        return sum(n for _, n in self.streams)

    def add(self, message: Message, kind: str, what: str) -> None:
        """One line per kind of leak and event type, naming the first message that showed it."""
        key = (kind, message.stream, message.event_type, what)
        self.findings.setdefault(key, Finding(kind, *key[1:], message.where))
        self.counts[key] += 1

    def failures(self) -> list[str]:
        return [
            f"{f.kind}: {f.event_type or '(no ce-type)'} {f.what} on {f.stream} "
            f"x{self.counts[key]} (first: {f.where})"
            for key, f in sorted(self.findings.items())
        ]

    def summary(self) -> str:
        streams = ", ".join(f"{name} {n}" for name, n in self.streams) or "none"
        head = (
            f"[{self.title}] streams: {len(self.streams)} ({streams}); messages read: "
            f"{self.messages}, checked: {self.judged}; sensitive values checked: "
            f"{self.values_checked}; findings: {self.counts.total()} in "
            f"{len(self.findings)} kinds; {self.seconds:.1f}s"
        )
        return "\n".join([head, *(f"    FINDING {line}" for line in self.failures())])


def probe(
    report: Report,
    streams: Sequence[StreamRead],
    models: dict[str, type[DomainEvent]],
    needles: Needles,
    judged: Callable[[Message], bool] | None = None,
) -> Report:
    """Check every message of `streams` (those `judged(message)` accepts, if given)."""
    report.values_checked += len(needles)
    for read in streams:
        report.streams.append((read.name, read.held))
        for message in read.messages:
            if judged is None or judged(message):
                report.judged += 1
                check_message(report, message, models, needles)
    report.seconds = time.monotonic() - report.started
    return report


def check_message(
    report: Report, message: Message, models: dict[str, type[DomainEvent]], needles: Needles
) -> None:
    body = _json(message.data)
    model = models.get(message.event_type)
    if model is None:
        report.add(message, "unknown event type", "(its marks cannot be checked)")
    else:
        if not model.published:
            report.add(message, "private event on a public stream", "")
        for path in sensitive_paths(model):
            holds = next(values_at(body, path), None) is not None
            report.add(message, "SENSITIVE field", f"{dotted(path)} ({_held(holds)})")
    for key in identity_keys(body):
        report.add(message, "card number or birth date", f"key {key!r}")
    texts = [message.subject, *message.headers, *message.headers.values()]
    texts.append(message.data.decode("utf-8", "replace"))
    texts.extend(strings(body))
    for value in sorted(needles.found_in(texts)):
        for needle in needles.by_value[value]:
            report.add(message, "sensitive value", f"{needle.label}: {needle.value!r}")


def _held(holds: bool) -> str:
    return "holding a value" if holds else "empty"


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def identity_keys(body: Any) -> list[str]:
    found = []
    if isinstance(body, dict):
        for key, value in body.items():
            if IDENTITY_KEY.search(str(key)) and value not in (None, "", [], {}):
                found.append(str(key))
            found += identity_keys(value)
    elif isinstance(body, list):
        for item in body:
            found += identity_keys(item)
    return found

"""A refusal that concerns members names them: people read full names in `detail` and
`detail_vi`, programs read the ids in the answer's `members` field.

The domain knows the names on the roster it checks against. Anyone else a refusal concerns
(someone off the roster, a guest from a higher committee) is named by whoever runs the
command, from the names the service holds for every member (`with_names`), before the
refusal is shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from chibo_kernel.errors import RuleViolation
from chibo_kernel.keyring import ERASED_VI

ERASED_EN = "erased"
UNKNOWN_EN = "someone unknown to this service"
UNKNOWN_VI = "người chưa có trong dữ liệu của dịch vụ"


class MembersRefused(RuleViolation):
    """Refused, naming the members concerned after `en` and `vi`, which say why."""

    def __init__(
        self,
        code: str,
        en: str,
        vi: str,
        member_ids: Iterable[str],
        names: Mapping[str, str],
    ) -> None:
        ids = set(member_ids)
        self.reason_en, self.reason_vi = en, vi
        self.names = {m: names[m] for m in ids if m in names}
        self.member_ids = sorted(ids, key=lambda m: (self.names.get(m, "\uffff"), m))
        shown = [self.names.get(m) for m in self.member_ids]
        super().__init__(
            code,
            f"{en}: {', '.join(_english(name) for name in shown)}",
            f"{vi}: {', '.join(_vietnamese(name) for name in shown)}",
        )
        # Extra fields of the problem+json answer (chibo_chassis.http.problems).
        self.details: dict[str, Any] = {
            "members": [{"member_id": m, "full_name": self.names.get(m)} for m in self.member_ids]
        }

    @property
    def unnamed(self) -> list[str]:
        return [m for m in self.member_ids if m not in self.names]

    def with_names(self, more: Mapping[str, str]) -> MembersRefused:
        """The same refusal, naming also the members found in `more`."""
        return MembersRefused(
            self.code, self.reason_en, self.reason_vi, self.member_ids, {**more, **self.names}
        )


def _english(name: str | None) -> str:
    if name is None:
        return UNKNOWN_EN
    return ERASED_EN if name == ERASED_VI else name


def _vietnamese(name: str | None) -> str:
    return UNKNOWN_VI if name is None else name

"""Rule violations the assignment domain refuses, each in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chibo_kernel.errors import RuleViolation


def refuse(code: str, en: str, vi: str) -> RuleViolation:
    return RuleViolation(code, en, vi)


class TakenByOthers(RuleViolation):
    """Households or a duty another member already holds. An aggregate knows the holders by
    id only; the application, which can read their names, says who (`naming`), since people
    are never named by id."""

    def __init__(
        self, code: str, lead: tuple[str, str], taken: Sequence[tuple[str, str, str]]
    ) -> None:
        self.lead = lead  # (en, vi): what is taken
        self.taken = list(taken)  # (what in English, what in Vietnamese, holder id)
        super().__init__(code, *self._texts({}))

    @property
    def holder_ids(self) -> list[str]:
        return sorted({holder for _, _, holder in self.taken})

    def naming(self, names: Mapping[str, str]) -> RuleViolation:
        return RuleViolation(self.code, *self._texts(names))

    def _texts(self, names: Mapping[str, str]) -> tuple[str, str]:
        en = ", ".join(f"{what} ({names.get(who, who)})" for what, _, who in self.taken)
        vi = ", ".join(f"{what} ({names.get(who, who)})" for _, what, who in self.taken)
        return f"{self.lead[0]}: {en}", f"{self.lead[1]}: {vi}"


class RefusedMember(RuleViolation):
    """A refusal about one member, whom an aggregate knows by id only: its texts hold
    `{name}` where the application, which can read their name, names them (`naming`)."""

    def __init__(self, code: str, member_id: str, en: str, vi: str) -> None:
        self.member_id = member_id
        self.texts = (en, vi)
        super().__init__(code, *self._texts(member_id))

    def naming(self, name: str) -> RuleViolation:
        return RuleViolation(self.code, *self._texts(name))

    def _texts(self, name: str) -> tuple[str, str]:
        en, vi = (text.replace("{name}", name) for text in self.texts)
        return en, vi

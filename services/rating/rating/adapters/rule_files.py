"""The reviewed rule-set files (`rating/rules/*.toml`), the Charter's rules shared with the
other services (`chibo_contracts/dieu_le.toml`), and a province's own files
(`CHIBO_RATING_RULES_DIR`): a file with the same `id` replaces a default, and a
`dieu_le.toml` there replaces the Charter's."""

from __future__ import annotations

import tomllib
from pathlib import Path

from chibo_contracts.charter import CHARTER_FILE

from ..domain.rule_book import RuleBook, RuleSetError, parse_charter, parse_rule_set
from ..domain.rule_set import Charter, RuleSet

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "rules"


def load_rule_book(override_dir: str | Path | None = None) -> RuleBook:
    found: dict[str, RuleSet] = {}
    charter: Charter = parse_charter(_read(CHARTER_FILE), CHARTER_FILE.name)
    for directory in (DEFAULT_DIR, *([Path(override_dir)] if override_dir else [])):
        if not Path(directory).is_dir():
            raise RuleSetError(f"rule-set directory {directory} does not exist")
        for path in sorted(Path(directory).glob("*.toml")):
            data = _read(path)
            if path.name == CHARTER_FILE.name:
                charter = parse_charter(data, path.name)
            else:
                rule_set = parse_rule_set(data, path.name)
                found[rule_set.id] = rule_set
    book = RuleBook(found.values(), charter)
    book.check_overlaps()
    return book


def _read(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleSetError(f"{path.name}: {exc}") from exc

"""The rule-set files: every entry cites its source, every year from 2018 has exactly one
set, and a file that breaks either is refused at load, naming the entry."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from chibo_contracts.charter import CHARTER_FILE
from rating.adapters.rule_files import DEFAULT_DIR, load_rule_book
from rating.domain.rule_book import NoRuleSet, RuleSetError, parse_rule_set

FILES = [*sorted(DEFAULT_DIR.glob("*.toml")), CHARTER_FILE]
HEADER = {"id", "title", "from_year", "to_year"}


def leaves(table: Mapping[str, Any], path: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in table.items():
        here = f"{path}.{key}" if path else key
        if isinstance(value, Mapping) and "value" not in value:
            yield from leaves(value, here)
        elif here not in HEADER:
            yield here, value


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_entry_of_every_rule_file_cites_its_source(path: Path) -> None:
    entries = list(leaves(tomllib.loads(path.read_text(encoding="utf-8"))))
    assert entries, f"{path.name} has no rule"
    uncited = [name for name, value in entries if not str(value.get("source", "")).strip()]
    assert uncited == [], f"{path.name}: entries without a source: {uncited}"


def test_each_year_from_2018_is_rated_by_exactly_one_set() -> None:
    book = load_rule_book()
    chosen = {year: book.for_year(year).id for year in range(2018, 2031)}
    assert chosen[2018] == "qd132-hd16"
    assert {chosen[y] for y in range(2019, 2023)} == {"qd132-hd21"}
    assert {chosen[y] for y in (2023, 2024)} == {"qd124-hd25"}
    assert {chosen[y] for y in range(2025, 2031)} == {"qd366-hd43"}
    with pytest.raises(NoRuleSet, match="a rule set for 2017"):
        book.for_year(2017)


def _default(name: str) -> dict[str, Any]:
    return tomllib.loads((DEFAULT_DIR / name).read_text(encoding="utf-8"))


def test_an_entry_without_its_source_is_refused_naming_it() -> None:
    data = _default("qd124_hd25_2023.toml")
    data["member"]["forced"]["tasks_done_below"] = {"value": 0.5}
    with pytest.raises(RuleSetError, match=r"member: forced: tasks_done_below: expected"):
        parse_rule_set(data, "province.toml")
    data["member"]["forced"]["tasks_done_below"] = {"value": 0.5, "source": " "}
    with pytest.raises(RuleSetError, match="must name the article"):
        parse_rule_set(data, "province.toml")


def test_an_unknown_entry_or_a_bare_number_is_refused() -> None:
    data = _default("qd124_hd25_2023.toml")
    data["member"]["good"]["min_points"] = {"value": 70, "source": "QĐ 999 Điều 1"}
    with pytest.raises(RuleSetError, match="unknown entries min_points"):
        parse_rule_set(data, "province.toml")
    data = _default("qd124_hd25_2023.toml")
    data["quota"]["excellent_of_good"] = 0.2
    with pytest.raises(RuleSetError, match="quota: excellent_of_good: expected"):
        parse_rule_set(data, "province.toml")


def test_a_province_file_with_the_same_id_replaces_the_default(tmp_path: Path) -> None:
    text = (DEFAULT_DIR / "qd124_hd25_2023.toml").read_text(encoding="utf-8")
    (tmp_path / "lao_cai.toml").write_text(
        text.replace("value = 0.20, source", "value = 0.15, source", 1), encoding="utf-8"
    )
    book = load_rule_book(tmp_path)
    assert book.for_year(2024).quota.excellent_of_good.value == 0.15
    assert book.for_year(2025).quota.excellent_of_good.value == 0.20


def test_two_sets_covering_one_year_stop_the_service_at_start(tmp_path: Path) -> None:
    text = (DEFAULT_DIR / "qd124_hd25_2023.toml").read_text(encoding="utf-8")
    (tmp_path / "lao_cai.toml").write_text(
        text.replace('id = "qd124-hd25"', 'id = "lao-cai-2023"'), encoding="utf-8"
    )
    with pytest.raises(RuleSetError, match=r"2 rule sets cover 2023 \(lao-cai-2023, qd124-hd25\)"):
        load_rule_book(tmp_path)

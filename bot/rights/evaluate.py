"""Measure search quality on the test question sets (used by the tests and the benchmark).

Three sets live in tests/data: `search_questions/*.yaml` (the first set), `people_questions.yaml`
(issue 11: written as people type, before reading the entries' keywords) and
`offtopic_questions.yaml` (questions the guide does not cover; `split` calib or heldout).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot import LOCALES
from bot.rights.search import FaqSearch

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "tests" / "data"
FIRST_SET = "search_questions"
PEOPLE_SET = "people_questions.yaml"
OFFTOPIC_SET = "offtopic_questions.yaml"


def load_set(name: str, data_dir: Path = DATA_DIR) -> list[dict]:
    path = data_dir / name
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    items: list[dict] = []
    for file in files:
        items.extend(yaml.safe_load(file.read_text(encoding="utf-8")))
    return items


@dataclass
class Rates:
    """Per language: how many questions were asked and how many passed; the failures."""

    asked: Counter[str] = field(default_factory=Counter)
    passed: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def rate(self, lang: str) -> float:
        return self.passed[lang] / self.asked[lang] if self.asked[lang] else 0.0

    def total(self) -> float:
        asked = sum(self.asked.values())
        return sum(self.passed.values()) / asked if asked else 0.0

    def line(self, lang: str) -> str:
        return f"{self.passed[lang]}/{self.asked[lang]} = {self.rate(lang):.1%}"

    def languages(self) -> list[str]:
        return [lang for lang in LOCALES if self.asked[lang]]


def top3_rates(index: FaqSearch, questions: list[dict]) -> Rates:
    """The expected entry among the first three results of the real search."""
    rates = Rates()
    for item in questions:
        found = [hit.entry_id for hit in index.search(item["q"], limit=3)]
        rates.asked[item["lang"]] += 1
        if item["expect"] in found:
            rates.passed[item["lang"]] += 1
        else:
            rates.failures.append(f"{item['lang']}: {item['q']!r} → {found}, want {item['expect']}")
    return rates


def honest_rates(index: FaqSearch, questions: list[dict], split: str | None = None) -> Rates:
    """Off-topic questions that get no entry at all (the "no answer yet" screen)."""
    rates = Rates()
    for item in questions:
        if split is not None and item.get("split") != split:
            continue
        found = [hit.entry_id for hit in index.search(item["q"], limit=3)]
        rates.asked[item["lang"]] += 1
        if not found:
            rates.passed[item["lang"]] += 1
        else:
            rates.failures.append(f"{item['lang']}: {item['q']!r} → {found}")
    return rates

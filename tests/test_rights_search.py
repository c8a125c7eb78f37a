"""FAQ search: the top-3 hit rate per language on 160+ realistic questions, folding, speed."""

from __future__ import annotations

import gc
import random
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.rights.normalize import MAX_QUERY_WORDS, words
from bot.rights.service import FaqService, load_faq_service

QUESTIONS_DIR = Path(__file__).parent / "data" / "search_questions"
REQUIRED_HIT_RATE = 0.9


def load_questions() -> list[dict]:
    questions: list[dict] = []
    for path in sorted(QUESTIONS_DIR.glob("*.yaml")):
        questions.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return questions


@pytest.fixture(scope="module")
def service() -> FaqService:
    return load_faq_service()


def test_top3_hit_rate_per_language(service: FaqService) -> None:
    questions = load_questions()
    asked: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    misses: list[str] = []
    for item in questions:
        assert item["expect"] in service.faq.entries, item
        found = [entry.id for entry in service.search(item["q"], limit=3)]
        asked[item["lang"]] += 1
        if item["expect"] in found:
            hits[item["lang"]] += 1
        else:
            misses.append(f"{item['lang']}: {item['q']!r} → {found}, expected {item['expect']}")
    rates = {lang: hits[lang] / asked[lang] for lang in asked}
    print("top-3 hit rate:", {lang: f"{rate:.1%} of {asked[lang]}" for lang, rate in rates.items()})
    print("\n".join(misses))
    assert set(asked) == {"tg", "ru", "en"} and min(asked.values()) >= 30
    assert all(rate >= REQUIRED_HIT_RATE for rate in rates.values()), (rates, misses)


@pytest.mark.parametrize(
    ("variants"),
    [
        ("шиканҷа", "шиканча", "shikancha", "SHIKANJA"),
        ("қонун", "конун", "qonun", "konun"),
        ("ҳуқуқ", "хукук", "huquq"),
        ("зӯроварӣ", "зуровари", "zurovari"),
        ("задержали", "zaderzhali", "ЗАДЕРЖАЛИ"),
        ("милиция", "militsiya"),
    ],
)
def test_tajik_russian_letters_and_latin_fold_to_one_form(variants: tuple[str, ...]) -> None:
    assert len({tuple(words(v)) for v in variants}) == 1, [words(v) for v in variants]


def test_same_question_in_tajik_letters_russian_letters_and_latin(service: FaqService) -> None:
    forms = ("шавҳарам маро мезанад", "шавхарам маро мезанад", "shavharam maro mezanad")
    results = [[e.id for e in service.search(q, limit=3)] for q in forms]
    assert all(r == results[0] for r in results) and results[0]
    assert "dv_where_help" in results[0]


def test_typos_still_find_the_answer(service: FaqService) -> None:
    assert "torture_evidence" in [e.id for e in service.search("выбили призание под пытками")][:3]
    assert "det_lawyer" in [e.id for e in service.search("they wont let me see a lawer")][:3]


@pytest.mark.parametrize(
    "query", ["football match score today", "рецепт плова", "asdf qwerty", "привет как дела", ""]
)
def test_nothing_found_for_unrelated_text(service: FaqService, query: str) -> None:
    assert service.search(query) == []


def test_a_long_message_is_searched_by_its_first_words_only(service: FaqService) -> None:
    """The work of a search is bounded by the message's first MAX_QUERY_WORDS words, however long
    it is (timings are benchmarks/search_bench.py's: a 4,096-character message, the index build)."""
    long_text = ("меня избили в отделе милиции и не дают адвоката " * 100)[:4096]
    stems, grams, counted = service.index.query_terms(long_text)
    assert counted <= MAX_QUERY_WORDS < len(words(long_text))
    assert service.search(long_text)  # still answered
    head = " ".join(long_text.split()[:MAX_QUERY_WORDS])
    assert (stems, grams) == service.index.query_terms(head)[:2]


def test_a_crowd_of_different_words_does_not_grow_the_process(service: FaqService) -> None:
    """20,000 questions of words never seen before (names, typos): the word caches stay bounded
    (with 65,536 entries per cache they held ~38 MB after as many words)."""
    rnd = random.Random(15)
    letters = "абвгдежзийклмнопрстуфхцчшэюяҳҷқғӣӯ"
    service.search("пытка")  # the index and its caches as in a running bot
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(20_000):
            word = "".join(rnd.choice(letters) for _ in range(rnd.randint(6, 12)))
            service.index.query_terms(word)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 10_000_000, f"{grown / 1e6:.1f} MB"

"""The guide's scores summed as big integers equal the plain float sums, and never overflow."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest
import yaml

from bot.rights import scoring
from bot.rights.index_parts import Postings
from bot.rights.scoring import DenseTerms, Scorer, exact
from bot.rights.search import NGRAM_WEIGHT, SYNONYM_WEIGHT, FaqSearch
from bot.rights.service import load_faq_service

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def search() -> FaqSearch:
    return load_faq_service().index


def _questions() -> list[str]:
    found = []
    for path in sorted(DATA.rglob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(item, dict) and item.get("q"):
                found.append(str(item["q"]))
    return found


def _plain(search: FaqSearch, stems: dict, grams: dict, count: int) -> list[float]:
    """The sums as the search made them before: term by term, document by document."""
    scores = [0.0] * len(search.parts.docs)
    search.parts.words.score(stems, scores, 1.0)
    search.parts.grams.score(grams, scores, NGRAM_WEIGHT * count / max(len(grams), 1))
    return scores


def test_every_test_question_scores_as_the_float_sums(search: FaqSearch) -> None:
    questions = _questions()
    assert len(questions) > 300
    compared = 0
    # The worst case for the slots: as many words as a query keeps, the guide's longest ones.
    longest = " ".join(sorted(search.parts.near.words, key=len, reverse=True)[:60])
    for question in [*questions, "x" * 4096, "пытка " * 40, longest]:
        stems, grams, count = search.query_terms(question)
        if not count:
            continue
        values, scale = search._scorer.scores(stems, grams, count)
        assert isinstance(values, array)  # the integer path: no test question overflows
        expected = _plain(search, stems, grams, count)
        for got, want in zip(values, expected, strict=True):
            assert got * scale == pytest.approx(want, rel=1e-9, abs=1e-9)
        compared += 1
    assert compared > 300


def test_a_query_that_could_overflow_is_summed_in_floats() -> None:
    # One document whose weights sum near 2**32: any multiplier above 1 could overflow a slot.
    huge = Postings(
        {"a": 0, "b": 1}, array("I", [0, 1, 2]), array("I", [0, 0]), array("d", [2e9, 3e9])
    )
    small = Postings({"^a$": 0}, array("I", [0, 1]), array("I", [0]), array("d", [1.5]))
    scorer = Scorer(huge, small, 1, NGRAM_WEIGHT)
    values, scale = scorer.scores({"a": 1.0, "b": SYNONYM_WEIGHT}, {"^a$": 1.0}, 1)
    assert scale == 1.0 and isinstance(values, list)
    assert values[0] == pytest.approx(2e9 + 3e9 * SYNONYM_WEIGHT + 1.5 * NGRAM_WEIGHT)
    # The same index with a small query weight stays on the integer path.
    tiny = Postings({"a": 0}, array("I", [0, 1]), array("I", [0]), array("d", [2.25]))
    values, scale = Scorer(tiny, small, 1, NGRAM_WEIGHT).scores({"a": 1.0}, {"^a$": 1.0}, 1)
    assert isinstance(values, array)
    assert values[0] * scale == pytest.approx(2.25 + 1.5 * NGRAM_WEIGHT, rel=1e-9)


def test_weights_must_be_small_exact_fractions() -> None:
    assert exact(SYNONYM_WEIGHT) == scoring.Fraction(4, 5)
    assert exact(NGRAM_WEIGHT) == scoring.Fraction(1, 5)
    with pytest.raises(ValueError, match="fraction"):
        exact(0.123456789)


def test_the_term_vectors_kept_are_bounded(
    search: FaqSearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "CACHE_TERMS", 50)
    dense = DenseTerms(search.parts.grams, len(search.parts.docs))
    grams = list(search.parts.grams.slots)[:200]
    for gram in [*grams, "no such n-gram", "𝐚𝐛𝐜"]:
        dense.vector(gram)
    assert len(dense._cache) == 50
    assert dense.vector("no such n-gram") == dense.vector("𝐚𝐛𝐜") == 0  # adds nothing
    # A vector rebuilt after it was dropped is the same vector, and it is the n-gram's.
    first = DenseTerms(search.parts.grams, len(search.parts.docs)).vector(grams[0])
    assert dense.vector(grams[0]) == first and first
    slot = search.parts.grams.slots[grams[0]]
    start, end = search.parts.grams.starts[slot], search.parts.grams.starts[slot + 1]
    assert set(search.parts.grams.docs[start:end]) == {
        doc for doc in range(len(search.parts.docs)) if (first >> (64 * doc)) & (2**64 - 1)
    }

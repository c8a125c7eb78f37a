"""Summing a query's postings at C speed.

A typed question touches ~700 postings (its n-grams are common), and adding them one by one in
Python was the search's largest cost. Here each term's weights across all the guide's documents
are one Python integer: 64 bits a document, the weight in fixed point with 32 bits after the
point. Adding a term to a query is then one big-integer addition (C, ~1 µs for the guide's 213
documents) instead of a Python loop over its documents; the query weights and the n-grams'
scale are exact fractions, so the whole query is one integer whose 64-bit slots, read back as an
array, are the documents' scores times a known denominator.

A slot cannot overflow: a document's sum over a query's distinct terms is at most its sum over
all terms (`ceiling`, known from the index), and the multipliers are checked against it before
adding; a query that could overflow (none can within MAX_QUERY_WORDS) is summed in floats, the
way `Postings.score` always did. Results equal the float sums to ~1e-9 (a test compares them on
every test question); the term vectors are built on first use and a bounded number kept.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Sequence
from fractions import Fraction
from math import lcm

from bot.rights.index_parts import Postings

FRACTION_BITS = 32
SLOT_BITS = 64
ONE = 1 << FRACTION_BITS
CACHE_TERMS = 4096  # terms kept: a vector of 213 documents × 8 bytes each, ~7 MB when full


def exact(weight: float) -> Fraction:
    """`weight` as a small fraction (0.8 → 4/5); refuses one that is not exactly such."""
    fraction = Fraction(weight).limit_denominator(1000)
    if float(fraction) != weight:
        raise ValueError(f"weight {weight} is not a fraction with a small denominator")
    return fraction


class DenseTerms:
    """One `Postings`' terms as fixed-point vectors over the documents, built when first used."""

    def __init__(self, postings: Postings, documents: int) -> None:
        self.postings = postings
        self.documents = documents
        totals = [0.0] * documents
        for doc, value in zip(postings.docs, postings.values, strict=True):
            totals[doc] += value
        # The largest sum a document can reach (all terms at once), in fixed point, rounded up.
        self.ceiling = int(max(totals, default=0.0) * ONE) + len(postings.slots) + 1
        self._cache: dict[str, int] = {}  # by the term's text: no lookup when kept

    def vector(self, term: str) -> int:
        """The term's weights over the documents, one fixed-point slot each (0 if the guide
        does not have it: adding it changes nothing)."""
        found = self._cache.get(term)
        if found is not None:
            return found
        slot = self.postings.slots.get(term)
        vector = 0 if slot is None else self._build(slot)
        if len(self._cache) >= CACHE_TERMS:  # the oldest goes: a common term is soon back
            del self._cache[next(iter(self._cache))]
        self._cache[term] = vector
        return vector

    def _build(self, slot: int) -> int:
        postings = self.postings
        start, end = postings.starts[slot], postings.starts[slot + 1]
        packed = array("Q", bytes(8 * self.documents))
        for doc, value in zip(postings.docs[start:end], postings.values[start:end], strict=True):
            packed[doc] = round(value * ONE)
        return int.from_bytes(packed.tobytes(), sys.byteorder)

    def sums(self, query: dict[str, float]) -> dict[float, int]:
        """The query's term vectors summed, one sum per query weight."""
        cache, vector_of = self._cache, self.vector
        sums: dict[float, int] = {}
        for term, weight in query.items():
            vector = cache.get(term)
            if vector is None:
                vector = vector_of(term)
            if vector:  # a term the guide lacks adds no weight, nor a weight to the sums
                sums[weight] = sums.get(weight, 0) + vector
        return sums


class Scorer:
    """Every document's score for a query: its word stems at their weights plus its n-grams at
    their weights times `ngram_weight × words / n-grams` (so that a fully matching word weighs
    about one stem)."""

    def __init__(self, words: Postings, grams: Postings, documents: int, ngram_weight: float):
        self.words = DenseTerms(words, documents)
        self.grams = DenseTerms(grams, documents)
        self.documents = documents
        self.ngram_weight = ngram_weight
        self._ngram = exact(ngram_weight)
        self._fractions: dict[float, Fraction] = {}

    def _fraction(self, weight: float) -> Fraction:
        found = self._fractions.get(weight)
        if found is None:
            found = self._fractions[weight] = exact(weight)
        return found

    def scores(
        self, stems: dict[str, float], grams: dict[str, float], count: int
    ) -> tuple[Sequence[float] | array, float]:
        """Per document, a number and the factor that makes it the score (integers and
        1/denominator, or floats and 1.0 on the float path)."""
        n_grams = max(len(grams), 1)
        word_sums, gram_sums = self.words.sums(stems), self.grams.sums(grams)
        fractions = {w: self._fraction(w) for w in (*word_sums, *gram_sums)}
        common = lcm(1, *(f.denominator for f in fractions.values()))
        # score = Σ word sum × w + Σ gram sum × w × ngram × count / n_grams: all over `den`
        den = common * self._ngram.denominator * n_grams
        gram_factor = common * self._ngram.numerator * count
        word_parts = [(int(fractions[w] * den), s) for w, s in word_sums.items()]
        gram_parts = [(int(fractions[w] * gram_factor), s) for w, s in gram_sums.items()]
        largest = (
            max((m for m, _ in word_parts), default=0) * self.words.ceiling
            + max((m for m, _ in gram_parts), default=0) * self.grams.ceiling
        )
        if largest >= 1 << SLOT_BITS:
            return self._floats(stems, grams, count), 1.0
        total = 0
        for multiplier, vector in (*word_parts, *gram_parts):
            total += multiplier * vector
        packed = array("Q")
        packed.frombytes(total.to_bytes(8 * self.documents, sys.byteorder))
        return packed, 1.0 / (den * ONE)

    def _floats(self, stems: dict[str, float], grams: dict[str, float], count: int) -> list[float]:
        scores = [0.0] * self.documents
        self.words.postings.score(stems, scores, 1.0)
        factor = self.ngram_weight * count / max(len(grams), 1)
        self.grams.postings.score(grams, scores, factor)
        return scores

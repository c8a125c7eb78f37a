"""What the guide's search index is made of once built: flat arrays and a few tables.

`IndexParts` is everything a search reads. It is built from the guide (`index_build`) or read
back from its compiled file (`index_file`); both give equal parts, so a search cannot tell
which. Nothing here changes after it is made.
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass

MIN_FUZZY_WORD = 5  # shorter words must match exactly: one typo turns them into other words


@dataclass(frozen=True)
class Postings:
    """Every term's documents and its weight in each, the fields summed (field weight × BM25):
    a query term costs one lookup and one pass over its documents, not one per field. The
    postings lie side by side in two flat arrays; a term maps to its number, whose postings
    run from `starts[number]` to `starts[number + 1]` (an int per term, not two arrays)."""

    slots: dict[str, int]  # term → number, in number order
    starts: array  # "I", one more than there are terms
    docs: array  # "I"
    values: array  # "d"

    def score(self, query: dict[str, float], scores: list[float], factor: float) -> None:
        slots, starts, docs, values = self.slots, self.starts, self.docs, self.values
        for term, query_weight in query.items():
            slot = slots.get(term)
            if slot is None:
                continue
            start, end = starts[slot], starts[slot + 1]
            weight = query_weight * factor
            for doc, value in zip(docs[start:end], values[start:end], strict=True):
                scores[doc] += weight * value


@dataclass(frozen=True)
class Deletions:
    """The guide's words by their one-letter deletions ("пытка" under "ытка", "птка" ...), for
    typos: ~36,000 variants kept as a sorted array of their CRC-32s beside the number of their
    word (0.3 MB, where a dict of strings took 4 MB). The checksum is the same in every process
    (unlike `hash`), so the arrays can be compiled once; a collision is told apart by checking
    that the variant really is a deletion of the word."""

    words: tuple[str, ...]  # the guide's words long enough for typos (its vocabulary)
    checksums: array  # "I", sorted
    owners: array  # "I": the number of each checksum's word

    @classmethod
    def of(cls, words: list[str]) -> Deletions:
        pairs = sorted(
            (variant_key(variant), number)
            for number, word in enumerate(words)
            for variant in deletions(word)
        )
        return cls(
            tuple(words),
            array("I", (key for key, _ in pairs)),
            array("I", (number for _, number in pairs)),
        )

    def words_with(self, variant: str) -> list[str]:
        """The guide's words that `variant` is a one-letter deletion of."""
        key = variant_key(variant)
        checksums = self.checksums
        at = bisect_left(checksums, key)
        found = []
        while at < len(checksums) and checksums[at] == key:
            word = self.words[self.owners[at]]
            if len(word) == len(variant) + 1 and variant in deletions(word):
                found.append(word)
            at += 1
        return found


@dataclass(frozen=True)
class Rarities:
    """Each word stem's rarity in the guide, an array beside the stems' numbers in `words`
    (a dict of ~3,000 floats took 0.17 MB)."""

    slots: dict[str, int]  # the word postings' own
    values: array  # "d", by number

    def get(self, term: str, default: float) -> float:
        slot = self.slots.get(term)
        return default if slot is None else self.values[slot]


@dataclass(frozen=True)
class IndexParts:
    """A built index. Documents are numbered: one per entry and language."""

    docs: tuple[str, ...]  # doc number → entry id
    latin_docs: frozenset[int]  # English texts: no match for a Cyrillic query
    position: Mapping[str, int]  # an entry's place in its topic (0 = the overview)
    words: Postings  # word stems of all fields
    grams: Postings  # character n-grams of the short fields
    near: Deletions
    rarity: Rarities  # a stem's rarity in the guide (for coverage)
    unknown_rarity: float  # the rarity of a stem the guide never uses
    # An entry's stems in all its languages (mixed-language messages are common), as the
    # sorted numbers of the stems in `words` (0.1 MB, where sets of strings took 1.2 MB); the
    # key's flag is False for a query in Cyrillic letters: then without the English text.
    entry_stems: Mapping[tuple[str, bool], array]

    def entry_has(self, stems: array, term: str) -> bool:
        """Whether an entry's `stems` (a value of `entry_stems`) hold the stem `term`."""
        number = self.words.slots.get(term)
        if number is None:
            return False
        at = bisect_left(stems, number)
        return at < len(stems) and stems[at] == number


def variant_key(variant: str) -> int:
    return zlib.crc32(variant.encode("utf-8", "surrogatepass"))


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}

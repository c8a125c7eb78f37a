"""What the guide's search index is made of once built: flat arrays and a few tables.

`IndexParts` is everything a search reads. It is built from the guide (`index_build`) or read
back from its compiled file (`index_file`); both give equal parts, so a search cannot tell
which. Nothing here changes after it is made.
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

MIN_FUZZY_WORD = 5  # shorter words must match exactly: one typo turns them into other words


@dataclass(frozen=True)
class Postings:
    """Every term's documents and its weight in each, the fields summed (field weight × BM25):
    a query term costs one lookup and one pass over its documents, not one per field. The
    postings lie side by side in two flat arrays; a term maps to its number, whose postings
    run from `starts[number]` to `starts[number + 1]` (an int per term, not two arrays)."""

    slots: Mapping[str, int]  # term → number, in number order (`GramSlots` for n-grams)
    starts: array  # "I", one more than there are terms
    docs: array  # the smallest unsigned type that holds the document numbers (see `narrow`)
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

    words: Vocabulary  # the guide's words long enough for typos
    checksums: array  # "I", sorted
    owners: array  # the number of each checksum's word (`narrow`)

    @classmethod
    def of(cls, words: list[str]) -> Deletions:
        vocabulary = Vocabulary.of(words)
        pairs = sorted(
            (variant_key(variant), number)
            for number, word in enumerate(vocabulary)
            for variant in deletions(word)
        )
        return cls(
            vocabulary,
            array("I", (key for key, _ in pairs)),
            narrow(number for _, number in pairs),
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


def narrow(numbers: Iterable[int], largest: int | None = None) -> array:
    """Non-negative numbers in the smallest array type that holds them all, or every number up
    to `largest` ("B", "H" or "I"): the guide's 213 documents fit a byte where "I" took four."""
    wide = array("I", numbers)
    largest = max(wide, default=0) if largest is None else largest
    code = "B" if largest < 1 << 8 else "H" if largest < 1 << 16 else "I"
    return wide if code == "I" else array(code, wide)


def gram_code(gram: str) -> int | None:
    """An n-gram (at most four letters) as one 64-bit number, its UTF-16 code units side by
    side; None for one that does not fit (letters beyond the Basic Multilingual Plane) or that
    holds a NUL, whose code would be that of the gram without it."""
    units = gram.encode("utf-16-le", "surrogatepass")
    return int.from_bytes(units, "little") if len(units) <= 8 and "\0" not in gram else None


@dataclass(frozen=True)
class GramSlots(Mapping[str, int]):
    """The n-gram postings' term → number without a string per n-gram: the ~8,000 n-grams as a
    sorted array of their `gram_code`s, each n-gram's number its place there (62 KiB, where a
    dict of strings took 1 MiB). A lookup is a binary search (~1 µs); the scorer keeps the
    vectors of recent terms by their text, so a common n-gram is looked up once."""

    codes: array  # "Q", sorted
    others: Mapping[str, int]  # n-grams without a code, numbered after the coded ones

    @classmethod
    def numbering(cls, grams: Iterable[str]) -> tuple[GramSlots, list[str]]:
        """The slots for `grams`, and the grams in the numbers' order."""
        coded, others = [], []
        for gram in grams:
            code = gram_code(gram)
            if code is None:
                others.append(gram)
            else:
                coded.append((code, gram))
        coded.sort()
        order = [gram for _, gram in coded] + others
        table = {gram: len(coded) + n for n, gram in enumerate(others)}
        return cls(array("Q", (code for code, _ in coded)), MappingProxyType(table)), order

    def get(self, gram: str, default: int | None = None) -> int | None:  # type: ignore[override]
        code = gram_code(gram)
        if code is None:
            return self.others.get(gram, default)
        codes = self.codes
        at = bisect_left(codes, code)
        return at if at < len(codes) and codes[at] == code else default

    def __getitem__(self, gram: str) -> int:
        found = self.get(gram)
        if found is None:
            raise KeyError(gram)
        return found

    def __len__(self) -> int:
        return len(self.codes) + len(self.others)

    def __iter__(self) -> Iterator[str]:
        for code in self.codes:
            yield code.to_bytes(8, "little").decode("utf-16-le", "surrogatepass").rstrip("\0")
        yield from self.others


@dataclass(frozen=True)
class Vocabulary(Sequence[str]):
    """The guide's words for typos as one string and the offsets of its words, ordered by
    their `variant_key`s (so that membership is a binary search over a flat array): 0.1 MiB,
    where a tuple and a set of the ~4,800 strings took 0.6 MiB."""

    text: str  # the words back to back
    starts: array  # "I", one more than there are words
    keys: array  # "I", each word's variant_key, sorted

    @classmethod
    def of(cls, words: Iterable[str]) -> Vocabulary:
        ordered = sorted((variant_key(word), word) for word in dict.fromkeys(words))
        starts = array("I", [0])
        for _, word in ordered:
            starts.append(starts[-1] + len(word))
        text = "".join(word for _, word in ordered)
        return cls(text, starts, array("I", (key for key, _ in ordered)))

    def __getitem__(self, number: int) -> str:  # type: ignore[override]
        return self.text[self.starts[number] : self.starts[number + 1]]

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key, keys = variant_key(word), self.keys
        at = bisect_left(keys, key)
        while at < len(keys) and keys[at] == key:
            if self[at] == word:
                return True
            at += 1
        return False

    def __iter__(self) -> Iterator[str]:
        return (self[number] for number in range(len(self)))


def variant_key(variant: str) -> int:
    return zlib.crc32(variant.encode("utf-8", "surrogatepass"))


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}

"""Building the guide's search index from its texts (see `search` for how it is used).

Every entry is indexed once per language (question, keywords, title, answer, with field
weights) as BM25 over word stems, plus BM25 over character 3/4-grams of the short fields so
that typos still match. The fields' BM25 weights are summed per term at build time.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.rights.content import Faq
from bot.rights.index_parts import (
    MIN_FUZZY_WORD,
    Deletions,
    GramSlots,
    IndexParts,
    Postings,
    Rarities,
    narrow,
)
from bot.rights.lexicon import Lexicon
from bot.rights.normalize import ngrams, stem, useful_words

# Field weights: the question says what an entry is about; keywords are how people say it.
FIELD_WEIGHTS = {"question": 1.5, "keywords": 1.5, "title": 0.5, "answer": 1.0}
NGRAM_FIELDS = ("question", "keywords", "title")
BM25_K1 = 1.2
BM25_B = 0.75


@dataclass
class _Bm25:
    """BM25 over weighted term counts of one field's documents (while building)."""

    building: dict[str, tuple[array, array]] = field(default_factory=dict)  # docs, counts
    lengths: list[float] = field(default_factory=list)

    def add(self, counts: Counter[str]) -> None:
        doc = len(self.lengths)
        self.lengths.append(sum(counts.values()))
        building = self.building
        for term, weight in counts.items():
            postings = building.get(term)
            if postings is None:
                postings = building[term] = (array("I"), array("d"))
            postings[0].append(doc)
            postings[1].append(weight)

    def postings(self) -> Iterator[tuple[str, array, list[float]]]:
        """Each term, its documents and its BM25 weight in each (idf × saturated frequency):
        what does not depend on the query, computed once."""
        total = len(self.lengths) or 1
        average = (sum(self.lengths) / total) or 1.0
        norms = [BM25_K1 * (1 - BM25_B + BM25_B * n / average) for n in self.lengths]
        for term, (docs, counts) in self.building.items():
            idf = math.log(1 + (total - len(docs) + 0.5) / (len(docs) + 0.5))
            yield (
                term,
                docs,
                [
                    idf * (tf * (BM25_K1 + 1) / (tf + norms[doc]))
                    for doc, tf in zip(docs, counts, strict=True)
                ],
            )


def merge_weights(fields: Iterable[tuple[_Bm25, float]]) -> dict[str, dict[int, float]]:
    """Term → document → its BM25 summed over `fields`, each times its weight."""
    combined: dict[str, dict[int, float]] = {}
    for index, field_weight in fields:
        for term, docs, weights in index.postings():
            into = combined.setdefault(term, {})
            for doc, weight in zip(docs, weights, strict=True):
                into[doc] = into.get(doc, 0.0) + field_weight * weight
    return combined


def merge(fields: Iterable[tuple[_Bm25, float]]) -> Postings:
    """One posting list for several fields: each field's BM25 × its weight, summed."""
    combined = merge_weights(fields)
    return _postings(combined, {term: n for n, term in enumerate(combined)})


def merge_grams(fields: Iterable[tuple[_Bm25, float]]) -> Postings:
    """`merge` for n-grams, numbered in the order of their codes (see `GramSlots`)."""
    combined = merge_weights(fields)
    slots, order = GramSlots.numbering(combined)
    return _postings({gram: combined[gram] for gram in order}, slots)


def _postings(combined: dict[str, dict[int, float]], slots: Mapping[str, int]) -> Postings:
    """Postings of `combined` (term → document → weight), whose order is the terms' numbers."""
    starts, docs, values = array("I", [0]), array("I"), array("d")
    for by_doc in combined.values():
        for doc in sorted(by_doc):
            docs.append(doc)
            values.append(by_doc[doc])
        starts.append(len(docs))
    return Postings(slots, starts, narrow(docs), values)


def rarity(total: int, frequency: int) -> float:
    return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))


class _Builder:
    """The index while its documents are added (one per entry and language)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.stopwords = lexicon.stopwords
        self.docs: list[str] = []
        self.latin_docs: set[int] = set()
        self.fields = {name: _Bm25() for name in FIELD_WEIGHTS}
        self.gram_fields = {name: _Bm25() for name in NGRAM_FIELDS}
        self.doc_stems: list[frozenset[str]] = []  # every stem of a document
        self.vocabulary: dict[str, None] = {}  # words long enough for typos, in order

    def add(self, entry_id: str, fields: dict[str, str], latin: bool) -> None:
        if latin:
            self.latin_docs.add(len(self.docs))
        self.docs.append(entry_id)
        all_stems: set[str] = set()
        for name, text in fields.items():
            found = useful_words(text, self.stopwords)
            stems = Counter(stem(word) for word in found)
            all_stems.update(stems)
            self.fields[name].add(stems)
            if name in self.gram_fields:
                grams = Counter(gram for word in found for gram in ngrams(word))
                self.gram_fields[name].add(grams)
            for word in found:
                if len(word) >= MIN_FUZZY_WORD:
                    self.vocabulary.setdefault(word)
        self.doc_stems.append(frozenset(all_stems))

    def parts(self, position: dict[str, int]) -> IndexParts:
        words = merge((self.fields[n], w) for n, w in FIELD_WEIGHTS.items())
        grams = merge_grams((self.gram_fields[n], FIELD_WEIGHTS[n]) for n in NGRAM_FIELDS)
        frequency = Counter(term for terms in self.doc_stems for term in terms)
        total = len(self.doc_stems) or 1
        entry_stems: dict[tuple[str, bool], set[str]] = defaultdict(set)
        for doc, terms in enumerate(self.doc_stems):
            entry_id = self.docs[doc]
            entry_stems[(entry_id, True)].update(terms)
            if doc not in self.latin_docs:
                entry_stems[(entry_id, False)].update(terms)
        return IndexParts(
            docs=tuple(self.docs),
            latin_docs=frozenset(self.latin_docs),
            position=MappingProxyType(position),
            words=words,
            grams=grams,
            near=Deletions.of(list(self.vocabulary)),
            rarity=Rarities(
                words.slots, array("d", (rarity(total, frequency[t]) for t in words.slots))
            ),
            unknown_rarity=rarity(total, 0),
            entry_stems=MappingProxyType(
                {
                    key: narrow(sorted(words.slots[t] for t in terms), len(words.slots))
                    for key, terms in entry_stems.items()
                }
            ),
        )


def documents(faq: Faq) -> Iterator[tuple[str, int, bool, dict[str, str]]]:
    """What the index is built from: per entry and language, the entry's id, its place in
    its topic, whether the text is English, and the text of each field."""
    for entry in faq.entries.values():
        topic = faq.topic(entry.topic)
        position = topic.entry_ids.index(entry.id) if topic else 0
        for locale, text in entry.texts.items():
            fields = {
                "question": text.question,
                "keywords": text.keywords,
                "title": topic.titles.get(locale, "") if topic else "",
                "answer": text.answer,
            }
            yield entry.id, position, locale == "en", fields


def build_parts(faq: Faq, lexicon: Lexicon) -> IndexParts:
    """The index of every entry in every language."""
    builder = _Builder(lexicon)
    position: dict[str, int] = {}
    for entry_id, place, latin, fields in documents(faq):
        position[entry_id] = place
        builder.add(entry_id, fields, latin)
    return builder.parts(position)

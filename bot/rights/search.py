"""Search the FAQ by a question typed in a person's own words, in any of the three languages.

Every entry is indexed once per language (question, keywords, answer, with field weights) as
BM25 over word stems, plus BM25 over character 3/4-grams of the question and keywords so that
typos still match. The query goes through the same folding (see `normalize`), is expanded with
the editors' synonym lists (`content/faq/synonyms/<lang>.yaml`), and is scored against every
language at once: an entry's score is its best language's score. Pure Python, built at start-up.

Search is honest (issue 11): `find` answers a message only when one of the best entries covers
enough of what it says (words weighted by their rarity in the guide) and scores well; otherwise
the guide has no answer yet and the bot says so. Greetings are recognised, and a strong single
match is marked for opening directly. The thresholds are calibrated on tests/data (see
docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import heapq
import math
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from bot.rights.content import Faq
from bot.rights.lexicon import Lexicon
from bot.rights.normalize import MAX_QUERY_CHARS, MAX_QUERY_WORDS, ngrams, stem, words

# Field weights: the question says what an entry is about; keywords are how people say it.
FIELD_WEIGHTS = {"question": 1.5, "keywords": 1.5, "title": 0.5, "answer": 1.0}
NGRAM_FIELDS = ("question", "keywords", "title")
NGRAM_WEIGHT = 0.2  # n-grams rescue typos but must not outvote whole matching words
SYNONYM_WEIGHT = 0.8
BM25_K1 = 1.2
BM25_B = 0.75
# Below this (score per query word), nothing found: tuned on the test questions and nonsense.
MIN_SCORE = 2.5
# Relevance (issue 11): a message is answered only if one of the best entries covers enough of
# its weighted words (COVERAGE_*, by the number of words: in a two-word question both words
# count; a long message says much the guide need not match) and scores at least RELEVANT_SCORE
# per word. Calibrated on the "calib" half of tests/data/offtopic_questions.yaml against both
# sets of covered questions; the "heldout" half only measures it (docs/benchmarks.md).
COVERAGE_SHORT = 1.0  # one or two words
COVERAGE_MEDIUM = 0.3  # three to five words
COVERAGE_LONG = 0.25  # six words or more
RELEVANT_SCORE = 6.0
RELEVANCE_POOL = 10  # candidates checked for coverage before the limit applies
MIN_FUZZY_WORD = 5  # shorter words must match exactly: one typo turns them into other words
# A strong single match opens the answer at once: it covers most of the query and scores
# well ahead of the next entry.
DIRECT_COVERAGE = 0.8
DIRECT_LEAD = 1.8
DIRECT_MIN_WEIGHT = 2.5  # a single common word ("rights") is too vague to answer at once
RELATIVE_FLOOR = 0.5  # hits scoring below this share of the best one are not shown
POSITION_TIEBREAK = 0.01  # per place in the topic
DEFAULT_LIMIT = 3  # answers offered for a question: a short, relevant choice
MIN_WORD = 2  # one-letter words carry no meaning here


@dataclass(frozen=True)
class Hit:
    entry_id: str
    score: float
    coverage: float = 1.0  # share of the query's meaning (weighted words) the entry matches


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


@dataclass
class _Postings:
    """Every term's documents and its weight in each, the fields summed (field weight × BM25):
    a query term costs one lookup and one pass over its documents, not one per field. The
    postings lie side by side in two flat arrays; a term maps to its number, whose postings
    run from `starts[number]` to `starts[number + 1]` (an int per term, not two arrays)."""

    slots: dict[str, int]
    starts: array
    docs: array
    values: array

    @classmethod
    def merge(cls, fields: Iterable[tuple[_Bm25, float]]) -> _Postings:
        combined: dict[str, dict[int, float]] = {}
        for index, field_weight in fields:
            for term, docs, weights in index.postings():
                into = combined.setdefault(term, {})
                for doc, weight in zip(docs, weights, strict=True):
                    into[doc] = into.get(doc, 0.0) + field_weight * weight
        merged = cls({}, array("I", [0]), array("I"), array("d"))
        for term, by_doc in combined.items():
            merged.slots[term] = len(merged.slots)
            for doc in sorted(by_doc):
                merged.docs.append(doc)
                merged.values.append(by_doc[doc])
            merged.starts.append(len(merged.docs))
        return merged

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


class FaqSearch:
    """The search index over all entries in all languages."""

    def __init__(self, faq: Faq, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._docs: list[str] = []  # doc number → entry id
        self._latin_docs: set[int] = set()  # English texts: no match for a Cyrillic query
        # BM25 per field (BM25F-like): a word in a short question is not drowned by the same
        # word in a long answer, and each field's weight applies in full; then merged.
        self._fields = {name: _Bm25() for name in FIELD_WEIGHTS}
        self._gram_fields = {name: _Bm25() for name in NGRAM_FIELDS}
        # For relevance: every stem of a document (while building).
        self._doc_stems: list[frozenset[str]] = []
        # Typo tolerance for relevance: words of the guide by their one-letter deletions.
        self._vocabulary: set[str] = set()
        self._near = _Deletions()
        self._position: dict[str, int] = {}  # an entry's place in its topic (0 = the overview)
        for entry in faq.entries.values():
            topic = faq.topic(entry.topic)
            self._position[entry.id] = topic.entry_ids.index(entry.id) if topic else 0
            for locale, text in entry.texts.items():
                fields = {
                    "question": text.question,
                    "keywords": text.keywords,
                    "title": topic.titles.get(locale, "") if topic else "",
                    "answer": text.answer,
                }
                if locale == "en":
                    self._latin_docs.add(len(self._docs))
                self._add(entry.id, fields)
        self._words = _Postings.merge((self._fields[n], w) for n, w in FIELD_WEIGHTS.items())
        self._grams = _Postings.merge(
            (self._gram_fields[n], FIELD_WEIGHTS[n]) for n in NGRAM_FIELDS
        )
        self._fields, self._gram_fields = {}, {}
        self._near.finish()
        frequency = Counter(term for terms in self._doc_stems for term in terms)
        total = len(self._doc_stems) or 1
        self._rarity = {t: _rarity(total, n) for t, n in frequency.items()}
        # An entry's words in all its languages (mixed-language messages are common); for a
        # query in Cyrillic letters, without the English text.
        entry_stems: dict[tuple[str, bool], set[str]] = defaultdict(set)
        for doc, terms in enumerate(self._doc_stems):
            entry_id = self._docs[doc]
            entry_stems[(entry_id, True)].update(terms)
            if doc not in self._latin_docs:
                entry_stems[(entry_id, False)].update(terms)
        self._entry_stems = {key: frozenset(terms) for key, terms in entry_stems.items()}
        self._unknown_rarity = _rarity(total, 0)
        self._doc_stems = []

    def _useful(self, text: str, limit: int | None = None) -> list[str]:
        return [
            w for w in words(text, limit) if len(w) >= MIN_WORD and w not in self.lexicon.stopwords
        ]

    def _add(self, entry_id: str, fields: dict[str, str]) -> None:
        self._docs.append(entry_id)
        all_stems: set[str] = set()
        for name, text in fields.items():
            found = self._useful(text)
            stems = Counter(stem(word) for word in found)
            all_stems.update(stems)
            self._fields[name].add(stems)
            if name in self._gram_fields:
                grams = Counter(gram for word in found for gram in ngrams(word))
                self._gram_fields[name].add(grams)
            for word in found:
                if len(word) >= MIN_FUZZY_WORD and word not in self._vocabulary:
                    self._vocabulary.add(word)
                    self._near.add(word)
        self._doc_stems.append(frozenset(all_stems))

    def query_terms(self, query: str) -> tuple[dict[str, float], dict[str, float], int]:
        """Weighted word stems and n-grams of a query, and how many words it has."""
        found = self._useful(query[:MAX_QUERY_CHARS], MAX_QUERY_WORDS)
        stems: dict[str, float] = {}
        grams: dict[str, float] = {}
        for word in found:
            _add_max(stems, [stem(word)], 1.0)
            _add_max(grams, ngrams(word), 1.0)
            for synonym in self.lexicon.synonyms.get(stem(word), ()):
                _add_max(stems, [stem(synonym)], SYNONYM_WEIGHT)
                _add_max(grams, ngrams(synonym), SYNONYM_WEIGHT)
        return stems, grams, len(found)

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[Hit]:
        """Best entries first; empty when nothing matches well enough."""
        return self.find(query, limit).hits

    def find(self, query: str, limit: int = DEFAULT_LIMIT) -> Result:
        """What the guide has for a message: a greeting, relevant entries, or nothing."""
        text = query[:MAX_QUERY_CHARS]
        if self.is_greeting(text):
            return Result(hits=[], greeting=True)
        found = self._useful(text, MAX_QUERY_WORDS)
        stems, grams, count = self.query_terms(query)
        if not count:
            return Result(hits=[], words=0)
        scores = [0.0] * len(self._docs)
        self._words.score(stems, scores, 1.0)
        # Each word has many n-grams: scale so that a fully matching word weighs about one stem.
        self._grams.score(grams, scores, NGRAM_WEIGHT * count / max(len(grams), 1))
        # Folding maps Latin to Cyrillic, so English words could match Russian ones ("let" and
        # "лет"); a query typed in Cyrillic letters is never English.
        skip = self._latin_docs if _has_cyrillic(text) else set()
        best: dict[str, float] = {}
        for doc, score in enumerate(scores):
            if not score or doc in skip:
                continue
            entry_id = self._docs[doc]
            # Nearly equal scores: a topic's first, general entry ("What is torture?") first.
            score *= 1 - POSITION_TIEBREAK * self._position[entry_id]
            if score > best.get(entry_id, 0.0):
                best[entry_id] = score
        threshold = MIN_SCORE * min(count, 3)
        # The same as sorted(..., reverse=True)[:n], ties in the same order, without sorting all
        ranked = heapq.nlargest(max(limit, RELEVANCE_POOL), best.items(), key=itemgetter(1))
        query_words = list(dict.fromkeys(found))
        latin = not skip
        hits = []
        for entry_id, score in ranked:
            if score < threshold:
                break
            hits.append(Hit(entry_id, score, self.coverage(query_words, entry_id, latin)))
        # The guide answers the message only if some entry covers enough of what it says and
        # scores well: otherwise the best hits are only loosely related, and saying "no
        # answer yet" is more honest than offering them.
        needed = required_coverage(len(query_words))
        if not any(
            h.coverage >= needed and h.score >= RELEVANT_SCORE * min(count, 3) for h in hits
        ):
            return Result(hits=[], words=count)
        # Shown: at most three, none far below the best one ("муж бьёт" must not offer the
        # army for matching "бьёт" alone).
        floor = RELATIVE_FLOOR * hits[0].score
        shown = [h for h in hits if h.score >= floor]
        weight = sum(self._rarity.get(stem(w), self._unknown_rarity) for w in query_words)
        return Result(shown[:limit], words=count, weight=weight)

    def coverage(self, query_words: list[str], entry_id: str, latin: bool = True) -> float:
        """The share of the query's words, weighted by how rare they are in the guide, that
        the entry's texts contain (as a stem, a synonym's stem, or a word one typo away).
        Words the guide never uses ("weather", "plov") weigh most: a query made of them is
        about something else, however well one common word of it matches."""
        doc_stems = self._entry_stems[(entry_id, latin)]
        total = matched = 0.0
        for word in query_words:
            weight = self._rarity.get(stem(word), self._unknown_rarity)
            total += weight
            if self._matches(word, doc_stems):
                matched += weight
        return matched / total if total else 0.0

    def _matches(self, word: str, doc_stems: frozenset[str]) -> bool:
        if stem(word) in doc_stems:
            return True
        if any(stem(synonym) in doc_stems for synonym in self.lexicon.synonyms.get(stem(word), ())):
            return True
        return any(stem(near) in doc_stems for near in self.near_words(word))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (one index per process, never freed)
    def near_words(self, word: str) -> frozenset[str]:
        """Words of the guide one typo (a letter missing, extra, changed or swapped) away."""
        if len(word) < MIN_FUZZY_WORD or word in self._vocabulary:
            return frozenset()
        found: set[str] = set()
        for variant in (word, *_deletions(word)):
            found.update(self._near.words_with(variant))
            if variant in self._vocabulary:
                found.add(variant)
        found.update(swapped for swapped in _swaps(word) if swapped in self._vocabulary)
        return frozenset(found)

    def is_greeting(self, text: str) -> bool:
        """Only a greeting ("салом", "привет как дела", "hello"): no question to search."""
        folded = [w for w in words(text, MAX_QUERY_WORDS) if len(w) >= MIN_WORD]
        greetings = self.lexicon.greetings
        return (
            bool(folded)
            and any(w in greetings for w in folded)
            and all(w in greetings or w in self.lexicon.stopwords for w in folded)
        )


@dataclass(frozen=True)
class Result:
    """`hits`: relevant entries, best first. Empty: a greeting, a message without a word to
    search for (`words` is 0), or a question the guide has no answer to yet."""

    hits: list[Hit]
    greeting: bool = False
    words: int = 0  # words searched for
    weight: float = 0.0  # how much the query says: its words' rarity in the guide, summed

    @property
    def direct(self) -> Hit | None:
        """The one entry to open at once: a clear match, well ahead of any other."""
        if not self.hits:
            return None
        top = self.hits[0]
        if top.coverage < DIRECT_COVERAGE or self.weight < DIRECT_MIN_WEIGHT:
            return None
        if len(self.hits) > 1 and top.score < DIRECT_LEAD * self.hits[1].score:
            return None
        return top


def required_coverage(words_in_query: int) -> float:
    if words_in_query <= 2:
        return COVERAGE_SHORT
    return COVERAGE_MEDIUM if words_in_query <= 5 else COVERAGE_LONG


class _Deletions:
    """The guide's words by their one-letter deletions ("пытка" under "ытка", "птка" ...), for
    typos: ~36,000 variants kept as a sorted array of their hashes beside the number of their
    word (0.4 MB, where a dict of strings took 4 MB). A hash collision is told apart by
    checking that the variant really is a deletion of the word."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self._hashes = array("q")
        self._owners = array("I")

    def add(self, word: str) -> None:
        number = len(self.words)
        self.words.append(word)
        for variant in _deletions(word):
            self._hashes.append(hash(variant))
            self._owners.append(number)

    def finish(self) -> None:
        hashes, owners = self._hashes, self._owners
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._hashes = array("q", (hashes[i] for i in order))
        self._owners = array("I", (owners[i] for i in order))

    def words_with(self, variant: str) -> list[str]:
        """The guide's words that `variant` is a one-letter deletion of."""
        key = hash(variant)
        hashes = self._hashes
        at = bisect_left(hashes, key)
        found = []
        while at < len(hashes) and hashes[at] == key:
            word = self.words[self._owners[at]]
            if len(word) == len(variant) + 1 and variant in _deletions(word):
                found.append(word)
            at += 1
        return found


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


def _rarity(total: int, frequency: int) -> float:
    return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))


def _add_max(target: dict[str, float], terms: Iterable[str], weight: float) -> None:
    for term in terms:
        if weight > target.get(term, 0.0):
            target[term] = weight


def _has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)

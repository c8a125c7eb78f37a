"""Search the FAQ by a question typed in a person's own words, in any of the three languages.

Every entry is indexed once per language (question, keywords, answer, with field weights) as
BM25 over word stems, plus BM25 over character 3/4-grams of the question and keywords so that
typos still match. The query goes through the same folding (see `normalize`), is expanded with
the editors' synonym lists (`content/faq/synonyms/<lang>.yaml`), and is scored against every
language at once: an entry's score is its best language's score. Pure Python, built at start-up.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot import LOCALES
from bot.content_files import CONTENT_DIR, Problems, line_of, load_locale_mappings
from bot.rights.content import Faq
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
DEFAULT_LIMIT = 5
MIN_WORD = 2  # one-letter words carry no meaning here


@dataclass(frozen=True)
class Hit:
    entry_id: str
    score: float


@dataclass
class _Bm25:
    """A plain BM25 index over weighted term counts of documents."""

    postings: dict[str, list[tuple[int, float]]] = field(default_factory=lambda: defaultdict(list))
    lengths: list[float] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    average: float = 1.0

    def add(self, counts: Counter[str]) -> None:
        doc = len(self.lengths)
        self.lengths.append(sum(counts.values()))
        for term, weight in counts.items():
            self.postings[term].append((doc, weight))

    def finish(self) -> None:
        total = len(self.lengths) or 1
        self.average = (sum(self.lengths) / total) or 1.0
        self.idf = {
            term: math.log(1 + (total - len(docs) + 0.5) / (len(docs) + 0.5))
            for term, docs in self.postings.items()
        }

    def score(self, query: dict[str, float], scores: dict[int, float], factor: float) -> None:
        for term, query_weight in query.items():
            docs = self.postings.get(term)
            if not docs:
                continue
            idf = self.idf[term] * query_weight * factor
            for doc, tf in docs:
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[doc] / self.average)
                scores[doc] = scores.get(doc, 0.0) + idf * tf * (BM25_K1 + 1) / (tf + norm)


@dataclass(frozen=True)
class Lexicon:
    """Editors' word lists: stop words to ignore and synonyms (variant stem → canonical words)."""

    stopwords: frozenset[str]
    synonyms: dict[str, tuple[str, ...]]


def load_lexicon(content_dir: Path = CONTENT_DIR, problems: Problems | None = None) -> Lexicon:
    own = problems if problems is not None else Problems()
    stop: set[str] = set()
    synonyms: dict[str, list[str]] = defaultdict(list)
    paths = {locale: content_dir / "faq" / "synonyms" / f"{locale}.yaml" for locale in LOCALES}
    found = load_locale_mappings(
        paths, own, missing="synonyms and stop words for {locale}", keys="stopwords, synonyms"
    )
    for locale, data in found.items():
        path = paths[locale]
        listed = data.get("stopwords", [])
        if not isinstance(listed, list) or not all(isinstance(w, str) for w in listed):
            own.add(path, line_of(data, "stopwords"), "stopwords: a list of words")
            listed = []
        stop.update(w for word in listed for w in words(word))
        groups = data.get("synonyms", {})
        if not isinstance(groups, dict):
            own.add(path, line_of(data, "synonyms"), "synonyms: a mapping word → list of words")
            groups = {}
        for canonical, variants in groups.items():
            line = line_of(groups, canonical)
            if not isinstance(canonical, str) or not isinstance(variants, list):
                own.add(path, line, f"{canonical!r}: expected a list of words people use")
                continue
            target = words(canonical)
            for variant in variants:
                folded = words(str(variant))
                if len(folded) != 1:
                    own.add(path, line, f"{canonical}: '{variant}' must be one word")
                    continue
                synonyms[stem(folded[0])].extend(target)
    if problems is None:
        own.raise_if_any()
    return Lexicon(frozenset(stop), {k: tuple(dict.fromkeys(v)) for k, v in synonyms.items()})


class FaqSearch:
    """The search index over all entries in all languages."""

    def __init__(self, faq: Faq, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._docs: list[str] = []  # doc number → entry id
        self._latin_docs: set[int] = set()  # English texts: no match for a Cyrillic query
        # One index per field (BM25F-like): a word in a short question is not drowned by the
        # same word in a long answer, and each field's weight applies in full.
        self._words = {name: _Bm25() for name in FIELD_WEIGHTS}
        self._grams = {name: _Bm25() for name in NGRAM_FIELDS}
        for entry in faq.entries.values():
            topic = faq.topic(entry.topic)
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
        for index in (*self._words.values(), *self._grams.values()):
            index.finish()

    def _useful(self, text: str, limit: int | None = None) -> list[str]:
        return [
            w for w in words(text, limit) if len(w) >= MIN_WORD and w not in self.lexicon.stopwords
        ]

    def _add(self, entry_id: str, fields: dict[str, str]) -> None:
        self._docs.append(entry_id)
        for name, text in fields.items():
            found = self._useful(text)
            self._words[name].add(Counter(stem(word) for word in found))
            if name in self._grams:
                self._grams[name].add(Counter(gram for word in found for gram in ngrams(word)))

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
        stems, grams, count = self.query_terms(query)
        if not count:
            return []
        scores: dict[int, float] = {}
        for name, index in self._words.items():
            index.score(stems, scores, FIELD_WEIGHTS[name])
        # Each word has many n-grams: scale so that a fully matching word weighs about one stem.
        gram_factor = NGRAM_WEIGHT * count / max(len(grams), 1)
        for name, index in self._grams.items():
            index.score(grams, scores, gram_factor * FIELD_WEIGHTS[name])
        # Folding maps Latin to Cyrillic, so English words could match Russian ones ("let" and
        # "лет"); a query typed in Cyrillic letters is never English.
        skip = self._latin_docs if _has_cyrillic(query[:MAX_QUERY_CHARS]) else set()
        best: dict[str, float] = {}
        for doc, score in scores.items():
            if doc in skip:
                continue
            entry_id = self._docs[doc]
            if score > best.get(entry_id, 0.0):
                best[entry_id] = score
        threshold = MIN_SCORE * min(count, 3)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        return [Hit(entry_id, score) for entry_id, score in ranked[:limit] if score >= threshold]


def _add_max(target: dict[str, float], terms: Iterable[str], weight: float) -> None:
    for term in terms:
        if weight > target.get(term, 0.0):
            target[term] = weight


def _has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)

"""A small search index over the articles' titles and text (the rights-guide search shows its
hits after the guide's answers). In memory, built from the database at start-up and extended
as articles arrive: a word stem → the articles that contain it, titles counting more."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from bot.rights.normalize import stem, words

MIN_WORD = 3  # shorter words (prepositions, "и", "of") find everything
TITLE_WEIGHT = 3.0
OWN_LANGUAGE = 1.5  # an article in the reader's language ranks above a translation
MAX_QUERY_WORDS = 12
MIN_COVERAGE = 0.5  # at least half of the question's words appear in the article
BODY_WORDS = 300  # what an article is about is in its title and first paragraphs; bounds memory


@dataclass(frozen=True)
class ArticleHit:
    article_id: int
    score: float


class ArticleIndex:
    def __init__(self) -> None:
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._locale: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._locale)

    @staticmethod
    def _stems(text: str, limit: int | None = None) -> list[str]:
        return [stem(w) for w in words(text, limit) if len(w) >= MIN_WORD]

    def add(self, article_id: int, locale: str, search_text: str) -> None:
        """Index an article; `search_text` is its title, a line break, then its text."""
        if article_id in self._locale:
            return
        self._locale[article_id] = locale
        title, _sep, body = search_text.partition("\n")
        weights: dict[str, float] = {}
        for word in self._stems(body, BODY_WORDS):
            weights[word] = weights.get(word, 0.0) + 1.0
        for word in self._stems(title):
            weights[word] = weights.get(word, 0.0) + TITLE_WEIGHT
        for word, weight in weights.items():
            self._postings[word][article_id] = 1.0 + math.log(weight)

    def search(self, query: str, locale: str, limit: int = 3) -> list[ArticleHit]:
        terms = list(dict.fromkeys(self._stems(query, 60)))[:MAX_QUERY_WORDS]
        if not terms or not self._locale:
            return []
        total = len(self._locale)
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for term in terms:
            postings = self._postings.get(term)
            if not postings:
                continue
            rarity = math.log(1 + total / len(postings))
            for article_id, weight in postings.items():
                scores[article_id] += weight * rarity
                matched[article_id] += 1
        needed = max(1, math.ceil(len(terms) * MIN_COVERAGE))
        hits = [
            ArticleHit(
                article_id, score * (OWN_LANGUAGE if self._locale[article_id] == locale else 1.0)
            )
            for article_id, score in scores.items()
            if matched[article_id] >= needed
        ]
        hits.sort(key=lambda hit: (-hit.score, -hit.article_id))
        return hits[:limit]

"""The FAQ and its search index, loaded once at start-up and shared by all handlers."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from bot.content_files import CONTENT_DIR, Problems
from bot.rights.content import Entry, Faq, load_faq
from bot.rights.index_file import INDEX_PATH, load_or_build
from bot.rights.lexicon import load_lexicon
from bot.rights.search import DEFAULT_LIMIT, FaqSearch, Result


@dataclass(frozen=True)
class FaqService:
    faq: Faq
    index: FaqSearch

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[Entry]:
        return [self.faq.entries[hit.entry_id] for hit in self.index.search(query, limit)]

    def find(self, query: str, limit: int = DEFAULT_LIMIT) -> Result:
        return self.index.find(query, limit)


@functools.lru_cache(maxsize=4)
def load_faq_service(content_dir: Path = CONTENT_DIR) -> FaqService:
    """Load the FAQ and its index (compiled, or built when the guide changed); raise
    ContentError listing every problem.

    Cached per directory: content changes take a restart, and the objects are immutable.
    """
    problems = Problems()
    faq = load_faq(content_dir, problems)
    lexicon = load_lexicon(content_dir, problems)
    problems.raise_if_any()
    index = load_or_build(faq, lexicon, content_dir / INDEX_PATH)
    return FaqService(faq, FaqSearch(lexicon, index))

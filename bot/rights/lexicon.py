"""The editors' word lists for the FAQ search: stop words, greetings and synonyms per language.

Loaded from `content/faq/synonyms/<lang>.yaml`; the content check and the search both read them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bot import LOCALES
from bot.content_files import CONTENT_DIR, Problems, line_of, load_locale_mappings
from bot.rights.normalize import stem, words


@dataclass(frozen=True)
class Lexicon:
    """Editors' word lists: stop words to ignore and synonyms (variant stem → canonical words)."""

    stopwords: frozenset[str]
    synonyms: dict[str, tuple[str, ...]]
    greetings: frozenset[str] = frozenset()


def load_lexicon(content_dir: Path = CONTENT_DIR, problems: Problems | None = None) -> Lexicon:
    own = problems if problems is not None else Problems()
    stop: set[str] = set()
    greet: set[str] = set()
    synonyms: dict[str, list[str]] = defaultdict(list)
    paths = {locale: content_dir / "faq" / "synonyms" / f"{locale}.yaml" for locale in LOCALES}
    found = load_locale_mappings(
        paths,
        own,
        missing="synonyms and stop words for {locale}",
        keys="stopwords, greetings, synonyms",
    )
    for locale, data in found.items():
        path = paths[locale]
        listed = data.get("stopwords", [])
        if not isinstance(listed, list) or not all(isinstance(w, str) for w in listed):
            own.add(path, line_of(data, "stopwords"), "stopwords: a list of words")
            listed = []
        stop.update(w for word in listed for w in words(word))
        greeting_list = data.get("greetings", [])
        if not isinstance(greeting_list, list) or not all(
            isinstance(w, str) for w in greeting_list
        ):
            own.add(path, line_of(data, "greetings"), "greetings: a list of words")
            greeting_list = []
        greet.update(w for word in greeting_list for w in words(word))
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
    synonym_map = {k: tuple(dict.fromkeys(v)) for k, v in synonyms.items()}
    # A greeting is never a search word: "салом, шавҳарам мезанад" searches the rest.
    return Lexicon(frozenset(stop | greet), synonym_map, frozenset(greet))

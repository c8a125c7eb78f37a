"""Text processing for FAQ search: one folding for the index and the query alike.

People type Tajik with Russian letters (х for ҳ, ч for ҷ, қ as к ...), Russian and Tajik in Latin
letters, with typos and without punctuation. So every word is folded to one Cyrillic-like
"skeleton": Unicode-normalised, lower case, diacritics removed (ӣ→и, ӯ→у, ё→е, й→и), Tajik letters
folded to their Russian look-alikes (ҳ→х, ҷ→ч, қ→к, ғ→г), Latin transliterated to Cyrillic, and
letters that people confuse merged (ы→и, э→е, soft/hard signs dropped). English is folded the same
way: both sides of a comparison always go through the same function, so this only has to be
consistent, not linguistically exact.
"""

from __future__ import annotations

import functools
import re
import unicodedata

MAX_QUERY_CHARS = 400  # a question is a sentence or two; the rest of a long message is noise
MAX_QUERY_WORDS = 40
STEM_LENGTH = 5  # a word prefix stands in for a stem in Russian and Tajik (rich endings)
MIN_STEM = 3  # a stem never loses letters below this
NGRAM_SIZES = (3, 4)

_TAJIK = str.maketrans({"ҳ": "х", "ҷ": "ч", "қ": "к", "ғ": "г", "ӣ": "и", "ӯ": "у"})
_CONFUSED = str.maketrans({"ы": "и", "э": "е", "ь": None, "ъ": None, "щ": "ш", "ё": "е"})
# Latin → Cyrillic, longest sequences first; Tajik Latin j and q are ҷ and қ.
_LATIN_MULTI = (
    ("shch", "ш"),
    ("sch", "ш"),
    ("tsh", "ч"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("gh", "г"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
    ("ye", "е"),
)
_LATIN_SINGLE = str.maketrans(
    {
        "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
        "i": "и", "j": "ч", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
        "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "х",
        "y": "и", "z": "з",
    }
)  # fmt: skip
_LATIN_RE = re.compile("|".join(src for src, _ in _LATIN_MULTI))
_LATIN_MAP = dict(_LATIN_MULTI)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_REPEATS_RE = re.compile(r"(.)\1+")
_HTML_TAG_RE = re.compile(r"<[^>]*>")
# An apostrophe inside a Latin word is a soft or hard sign («b'et» = «бьёт»): drop it.
_APOSTROPHE_RE = re.compile(r"(?<=[a-z])['’`ʼ](?=[a-z])")


# The same words recur across answers and queries. The caches are bounded so that a crowd typing
# many different words (typos, names) cannot grow the process: ~7 MB all three when full (they
# were 65,536 entries each: 127 MB when full).
@functools.lru_cache(maxsize=8192)
def fold_word(word: str) -> str:
    """One word (already lower case, letters and digits only) to its skeleton."""
    word = word.translate(_TAJIK)
    word = "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))
    if word.isascii():
        # A final "ts" is an English plural ("rights", "beats"), not «ц».
        tail = "тс" if word.endswith("ts") else ""
        word = word[:-2] if tail else word
        word = _LATIN_RE.sub(lambda m: _LATIN_MAP[m.group(0)], word).translate(_LATIN_SINGLE)
        word += tail
    word = word.translate(_CONFUSED)
    return _REPEATS_RE.sub(r"\1", word)


def words(text: str, limit: int | None = None) -> list[str]:
    """Folded words of a text (tags removed); `limit` caps the work for long user messages."""
    text = unicodedata.normalize("NFKC", _HTML_TAG_RE.sub(" ", text)).casefold()
    text = _APOSTROPHE_RE.sub("", text)
    found = _WORD_RE.findall(text)
    if limit is not None:
        found = found[:limit]
    return [folded for word in found if (folded := fold_word(word))]


_VOWELS = "аеиоуяю"


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A word prefix, without the vowels it ends in: «пытка», «пытки», «пытками» → «пытк»."""
    prefix = word[:STEM_LENGTH]
    if prefix.isdigit():
        return prefix
    return prefix[:MIN_STEM] + prefix[MIN_STEM:].rstrip(_VOWELS)


@functools.lru_cache(maxsize=2048)  # a tuple of ~20 strings each
def ngrams(word: str) -> tuple[str, ...]:
    """Character n-grams of a word with boundary marks, so typos still share most of them."""
    marked = f"^{word}$"
    grams = [marked[i : i + n] for n in NGRAM_SIZES for i in range(len(marked) - n + 1)]
    return tuple(grams) or (marked,)


def letter_count(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


MIN_WORD = 2  # one-letter words carry no meaning here


def useful_words(text: str, stopwords: frozenset[str], limit: int | None = None) -> list[str]:
    """The words of a text that can be searched for: not too short, not a stop word."""
    return [w for w in words(text, limit) if len(w) >= MIN_WORD and w not in stopwords]

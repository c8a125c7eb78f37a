"""The guide's search index compiled to a file: built once per guide and code, read at start-up.

Building the index takes ~0.3 s and leaves ~17 MB in the process (what the build needed at its
peak stays with the allocator); reading the compiled file takes a few milliseconds and only
what the search keeps. The file holds data only, a JSON header and flat arrays, never pickle:
reading it runs no code. Its fingerprint is a hash of every text the index is built from, of
the stop words and of the code that builds it, so an edited answer or a new release is never
served from an old index. A missing, stale or damaged file is built again and rewritten; where
the folder is read-only (the image), the bot builds the index in memory and says so once.

    MAGIC | header length (4 bytes, little-endian) | header (JSON) | arrays, back to back
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import sys
import zlib
from array import array
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from bot.compiled_files import reason, write_whole
from bot.content_files import Problems
from bot.rights import index_build, index_parts, normalize
from bot.rights.content import Faq, load_faq
from bot.rights.index_build import build_parts, documents
from bot.rights.index_parts import (
    Deletions,
    GramSlots,
    IndexParts,
    Postings,
    Rarities,
    Vocabulary,
    gram_code,
    narrow,
    variant_key,
)
from bot.rights.lexicon import Lexicon, load_lexicon

log = logging.getLogger(__name__)
MAGIC = b"notorture guide index 2\n"
INDEX_PATH = Path(".compiled") / "guide-index"  # inside the content folder
WHAT = "The guide's search index"
_CODE = (index_build, index_parts, normalize)  # what decides the index besides the guide
_BLOBS = (  # each array's type is in the header: numbers take the smallest that holds them
    "words.starts",
    "words.docs",
    "words.values",
    "grams.starts",
    "grams.docs",
    "grams.values",
    "grams.codes",  # the coded n-grams, sorted (see GramSlots)
    "near.checksums",
    "near.owners",
    "vocabulary.starts",
    "vocabulary.keys",
    "rarity",  # beside the word terms, in their order
    "entry_stems",  # word term numbers, each entry's run given in the header
)


_TYPES = ("B", "H", "I", "Q", "d")
_TYPE_OF = {"words.values": "d", "grams.values": "d", "rarity": "d", "grams.codes": "Q"}


class IndexFileError(Exception):
    """The file is not a compiled index of this guide and code (stale, damaged, foreign)."""


def fingerprint(faq: Faq, lexicon: Lexicon) -> str:
    digest = hashlib.sha256(MAGIC)
    for module in (*_CODE, sys.modules[__name__]):
        digest.update(Path(module.__file__ or "").read_bytes())
    for word in sorted(lexicon.stopwords):
        digest.update(word.encode() + b"\0")
    for entry_id, place, latin, fields in documents(faq):
        digest.update(f"\1{entry_id}\0{place}\0{latin:d}".encode())
        for name, text in fields.items():
            digest.update(f"\0{name}\0{text}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def encode(parts: IndexParts, stamp: str) -> bytes:
    word_terms = list(parts.words.slots)
    if parts.rarity.slots is not parts.words.slots or len(parts.rarity.values) != len(word_terms):
        raise ValueError("every word stem has a rarity")
    if not isinstance(parts.grams.slots, GramSlots):
        raise ValueError("the n-grams are numbered by their codes")
    runs, numbers = [], []
    for (entry_id, latin), stems in parts.entry_stems.items():
        start = len(numbers)
        numbers.extend(stems)
        runs.append([entry_id, latin, start, len(numbers)])
    stem_numbers = narrow(numbers, max(len(word_terms), *numbers, 0))
    vocabulary = parts.near.words
    arrays = {
        "words.starts": parts.words.starts,
        "words.docs": parts.words.docs,
        "words.values": parts.words.values,
        "grams.starts": parts.grams.starts,
        "grams.docs": parts.grams.docs,
        "grams.values": parts.grams.values,
        "grams.codes": parts.grams.slots.codes,
        "near.checksums": parts.near.checksums,
        "near.owners": parts.near.owners,
        "vocabulary.starts": vocabulary.starts,
        "vocabulary.keys": vocabulary.keys,
        "rarity": parts.rarity.values,
        "entry_stems": stem_numbers,
    }
    blobs = b"".join(arrays[name].tobytes() for name in _BLOBS)
    header = {
        "fingerprint": stamp,
        "machine": _machine(),
        "arrays": [[arrays[name].typecode, len(arrays[name])] for name in _BLOBS],
        "blobs_crc32": zlib.crc32(blobs),
        "docs": parts.docs,
        "latin_docs": sorted(parts.latin_docs),
        "position": dict(parts.position),
        "word_terms": word_terms,
        "gram_others": list(parts.grams.slots.others),
        "vocabulary": vocabulary.text,
        "unknown_rarity": parts.unknown_rarity,
        "entry_stems": runs,
    }
    encoded = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    return MAGIC + len(encoded).to_bytes(4, "little") + encoded + blobs


def decode(data: bytes, stamp: str) -> IndexParts:
    """The parts in `data`; IndexFileError unless it is a sound index with this fingerprint."""
    try:
        return _decode(memoryview(data), stamp)
    except IndexFileError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise IndexFileError(f"damaged ({type(exc).__name__})") from None


def _decode(data: memoryview, stamp: str) -> IndexParts:
    if bytes(data[: len(MAGIC)]) != MAGIC:
        raise IndexFileError("not a compiled guide index")
    at = len(MAGIC) + 4
    end = at + int.from_bytes(data[len(MAGIC) : at], "little")
    header = json.loads(bytes(data[at:end]))
    if header["fingerprint"] != stamp:
        raise IndexFileError("stale: the guide or the search code changed")
    if header["machine"] != _machine():
        raise IndexFileError("compiled on another kind of machine")
    if zlib.crc32(data[end:]) != header["blobs_crc32"]:
        raise IndexFileError("damaged (checksum)")
    arrays: dict[str, array] = {}
    for name, (code, size) in zip(_BLOBS, header["arrays"], strict=True):
        _check(code == _TYPE_OF[name] if name in _TYPE_OF else code in "BHI")
        arrays[name] = array(code)
        arrays[name].frombytes(data[end : end + size * arrays[name].itemsize])
        end += size * arrays[name].itemsize
    if end != len(data):
        raise IndexFileError("damaged (length)")
    docs = tuple(header["docs"])
    word_terms, gram_others = header["word_terms"], header["gram_others"]
    codes = arrays["grams.codes"]
    _check(all(a < b for a, b in itertools.pairwise(codes)))
    _check(all(isinstance(g, str) and gram_code(g) is None for g in gram_others))
    gram_slots = GramSlots(
        codes, MappingProxyType({g: len(codes) + n for n, g in enumerate(gram_others)})
    )
    words = _postings({term: n for n, term in enumerate(word_terms)}, arrays, "words", len(docs))
    grams = _postings(gram_slots, arrays, "grams", len(docs))
    vocabulary = _vocabulary(header["vocabulary"], arrays)
    _check(len(arrays["near.checksums"]) == len(arrays["near.owners"]))
    _check(max(arrays["near.owners"], default=-1) < len(vocabulary))
    _check(len(arrays["rarity"]) == len(word_terms))
    _check(max(arrays["entry_stems"], default=-1) < len(word_terms))
    stems = arrays["entry_stems"]
    entry_stems = {
        (entry_id, bool(latin)): stems[start:stop]
        for entry_id, latin, start, stop in header["entry_stems"]
    }
    _check(all(a < b for run in entry_stems.values() for a, b in itertools.pairwise(run)))
    position = {str(k): int(v) for k, v in header["position"].items()}
    _check(set(docs) <= set(position) and all(isinstance(d, str) for d in docs))
    return IndexParts(
        docs=docs,
        latin_docs=frozenset(int(d) for d in header["latin_docs"]),
        position=MappingProxyType(position),
        words=words,
        grams=grams,
        near=Deletions(vocabulary, arrays["near.checksums"], arrays["near.owners"]),
        rarity=Rarities(words.slots, arrays["rarity"]),
        unknown_rarity=float(header["unknown_rarity"]),
        entry_stems=MappingProxyType(entry_stems),
    )


def _vocabulary(text: str, arrays: dict[str, array]) -> Vocabulary:
    starts, keys = arrays["vocabulary.starts"], arrays["vocabulary.keys"]
    _check(isinstance(text, str) and len(starts) == len(keys) + 1)
    _check(starts[0] == 0 and starts[-1] == len(text))
    _check(all(a < b for a, b in itertools.pairwise(starts)))
    vocabulary = Vocabulary(text, starts, keys)
    _check(all(variant_key(word) == key for word, key in zip(vocabulary, keys, strict=True)))
    _check(all(a <= b for a, b in itertools.pairwise(keys)))
    return vocabulary


def _postings(slots: Mapping[str, int], arrays: dict[str, array], name: str, docs: int) -> Postings:
    starts = arrays[f"{name}.starts"]
    postings = Postings(
        slots,
        starts,
        arrays[f"{name}.docs"],
        arrays[f"{name}.values"],
    )
    _check(len(starts) == len(slots) + 1)
    _check(starts[0] == 0 and starts[-1] == len(postings.docs) == len(postings.values))
    _check(all(a <= b for a, b in itertools.pairwise(starts)))
    _check(max(postings.docs, default=-1) < docs)
    return postings


def _check(condition: bool) -> None:
    if not condition:
        raise IndexFileError("damaged (inconsistent)")


def _machine() -> str:
    return sys.byteorder + "".join(f" {code}{array(code).itemsize}" for code in _TYPES)


def load_or_build(faq: Faq, lexicon: Lexicon, path: Path) -> IndexParts:
    """The index from `path` when it was compiled from this guide and code; built otherwise,
    and written to `path` for the next start where the folder allows."""
    stamp = fingerprint(faq, lexicon)
    try:
        return decode(path.read_bytes(), stamp)
    except FileNotFoundError:
        log.info("The guide's search index is not compiled yet: building it")
    except (OSError, IndexFileError) as exc:
        log.info("The guide's compiled search index is not used (%s): building it", reason(exc))
    parts = build_parts(faq, lexicon)
    write_whole(path, encode(parts, stamp), WHAT)
    return parts


def compile_index(content_dir: Path, path: Path) -> bool:
    """Build the index of the guide in `content_dir` and write it to `path` (ContentError if
    the guide has problems); False if it cannot be written."""
    problems = Problems()
    faq = load_faq(content_dir, problems)
    lexicon = load_lexicon(content_dir, problems)
    problems.raise_if_any()
    return write_whole(path, encode(build_parts(faq, lexicon), fingerprint(faq, lexicon)), WHAT)

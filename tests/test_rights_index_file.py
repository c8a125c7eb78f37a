"""The guide's compiled search index: read back equal to a fresh build, never served stale or
damaged, and the bot still starts where the file cannot be written."""

from __future__ import annotations

import json
import logging
import shutil
import tracemalloc
from array import array
from dataclasses import replace
from pathlib import Path

import pytest

from bot.content_files import CONTENT_DIR
from bot.rights import index_file
from bot.rights.cli import build_index
from bot.rights.content import load_faq
from bot.rights.index_build import build_parts
from bot.rights.index_file import (
    INDEX_PATH,
    MAGIC,
    IndexFileError,
    decode,
    encode,
    fingerprint,
    load_or_build,
)
from bot.rights.index_parts import IndexParts, Vocabulary
from bot.rights.lexicon import load_lexicon
from bot.rights.normalize import stem, words
from bot.rights.search import FaqSearch
from bot.rights.service import load_faq_service

QUESTIONS = ("меня пытали в милиции", "чи тавр чудо шавем талок", "my husband beats me", "адвокат")


@pytest.fixture(scope="module")
def guide():
    faq, lexicon = load_faq(), load_lexicon()
    return faq, lexicon, build_parts(faq, lexicon), fingerprint(faq, lexicon)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the guide without a compiled index."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR / "faq", root / "faq")
    return root


def no_build(*_args: object) -> IndexParts:
    raise AssertionError("the index was built although a sound compiled file was there")


def test_the_compiled_index_reads_back_equal_to_the_build(guide) -> None:
    _faq, lexicon, parts, stamp = guide
    back = decode(encode(parts, stamp), stamp)
    assert back == parts  # every array, table and number
    built, loaded = FaqSearch(lexicon, parts), FaqSearch(lexicon, back)
    for question in QUESTIONS:
        assert loaded.find(question) == built.find(question)
        assert built.find(question).hits  # the questions do find something


def test_the_second_start_reads_the_file_and_builds_nothing(content: Path, monkeypatch) -> None:
    faq, lexicon = load_faq(content), load_lexicon(content)
    path = content / INDEX_PATH
    first = load_or_build(faq, lexicon, path)
    assert path.read_bytes().startswith(MAGIC)
    monkeypatch.setattr(index_file, "build_parts", no_build)
    assert load_or_build(faq, lexicon, path) == first


def test_an_edited_answer_is_never_served_from_the_old_index(content: Path) -> None:
    path = content / INDEX_PATH
    load_or_build(load_faq(content), load_lexicon(content), path)
    old = path.read_bytes()
    page = content / "faq" / "en" / "hiv.yaml"
    text = page.read_text(encoding="utf-8")
    at = text.index("    answer: |\n") + len("    answer: |\n")
    page.write_text(text[:at] + "      Zanzibarian quokkas.\n      \n" + text[at:], "utf-8")
    faq, lexicon = load_faq(content), load_lexicon(content)
    parts = load_or_build(faq, lexicon, path)
    assert path.read_bytes() != old  # rewritten for the next start
    assert stem(words("Zanzibarian")[0]) in parts.words.slots
    assert parts == build_parts(faq, lexicon)
    assert decode(path.read_bytes(), fingerprint(faq, lexicon)) == parts
    with pytest.raises(IndexFileError, match="stale"):
        decode(old, fingerprint(faq, lexicon))


def test_new_stop_words_make_the_index_stale(content: Path, guide) -> None:
    _faq, lexicon, _parts, stamp = guide
    fewer = replace(lexicon, stopwords=lexicon.stopwords - {next(iter(lexicon.stopwords))})
    assert fingerprint(load_faq(content), fewer) != stamp


def damaged(data: bytes) -> list[bytes]:
    header_end = len(MAGIC) + 4 + int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "little")
    flip = bytearray(data)
    flip[-7] ^= 0x40  # one bit of the arrays
    header = bytearray(data)
    header[header_end - 3] ^= 0x01  # the header's JSON
    return [
        b"",
        data[: len(data) // 2],  # a copy cut short
        data[:header_end],
        bytes(flip),
        bytes(header),
        data + b"\0\0\0\0",
        b"notorture guide index 0\n" + data[len(MAGIC) :],
        b"\x80\x04\x95" + data,  # a pickle is not an index
        bytes(range(256)) * 40,
    ]


@pytest.mark.parametrize("case", range(9))
def test_a_damaged_file_is_built_again_and_replaced(content: Path, guide, case: int) -> None:
    _faq, _lexicon, parts, stamp = guide
    path = content / INDEX_PATH
    load_or_build(load_faq(content), load_lexicon(content), path)
    bad = damaged(path.read_bytes())[case]
    with pytest.raises(IndexFileError):
        decode(bad, fingerprint(load_faq(content), load_lexicon(content)))
    path.write_bytes(bad)
    again = load_or_build(load_faq(content), load_lexicon(content), path)
    assert again == parts
    assert decode(path.read_bytes(), stamp) == parts


def test_a_forged_file_with_a_right_checksum_is_refused(guide) -> None:
    """Numbers that point outside the arrays would break a search later: refused at reading."""
    _faq, _lexicon, parts, stamp = guide
    words = replace(parts.words, docs=array("I", [*parts.words.docs[:-1], len(parts.docs) + 5]))
    codes, vocabulary = parts.grams.slots, parts.near.words
    unsorted = replace(codes, codes=array("Q", reversed(codes.codes)))
    wrong_keys = array("I", [key ^ 1 for key in vocabulary.keys])
    forged = [
        replace(parts, words=words),
        replace(parts, near=replace(parts.near, words=Vocabulary.of(list(parts.near.words)[:10]))),
        replace(parts, grams=replace(parts.grams, starts=parts.grams.starts[:-1])),
        replace(parts, entry_stems={("x", True): array("I", [len(parts.words.slots) + 3])}),
        replace(parts, entry_stems={("x", True): array("I", [5, 2])}),  # must be sorted
        replace(parts, grams=replace(parts.grams, slots=unsorted)),
        replace(parts, grams=replace(parts.grams, slots=replace(codes, others={"абв": 0}))),
        replace(parts, near=replace(parts.near, words=replace(vocabulary, keys=wrong_keys))),
    ]
    for each in forged:
        with pytest.raises(IndexFileError, match="inconsistent"):
            decode(encode(each, stamp), stamp)


def test_the_header_is_plain_data(guide) -> None:
    _faq, _lexicon, parts, stamp = guide
    data = encode(parts, stamp)
    size = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "little")
    header = json.loads(data[len(MAGIC) + 4 : len(MAGIC) + 4 + size])
    assert header["fingerprint"] == stamp and len(header["docs"]) == len(parts.docs)


def test_a_read_only_place_still_gives_a_working_guide(content: Path, guide, caplog) -> None:
    """In the image the content folder is not the bot's: it builds in memory and says so."""
    _faq, _lexicon, parts, _stamp = guide
    blocked = content / "blocked"
    blocked.write_text("a file where the folder would be")
    caplog.set_level(logging.INFO)
    assert load_or_build(load_faq(content), load_lexicon(content), blocked / "index") == parts
    assert any("cannot be saved" in r.getMessage() for r in caplog.records)
    assert set(content.iterdir()) == {content / "faq", blocked}  # no temporary file left


def test_reading_the_file_needs_a_fraction_of_the_build_s_memory(guide) -> None:
    """The point of the file: the build's peak (what stays with the allocator) is not paid."""
    faq, lexicon, _parts, stamp = guide
    tracemalloc.start()
    try:
        build_parts(faq, lexicon)
        _, build_peak = tracemalloc.get_traced_memory()
        data = encode(build_parts(faq, lexicon), stamp)
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        decode(data, stamp)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read_peak - before < build_peak / 2


def test_the_build_index_command_writes_a_sound_file(content: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("bot.rights.cli.CONTENT_DIR", content)
    assert build_index(None) == 0  # type: ignore[arg-type]
    assert "compiled" in capsys.readouterr().out
    monkeypatch.setattr(index_file, "build_parts", no_build)
    service = load_faq_service(content)
    assert service.find(QUESTIONS[0]).hits

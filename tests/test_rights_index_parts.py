"""The index's compact tables: n-grams as sorted codes, the vocabulary as one string, numbers in
the smallest array type. Each answers exactly what the dicts, tuples and sets it replaced did."""

from __future__ import annotations

from array import array
from dataclasses import replace

import pytest

from bot.rights.content import load_faq
from bot.rights.index_build import build_parts
from bot.rights.index_file import decode, encode, fingerprint
from bot.rights.index_parts import GramSlots, Postings, Vocabulary, gram_code, narrow
from bot.rights.lexicon import load_lexicon

BEYOND_BMP = "𝐚𝐛𝐜"  # mathematical letters: two UTF-16 units each, no 64-bit code


@pytest.fixture(scope="module")
def guide():
    faq, lexicon = load_faq(), load_lexicon()
    return build_parts(faq, lexicon), fingerprint(faq, lexicon)


def test_numbers_take_the_smallest_type_that_holds_them() -> None:
    assert narrow([0, 212]).typecode == "B"
    assert narrow([0, 256]).typecode == "H"
    assert narrow([70_000]).typecode == "I"
    assert narrow([], 3_081).typecode == "H" and narrow([1, 2], 300).tolist() == [1, 2]


def test_n_gram_codes_tell_every_short_gram_apart() -> None:
    grams = ["^аб", "аб$", "^абв", "абв$", "ҳҷқғ", "ab", "a", "^ӣӯ$"]
    codes = [gram_code(g) for g in grams]
    assert len(set(codes)) == len(grams) and all(c is not None and c < 2**64 for c in codes)
    assert gram_code(BEYOND_BMP) is None and gram_code("пытка") is None  # five letters
    assert gram_code("ab\0") is None and gram_code("\0") is None  # else equal to "ab", ""


def test_gram_slots_answer_like_the_dict_they_replace() -> None:
    grams = ["^пы", "пыт", BEYOND_BMP, "тка$", "^ҳу", "қуқ", "пы\0"]
    slots, order = GramSlots.numbering(grams)
    table = {gram: number for number, gram in enumerate(order)}
    assert sorted(order) == sorted(grams) and order[-2:] == [BEYOND_BMP, "пы\0"]  # uncoded last
    assert list(slots) == order and len(slots) == len(grams)
    for gram in grams:
        assert slots.get(gram) == table[gram] == slots[gram] and gram in slots
    for missing in ("пытк", "^пы$", "", "𝐚𝐛", "пы\0\0"):
        assert slots.get(missing) is None and missing not in slots
    with pytest.raises(KeyError):
        slots["нет"]


def test_the_vocabulary_answers_like_a_set() -> None:
    words = ["пытка", "милиция", "адвокат", "пытка", "ҳуқуқ", "zanzibarian"]
    vocabulary = Vocabulary.of(words)
    assert sorted(vocabulary) == sorted(set(words)) and len(vocabulary) == 5
    assert all(word in vocabulary for word in words)
    assert all(vocabulary[n] == word for n, word in enumerate(vocabulary))
    for other in ("пытк", "пыткаа", "", "адвокат ", 5, None):
        assert other not in vocabulary


def test_the_guide_s_vocabulary_and_n_grams_are_all_found(guide) -> None:
    parts, _stamp = guide
    grams = list(parts.grams.slots)
    assert len(grams) > 5_000 and len(set(grams)) == len(grams)
    assert all(parts.grams.slots.get(gram) == number for number, gram in enumerate(grams))
    assert all(word in parts.near.words for word in parts.near.words)
    assert parts.words.docs.typecode == parts.grams.docs.typecode == "B"  # 213 documents


def test_an_n_gram_without_a_code_survives_the_file(guide) -> None:
    parts, stamp = guide
    slots, order = GramSlots.numbering(["^аб", BEYOND_BMP, "аб$"])
    grams = Postings(slots, array("I", [0, 1, 2, 3]), narrow([0, 1, 2]), array("d", [1, 2, 3]))
    odd = replace(parts, grams=grams)
    back = decode(encode(odd, stamp), stamp)
    assert back == odd and back.grams.slots.get(BEYOND_BMP) == order.index(BEYOND_BMP) == 2

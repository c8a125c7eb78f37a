"""Honest search (issue 11), measured with the real search on the real guide: the new question
set as people type, the off-topic set, greetings, direct answers, and the named cases."""

from __future__ import annotations

import pytest

from bot.rights import evaluate
from bot.rights.search import FaqSearch
from bot.rights.service import FaqService, load_faq_service

REQUIRED = 0.9


@pytest.fixture(scope="module")
def service() -> FaqService:
    return load_faq_service()


@pytest.fixture(scope="module")
def index(service: FaqService) -> FaqSearch:
    return service.index


def test_people_questions_top3_rate_per_language(index: FaqSearch) -> None:
    questions = evaluate.load_set(evaluate.PEOPLE_SET)
    rates = evaluate.top3_rates(index, questions)
    print({lang: rates.line(lang) for lang in rates.languages()}, *rates.failures, sep="\n")
    assert rates.languages() == ["tg", "ru", "en"]
    assert min(rates.asked.values()) >= 40
    assert all(rates.rate(lang) >= REQUIRED for lang in rates.languages()), rates.failures


def test_first_question_set_keeps_its_top3_rate(index: FaqSearch) -> None:
    rates = evaluate.top3_rates(index, evaluate.load_set(evaluate.FIRST_SET))
    assert all(rates.rate(lang) >= REQUIRED for lang in rates.languages()), rates.failures


@pytest.mark.parametrize("split", ["calib", "heldout"])
def test_off_topic_questions_get_no_entries(index: FaqSearch, split: str) -> None:
    questions = evaluate.load_set(evaluate.OFFTOPIC_SET)
    rates = evaluate.honest_rates(index, questions, split)
    print(split, f"{rates.total():.1%}", *rates.failures, sep="\n")
    assert sum(rates.asked.values()) >= 36
    assert rates.total() >= REQUIRED, rates.failures


def test_entries_of_the_off_topic_set_are_ids_and_expected_ids_exist(service: FaqService) -> None:
    for name in (evaluate.PEOPLE_SET, evaluate.FIRST_SET):
        for item in evaluate.load_set(name):
            assert item["expect"] in service.faq.entries, item
    for item in evaluate.load_set(evaluate.OFFTOPIC_SET):
        assert item["split"] in ("calib", "heldout") and "expect" not in item, item


@pytest.mark.parametrize(
    "text",
    [
        "салом",
        "Ассалому алейкум!",
        "привет",
        "Здравствуйте",
        "привет как дела",
        "hello",
        "Hi there",
    ],
)
def test_greetings_are_greetings(index: FaqSearch, text: str) -> None:
    result = index.find(text)
    assert result.greeting and not result.hits


def test_a_greeting_before_a_question_searches_the_question(index: FaqSearch) -> None:
    result = index.find("салом, шавҳарам маро мезанад")
    assert not result.greeting
    assert "dv_where_help" in [hit.entry_id for hit in result.hits[:3]]


def top(index: FaqSearch, query: str, n: int = 3) -> list[str]:
    return [hit.entry_id for hit in index.search(query, limit=n)]


def test_named_cases(index: FaqSearch) -> None:
    assert top(index, "пытки", 1) == ["torture_what"]
    assert top(index, "police beat me what do i do", 1) == ["aft_now"]
    for query in ("муж бьет", "muzh b'et", "шавҳарам мезанад", "husband beats me"):
        found = [hit.entry_id for hit in index.search(query)]  # what the bot offers
        assert found and not any(entry_id.startswith("army") for entry_id in found), query
    assert top(index, "taken by police", 1) == ["det_first_hours"]
    assert top(index, "dopros", 1) == ["det_silence"]
    assert top(index, "zaderzhali", 1) == ["det_first_hours"]


def test_long_emotional_messages_find_the_entry(index: FaqSearch) -> None:
    cases = {
        "Я больше не могу. Муж каждый день кричит и бьёт, свекровь говорит терпи. У меня двое "
        "детей, куда мне идти?": "dv_where_help",
        "Please help me. My son was taken by police yesterday and nobody tells us where he is. "
        "They say he can't have a lawyer.": "det_lawyer",
        "Салом. Ман аз Хатлон. Шавҳарам 2 сол боз дар Русия, пул намефиристад, 3 фарзанд дорам. "
        "Чӣ кор кунам?": "fam_alimony",
    }
    for message, expected in cases.items():
        assert expected in top(index, message), message


def test_strong_single_match_is_direct_and_weak_ones_are_not(index: FaqSearch) -> None:
    direct = index.find("алименты").direct
    assert direct is not None and direct.entry_id == "fam_alimony"
    assert index.find("free legal aid").direct is not None
    assert index.find("what are my rights").direct is None  # vague: a list, not one answer


def test_direct_answers_are_almost_always_the_expected_entry(index: FaqSearch) -> None:
    questions = evaluate.load_set(evaluate.FIRST_SET) + evaluate.load_set(evaluate.PEOPLE_SET)
    direct = wrong = 0
    for item in questions:
        hit = index.find(item["q"]).direct
        if hit is not None:
            direct += 1
            wrong += hit.entry_id != item["expect"]
    assert direct >= 30 and wrong <= direct * 0.02, (direct, wrong)

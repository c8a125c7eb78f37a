"""The "Know your rights" demo script: topics, answers and search in three languages."""

from __future__ import annotations

from tests.test_demo import run_demo_script


def test_rights_demo_walks_topics_answers_and_search() -> None:
    transcript = run_demo_script("rights.txt")
    for heading in ("📚 Know your rights", "📚 Знай свои права", "📚 Ҳуқуқҳои худро донед"):
        assert heading in transcript, heading
    assert "What is torture?\n" in transcript  # an answer page (its header line)
    assert "article 143¹ of the Criminal Code" in transcript
    assert "How long can the police hold me?" in transcript  # found by a typed question
    assert "Этот ответ ещё проверяют юристы Коалиции" in transcript
    assert "start%3Dfaq_torture_what" in transcript  # the Share deep link
    assert "I could not find" not in transcript.split("football match")[0]
    assert "Дар роҳнамо ҳоло ба ин савол ҷавоб нест" in transcript  # off-topic, in Tajik
    assert "қабулгоҳҳои сайёри ҳуқуқӣ" in transcript  # ... with the legal receptions
    assert "Салом! Ин боти Эътилоф" in transcript  # a greeting gets a greeting and the menu
    assert "Алимент: чӣ қадар ва чӣ тавр гирифтан мумкин аст?\n" in transcript  # opened directly

"""Honest search end to end (issue 11): the "no answer yet" screen, greetings, direct answers."""

from __future__ import annotations

import pytest

from bot.rights.content import load_faq
from tests.conftest import RunningBot
from tests.test_rights_e2e import RIGHTS_BUTTON, start_in

FAQ = load_faq()
HOTLINES = ("98 708 76 76", "98 787 33 33", "98 787 66 66")
NO_ANSWER = {
    "tg": "Дар роҳнамо ҳоло ба ин савол ҷавоб нест",
    "ru": "В справочнике пока нет ответа на этот вопрос",
    "en": "The guide has no answer to this yet",
}
RECEPTIONS = {
    "tg": "қабулгоҳҳои сайёри ҳуқуқӣ",
    "ru": "выездных юридических приёмах",
    "en": "mobile legal receptions",
}
GREETING = {"tg": "Салом!", "ru": "Здравствуйте!", "en": "Hello!"}


@pytest.mark.parametrize(
    ("locale", "query"),
    [
        ("tg", "обу хаво пагох дар душанбе чи хел"),
        ("ru", "рецепт плова с курицей"),
        ("en", "dollar exchange rate today"),
    ],
)
async def test_off_topic_question_gets_the_honest_screen(
    running_bot: RunningBot, locale: str, query: str
) -> None:
    user = 3700 + ord(locale[0])
    await start_in(running_bot, user, locale)
    shown = await running_bot.say(user, query)
    assert NO_ANSWER[locale] in shown.text
    assert RECEPTIONS[locale] in shown.text
    assert all(number in shown.text for number in HOTLINES)
    buttons = running_bot.buttons(user)
    # No entry is offered: only the topics and the usual footer.
    questions = {entry.text(locale).question for entry in FAQ.entries.values()}
    assert not questions & set(buttons), buttons
    assert FAQ.topics[0].titles[locale] in buttons


@pytest.mark.parametrize(
    ("locale", "greeting"), [("tg", "салом"), ("ru", "Привет!"), ("en", "hello")]
)
async def test_greeting_gets_a_greeting_and_the_menu(
    running_bot: RunningBot, locale: str, greeting: str
) -> None:
    user = 3800 + ord(locale[0])
    await start_in(running_bot, user, locale)
    shown = await running_bot.say(user, greeting)
    assert GREETING[locale] in shown.text
    await running_bot.settle()
    assert RIGHTS_BUTTON[locale] in " ".join(running_bot.buttons(user))
    assert NO_ANSWER[locale] not in running_bot.last_text(user)


@pytest.mark.parametrize(
    ("locale", "query", "expected"),
    [
        ("tg", "алимент", "fam_alimony"),
        ("ru", "алименты", "fam_alimony"),
        ("en", "free legal aid", "cont_legal_aid"),
    ],
)
async def test_strong_single_match_opens_the_answer_directly(
    running_bot: RunningBot, locale: str, query: str, expected: str
) -> None:
    user = 3900 + ord(locale[0])
    await start_in(running_bot, user, locale)
    shown = await running_bot.say(user, query)
    text = FAQ.entries[expected].text(locale)
    assert text.question in shown.text  # the answer itself, not a list of buttons
    assert "These answers may help" not in shown.text
    assert any("📤" in b for b in running_bot.buttons(user))  # the answer's own buttons

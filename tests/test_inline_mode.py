"""Inline mode over the fake Bot API: `@bot question` in tg/ru/en, the prefix, the hotlines for an
empty query, no answer awaiting legal review, huge and odd queries, and off by default."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.rights.content import load_faq
from bot.rights.service import load_faq_service
from bot.telegram_html import parse_html, visible_length
from bot.trust.inline import MAX_RESULTS, InlineGuide, full_answer, split_locale
from devtools.fake_telegram import FakeTelegram
from tests.conftest import RunningBot, start_bot

FAQ = load_faq()
HOTLINE = "98 708 76 76"
OPEN = {"tg": "Дар бот кушоед", "ru": "Открыть в боте", "en": "Open in the bot"}
QUESTION = {"tg": "шиканҷа чист", "ru": "что такое пытка", "en": "what is torture"}
LANG_BUTTON = {"tg": "Тоҷикӣ", "ru": "Русский", "en": "English"}


@pytest.fixture
async def inline_bot(fake: FakeTelegram, tmp_path: Path):
    harness = await start_bot(fake, tmp_path, inline_mode=True)
    try:
        yield harness
    finally:
        await harness.stop()


async def ask(bot: RunningBot, user: int, query: str, **kwargs) -> dict:
    await bot.settle()
    query_id = bot.fake.send_inline_query(user, query, **kwargs)
    return await bot.fake.wait_for(lambda: bot.fake.inline_answer(query_id))


def locale_of(result: dict) -> str:
    return result["id"].split(".", 1)[0]


@pytest.mark.parametrize("locale", ["tg", "ru", "en"])
async def test_a_question_offers_checked_answers_in_telegrams_language(
    inline_bot: RunningBot, locale: str
) -> None:
    user = 5100 + ord(locale[0])
    answer = await ask(inline_bot, user, QUESTION[locale], language_code=locale)
    results = answer["results"]
    assert 1 <= len(results) <= MAX_RESULTS
    assert answer["is_personal"] and answer["cache_time"] > 0
    assert answer["button"]["start_parameter"] == "rights"  # above the results: the guide
    assert answer["button"]["text"].startswith("📚")
    for result in results:
        entry = FAQ.entries[result["id"].split(".", 1)[1]]
        assert not entry.awaiting_review, entry.id
        assert locale_of(result) == locale
        assert result["title"] == entry.text(locale).question
        (button,) = [b for row in result["reply_markup"]["inline_keyboard"] for b in row]
        assert OPEN[locale] in button["text"]
        link = inline_bot.services.links.username
        assert button["url"] == f"https://t.me/{link}?start=faq_{entry.id}"


async def test_the_chosen_answer_is_sent_in_full_with_the_open_button(
    inline_bot: RunningBot,
) -> None:
    user, group = 5201, -100_5201
    inline_bot.fake.add_group(group, title="Family")
    query_id_answer = await ask(inline_bot, user, "torture crime", language_code="en")
    first = query_id_answer["results"][0]
    query_id = next(q for q, v in inline_bot.fake._inline_queries().items() if v["from"] == user)
    shown = inline_bot.fake.choose_inline_result(user, query_id, first["id"], chat_id=group)
    entry = FAQ.entries[first["id"].split(".", 1)[1]]
    assert shown.raw["via_bot"]["username"] == inline_bot.fake.bot_username
    assert "<b>" not in (shown.text or "")  # sent as HTML, not shown as tags
    assert entry.text("en").question in shown.text
    more = "<i>The rest of this answer is in the bot: «📚 Open in the bot».</i>"
    assert shown.text == parse_html(full_answer(entry, "en", more))[0].strip()  # all of it
    assert OPEN["en"] in shown.buttons[0]["text"]


async def test_the_stored_language_wins_over_telegrams_and_a_prefix_over_both(
    inline_bot: RunningBot,
) -> None:
    user = 5301
    await inline_bot.say(user, "/start", language_code="en")
    await inline_bot.tap(user, LANG_BUTTON["tg"])
    answer = await ask(inline_bot, user, QUESTION["en"], language_code="en")
    assert {locale_of(r) for r in answer["results"]} == {"tg"}
    for prefix, locale in (("ru:", "ru"), ("EN :", "en"), (" tg: ", "tg")):
        answer = await ask(inline_bot, user, f"{prefix} {QUESTION[locale]}", language_code="en")
        assert answer["results"] and {locale_of(r) for r in answer["results"]} == {locale}


@pytest.mark.parametrize("query", ["", "   ", "ru:", "en:  "])
async def test_an_empty_query_offers_the_hotlines(inline_bot: RunningBot, query: str) -> None:
    answer = await ask(inline_bot, 5401, query, language_code="ru")
    (result,) = answer["results"]
    assert HOTLINE in result["input_message_content"]["message_text"]
    expected = query.strip().rstrip(":") or "ru"
    assert locale_of(result) == expected


async def test_entries_awaiting_review_are_never_offered(inline_bot: RunningBot) -> None:
    awaiting = [e for e in FAQ.entries.values() if e.awaiting_review]
    assert awaiting
    for entry in awaiting[:6]:  # over the wire; every entry below, without it
        for locale in ("tg", "ru", "en"):
            answer = await ask(
                inline_bot, 5501, f"{locale}: {entry.text(locale).question}", language_code="en"
            )
            ids = {r["id"].split(".", 1)[1] for r in answer["results"]}
            assert entry.id not in ids
            assert all(not FAQ.entries[i].awaiting_review for i in ids if i in FAQ.entries)


@pytest.mark.parametrize(
    "query",
    [
        "пытка " * 200,  # cut to 256 characters by the client
        "<b>&amp;</b> \u202e\u0000 'quote\" %s {x}",
        "😀" * 128,
        "tg:ru:en: пытка",
        "x",
        "/start",
    ],
)
async def test_huge_and_odd_queries_are_answered_within_telegrams_rules(
    inline_bot: RunningBot, query: str
) -> None:
    answer = await ask(inline_bot, 5601, query, language_code="ru")
    assert 1 <= len(answer["results"]) <= MAX_RESULTS  # the fake checked every limit
    assert all(len(r["id"].encode()) <= 64 for r in answer["results"])


def test_a_long_answer_keeps_whole_pages_and_says_where_the_rest_is() -> None:
    entry = max(FAQ.entries.values(), key=lambda e: len(e.text("ru").pages))
    for locale in ("tg", "ru", "en"):
        text = full_answer(entry, locale, "<i>MORE</i>")
        assert visible_length(text) <= 4096
    # a made-up answer of many pages: whole pages only, then the note
    from dataclasses import replace

    from bot.rights.content import EntryText

    long_pages = tuple(f"<b>Page {n}</b> " + "word " * 500 for n in range(5))
    texts = dict(entry.texts)
    texts["en"] = EntryText("Q?", "", "", long_pages)
    text = full_answer(replace(entry, texts=texts), "en", "<i>MORE</i>")
    assert visible_length(text) <= 4096 and text.endswith("<i>MORE</i>")
    assert "Page 0" in text and "Page 1" not in text


def test_no_question_of_the_guide_finds_an_entry_awaiting_review() -> None:
    guide = InlineGuide(load_faq_service())
    checked = 0
    for entry in FAQ.entries.values():
        for locale in ("tg", "ru", "en"):
            text = entry.text(locale)
            for question in (text.question, text.keywords):
                found = guide.answers(question)
                assert len(found) <= MAX_RESULTS
                assert all(not e.awaiting_review for e in found), (entry.id, question)
                checked += len(found)
    assert checked > 100  # checked answers were found, so the filter was exercised


def test_the_prefix_is_read_only_at_the_start() -> None:
    assert split_locale("ru: пытка", "en") == ("ru", "пытка")
    assert split_locale("пытка ru: x", "en") == ("en", "пытка ru: x")
    assert split_locale("fr: torture", "tg") == ("tg", "fr: torture")


async def test_an_inline_query_writes_nothing_for_a_stranger(inline_bot: RunningBot) -> None:
    assert "inline_query" in inline_bot.dp.resolve_used_update_types()
    await ask(inline_bot, 5801, "пытка", language_code="ru")
    row = await inline_bot.services.db.fetchone("SELECT COUNT(*) FROM users WHERE user_id = 5801")
    assert row[0] == 0


async def test_off_by_default_no_inline_handler_and_no_inline_updates(
    running_bot: RunningBot,
) -> None:
    assert running_bot.settings.inline_mode is False
    assert "inline_query" not in running_bot.dp.resolve_used_update_types()
    polls = [p for m, p in running_bot.fake.calls if m == "getUpdates"]
    assert all("inline_query" not in (p.get("allowed_updates") or []) for p in polls)
    query_id = running_bot.fake.send_inline_query(5701, "пытка", language_code="ru")
    await running_bot.settle()
    assert running_bot.fake.inline_answer(query_id) is None
    assert not any(m == "answerInlineQuery" for m, _ in running_bot.fake.calls)
    # the bot still answers people as before
    reply = await running_bot.say(5701, "/start", language_code="ru")
    assert reply.buttons


async def test_a_warning_when_botfather_has_inline_mode_off(
    fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake.inline_enabled = False
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        harness = await start_bot(fake, tmp_path, inline_mode=True)
        await harness.settle()
        await harness.stop()
    assert any("/setinline" in r.getMessage() for r in caplog.records)
    with pytest.raises(RuntimeError):
        fake.send_inline_query(5901, "x")


async def test_no_warning_when_inline_mode_is_on_in_both(
    inline_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    await ask(inline_bot, 5902, "пытка", language_code="ru")
    records = [*caplog.get_records("setup"), *caplog.records]  # start-up, then the query
    assert not [r for r in records if r.levelno >= logging.WARNING]


async def test_the_fake_checks_answers_as_telegram_does(inline_bot: RunningBot) -> None:
    """The fake's answerInlineQuery refuses what Telegram refuses (so the tests above mean it)."""
    from aiogram.exceptions import TelegramBadRequest
    from aiogram.types import InlineQueryResultArticle, InputTextMessageContent

    bot, fake = inline_bot.bot, inline_bot.fake

    def article(result_id: str, text: str = "hi", title: str = "t") -> InlineQueryResultArticle:
        content = InputTextMessageContent(message_text=text)
        return InlineQueryResultArticle(id=result_id, title=title, input_message_content=content)

    await inline_bot.stop()  # answer by hand: the bot must not answer these queries first
    cases = [
        ([article(str(n)) for n in range(51)], "RESULTS_TOO_MUCH"),
        ([article("x" * 65)], "RESULT_ID_INVALID"),
        ([article("a"), article("a")], "RESULT_ID_DUPLICATE"),
        ([article("a", text="x" * 4097)], "message is too long"),
        ([article("a", text="<b>open")], "can't parse entities"),
        ([article("a", title="")], "RESULT_TITLE_EMPTY"),
    ]
    for results, error in cases:
        query_id = fake.send_inline_query(5903, "q")
        with pytest.raises(TelegramBadRequest, match=error):
            await bot.answer_inline_query(query_id, results)
    query_id = fake.send_inline_query(5903, "q")
    assert await bot.answer_inline_query(query_id, [article("ok")])
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_inline_query(query_id, [article("ok")])  # once per query
    late = fake.send_inline_query(5903, "q")
    fake.advance(11)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_inline_query(late, [article("ok")])
    await bot.session.close()

"""Know your rights end to end through the fake Bot API: browse, page, share, search, stale buttons."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from bot.content_files import CONTENT_DIR
from bot.rights.content import load_faq
from bot.rights.service import load_faq_service
from devtools.fake_telegram import FakeTelegram
from tests.conftest import RunningBot, start_bot

FAQ = load_faq()
LANG_BUTTON = {"tg": "Тоҷикӣ", "ru": "Русский", "en": "English"}
RIGHTS_BUTTON = {"tg": "Ҳуқуқҳои худро донед", "ru": "Знай свои права", "en": "Know your rights"}
REVIEW_NOTE = {"tg": "ҳуқуқшиносони Эътилоф", "ru": "юристы Коалиции", "en": "Coalition's lawyers"}


async def start_in(bot: RunningBot, user: int, locale: str) -> None:
    await bot.say(user, "/start")
    await bot.tap(user, LANG_BUTTON[locale])


def rest(bot: RunningBot) -> None:
    """A person reads before tapping again: let Telegram's per-chat flood limit refill."""
    bot.fake.advance(5)


def url_buttons(bot: RunningBot, user: int) -> list[str]:
    message = [m for m in bot.fake.chat(user).messages if m.from_bot and m.reply_markup][-1]
    return [b["url"] for row in message.reply_markup for b in row if "url" in b]


@pytest.mark.parametrize("locale", ["tg", "ru", "en"])
async def test_walk_topic_question_answer_and_back(running_bot: RunningBot, locale: str) -> None:
    user = 3000 + len(locale) + ord(locale[0])
    await start_in(running_bot, user, locale)
    menu = await running_bot.tap(user, RIGHTS_BUTTON[locale])
    titles = [t.titles[locale] for t in FAQ.topics]
    assert all(title in running_bot.buttons(user) for title in titles), running_bot.buttons(user)
    topic = FAQ.topic("detention")
    assert topic is not None
    shown = await running_bot.tap(user, topic.titles[locale])
    assert shown.message_id == menu.message_id  # the same message is edited, no chat clutter
    entry = FAQ.entries[topic.entry_ids[0]]
    text = entry.text(locale)
    rest(running_bot)
    answer = await running_bot.tap(user, text.question)
    assert text.question in answer.text
    assert "98 708 76 76" in answer.text
    assert entry.awaiting_review and REVIEW_NOTE[locale] in answer.text
    buttons = running_bot.buttons(user)
    for related in entry.related:
        assert any(FAQ.entries[related].text(locale).question in b for b in buttons), related
    assert any("🆘" in b for b in buttons) and any("🏠" in b for b in buttons)
    assert url_buttons(running_bot, user)
    back = await running_bot.tap(user, "⬅️")
    assert topic.intros[locale] in back.text


async def test_share_link_opens_the_answer_in_the_readers_language(
    running_bot: RunningBot,
) -> None:
    sender, reader = 3101, 3102
    await start_in(running_bot, sender, "en")
    await running_bot.say(sender, "/start faq_torture_crime")
    (share,) = url_buttons(running_bot, sender)
    parsed = urlparse(share)
    assert parsed.netloc == "t.me" and parsed.path == "/share/url"
    link = unquote(parse_qs(parsed.query)["url"][0])
    bot_name = running_bot.services.links.username
    assert link == f"https://t.me/{bot_name}?start=faq_torture_crime"
    await start_in(running_bot, reader, "tg")
    payload = link.partition("?start=")[2]
    opened = await running_bot.say(reader, f"/start {payload}")
    assert FAQ.entries["torture_crime"].text("tg").question in opened.text


async def test_share_link_before_choosing_a_language(running_bot: RunningBot) -> None:
    user = 3103
    picker = await running_bot.say(user, "/start faq_dv_what")
    assert "Choose your language" in picker.text
    shown = await running_bot.tap(user, "Русский")
    assert FAQ.entries["dv_what"].text("ru").question in shown.text


async def test_long_answer_is_paged(
    fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR / "faq", content / "faq")
    path = content / "faq" / "en" / "hiv.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "<b>Article 125</b>"
    paragraph = "      " + "A plain sentence about your rights. " * 25 + "\n      \n"
    start = text.index("  hiv_art125:")
    answer_at = text.index("    answer: |\n", start) + len("    answer: |\n")
    text = (
        text[:answer_at]
        + paragraph * 10
        + f"      {marker} ends here.\n      \n"
        + text[answer_at:]
    )
    path.write_text(text, encoding="utf-8")
    service = load_faq_service(content)
    pages = service.faq.entries["hiv_art125"].text("en").pages
    assert len(pages) >= 3
    # The guide is bound into the screens when the dispatcher is built: start on this one.
    monkeypatch.setattr("bot.app.load_faq_service", lambda: service)
    running_bot = await start_bot(fake, tmp_path)
    try:
        user = 3201
        await start_in(running_bot, user, "en")
        first = await running_bot.say(user, "/start faq_hiv_art125")
        assert f"Page 1 of {len(pages)}" in first.text and marker not in first.text
        seen = [first.text]
        for number in range(2, len(pages) + 1):
            rest(running_bot)
            shown = await running_bot.tap(user, "Next page")
            assert f"Page {number} of {len(pages)}" in shown.text
            seen.append(shown.text)
        assert marker.replace("<b>", "").replace("</b>", "") in seen[-1]
        assert not any("Next page" in b for b in running_bot.buttons(user))
        previous = await running_bot.tap(user, "Back a page")
        assert f"Page {len(pages) - 1} of" in previous.text
        assert all(len(t) <= 4096 for t in seen)
    finally:
        await running_bot.stop()


@pytest.mark.parametrize(
    ("locale", "query", "expected"),
    [
        ("ru", "menya zaderzhali chto delat", "det_first_hours"),
        ("tg", "шавхарам мезанад чи кор кунам", "dv_where_help"),
        ("en", "cops wont let me see a lawyer", "det_lawyer"),
    ],
)
async def test_typed_question_returns_matching_buttons(
    running_bot: RunningBot, locale: str, query: str, expected: str
) -> None:
    user = 3300 + ord(locale[0])
    await start_in(running_bot, user, locale)
    await running_bot.say(user, query)
    question = FAQ.entries[expected].text(locale).question
    assert question in running_bot.buttons(user)[:3]
    answer = await running_bot.tap(user, question)
    assert question in answer.text


async def test_nothing_found_offers_topics_and_hotlines(running_bot: RunningBot) -> None:
    user = 3401
    await start_in(running_bot, user, "en")
    shown = await running_bot.say(user, "football match score today")
    assert "The guide has no answer to this yet" in shown.text
    for number in ("98 708 76 76", "98 787 33 33", "98 787 66 66"):
        assert number in shown.text
    assert FAQ.topics[0].titles["en"] in running_bot.buttons(user)


async def test_stale_faq_buttons_and_links_get_a_friendly_answer(running_bot: RunningBot) -> None:
    user = 3501
    await start_in(running_bot, user, "en")
    menu = await running_bot.tap(user, RIGHTS_BUTTON["en"])
    expected = {
        "n1:faq:removed_entry": "no longer here",
        "n1:faqt:removed_topic": "no longer here",
        "n1:faq:torture_what.99": FAQ.entries["torture_what"].text("en").question,
    }
    for data, wanted in expected.items():
        rest(running_bot)
        query_id = await running_bot.fake.press(user, menu.message_id, data, force=True)
        await running_bot.fake.wait_for(lambda q=query_id: q in running_bot.fake.callback_answers)
        await running_bot.settle()
        assert wanted in running_bot.last_text(user), data
    rest(running_bot)
    shown = await running_bot.say(user, "/start faq_removed_entry")
    assert "no longer here" in shown.text
    assert FAQ.topics[0].titles["en"] in running_bot.buttons(user)


async def test_commands_and_tiny_texts_are_not_searched(running_bot: RunningBot) -> None:
    user = 3601
    await start_in(running_bot, user, "en")
    for text, wanted in (
        ("?", "didn't understand"),
        ("/nosuchcommand torture", "don't know this command"),
        ("/rights", "Know your rights"),
    ):
        rest(running_bot)
        await running_bot.fake.send_text(user, text)
        await running_bot.settle()
        shown = [m.text or "" for m in running_bot.fake.bot_messages(user)][-2:]
        assert any(wanted in t for t in shown), (text, shown)
        assert not any("These answers may help" in t for t in shown)

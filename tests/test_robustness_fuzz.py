"""Fuzz: thousands of Hypothesis-generated updates of every kind Telegram sends, through HTTP.

An `Action` is one thing a person (or Telegram) does; `apply_action` performs it on the fake
Bot API server, which stores the message in the chat and queues the update like Telegram. The
running bot polls them in batches. No handler may fail, every private message gets an answer,
every button press is answered, and /start still works afterwards.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from devtools.fake_telegram import FakeTelegram, RateLimits
from tests.conftest import TOKEN, RunningBot, start_bot

GROUP_ID = -1001234567890
CHANNEL_ID = -1009876543210
LANGUAGE_CODES = (None, "en", "ru", "tg", "uz", "de", "zz-Weird_code")
STORED_LOCALES = (None, "tg", "ru", "en")

# Texts that broke bots before: direction marks, zero-width joiners, astral characters
# (surrogate pairs in UTF-16, which shifts Telegram's offsets), combining marks, NUL, HTML.
SPECIAL_TEXTS = (
    "",
    " ",
    "\n\n\n",
    "\u202eѓ⁦ہیلو⁩\u202c",
    "\u200b\u200c\u200d\ufeff",
    "👨‍👩‍👧‍👦🏳️‍🌈🇹🇯",
    "𝕳𝖊𝖑𝖕 \U0010ffff \U0001f600",
    "e\u0301\u0301\u0301\u0301",
    "\x00\x01\x7f",
    "<b>bold</b> &amp; <script>x</script> </i>",
    "Ман шиканҷа шудам ҳ ҷ қ ғ ӣ ӯ",
    "Помогите, задержали брата",
    "😀" * 2100,  # 4200 characters, 8400 UTF-16 units
    "а" * 4096,
    "x" * 5000,
)
COMMANDS = (
    "start",
    "help",
    "sos",
    "about",
    "menu",
    "language",
    "lang",
    "settings",
    "report",
    "faq",
    "stop",
    "Start",
    "start@notorture_test_bot",
    "start@someone_else_bot",
    "a" * 32,
)
DEEP_LINK_PAYLOADS = (
    "help",
    "about",
    "home",
    "language",
    "help_",
    "about_x",
    "nosuchscreen_1",
    "_",
    "__",
    "rights_" + "9" * 60,
    "%00%ff",
    "language_zz",
    "report_../../etc",
)
CALLBACK_PREFIXES = ("n1:", "l1:", "l2:", "r1:", "a1:", "n1:home:", "n1:help:", "n1:about:", "")
STALE_CALLBACKS = (
    "n1:home:",
    "n1:help:",
    "n1:about:",
    "n1:language:",
    "n1:nosuch:",
    "n1:help:junk",
    "n1::",
    "n1",
    "l1:en",
    "l1:tg",
    "l1:ru",
    "l1:zz",
    "l1:en:help",
    "l1:ru:nosuch_1",
    "l1:tg:" + "x" * 55,
    "l2:en:",
    "l2:zz:",
    "l2:ru:nosuch_1",
    "l2:tg:" + "x" * 55,
    "r1:999999",
    ":",
)


def _text_alphabet() -> st.SearchStrategy[str]:
    # Lone surrogates cannot travel in UTF-8, so Telegram never sends them.
    return st.characters(exclude_categories=("Cs",))


texts = st.one_of(
    st.text(_text_alphabet(), max_size=200),
    st.sampled_from(SPECIAL_TEXTS),
    st.builds(
        lambda s, n: (s or "я") * n, st.text(_text_alphabet(), max_size=8), st.integers(1, 700)
    ),
)
junk_args = st.one_of(
    st.text(_text_alphabet(), max_size=80),
    st.sampled_from(DEEP_LINK_PAYLOADS),
    st.sampled_from(SPECIAL_TEXTS),
)
commands = st.builds(
    lambda name, args, sep: f"/{name}{sep}{args}" if args else f"/{name}",
    st.sampled_from(COMMANDS),
    junk_args,
    st.sampled_from((" ", "  ", "\n", "")),
)
deep_links = st.builds(
    lambda payload: f"/start {payload}", st.one_of(st.sampled_from(DEEP_LINK_PAYLOADS), junk_args)
)
message_texts = st.one_of(texts, commands, deep_links)


def _file(kind: str, n: int) -> dict[str, Any]:
    return {"file_id": f"{kind}-{n}", "file_unique_id": f"u{kind}{n}", "file_size": 1000 + n}


def _contents(n: int) -> list[dict[str, Any]]:
    """One minimal valid Bot API object of every non-text content type."""
    location = {"latitude": 38.5598, "longitude": 68.787}
    return [
        {"photo": [_file("ph", n) | {"width": 90, "height": 90}], "caption": "фото"},
        {"document": _file("doc", n) | {"file_name": "a.pdf", "mime_type": "application/pdf"}},
        {"voice": _file("vo", n) | {"duration": 3, "mime_type": "audio/ogg"}},
        {"audio": _file("au", n) | {"duration": 5}},
        {"video": _file("vi", n) | {"duration": 5, "width": 64, "height": 64}},
        {"video_note": _file("vn", n) | {"duration": 2, "length": 240}},
        {"animation": _file("an", n) | {"duration": 1, "width": 64, "height": 64}},
        {
            "sticker": _file("st", n)
            | {"type": "regular", "width": 512, "height": 512, "is_animated": False}
            | {"is_video": False}
        },
        {"location": location},
        {"venue": {"location": location, "title": "Офис", "address": "Душанбе"}},
        {"contact": {"phone_number": "+992900000000", "first_name": "Ali"}},
        {"dice": {"emoji": "🎲", "value": 1 + n % 6}},
        {"poll": _poll(n)},
        {"new_chat_members": [{"id": 5, "is_bot": False, "first_name": "New"}]},
    ]


def _poll(n: int) -> dict[str, Any]:
    return {
        "id": f"poll{n}",
        "question": "Савол?",
        "options": [
            {"persistent_id": "a", "text": "Ҳа", "voter_count": 0},
            {"persistent_id": "b", "text": "Не", "voter_count": 1},
        ],
        "total_voter_count": 1,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    }


@dataclass
class Action:
    kind: str
    user_id: int = 0
    text: str = ""
    content: dict[str, Any] = field(default_factory=dict)
    language_code: str | None = "en"
    stored_locale: str | None = None
    data: str = ""
    flag: int = 0


# Each kind draws from its own user-id range, so a private message's answer is checkable:
# a private message comes from a user who sends nothing else in the run.
users = st.integers(1, 400)
actions = st.one_of(
    st.builds(
        Action,
        kind=st.just("private_text"),
        text=message_texts,
        language_code=st.sampled_from(LANGUAGE_CODES),
        stored_locale=st.sampled_from(STORED_LOCALES),
    ),
    st.builds(
        Action,
        kind=st.just("private_content"),
        flag=st.integers(0, 13),
        language_code=st.sampled_from(LANGUAGE_CODES),
        stored_locale=st.sampled_from(STORED_LOCALES),
    ),
    st.builds(Action, kind=st.just("group_text"), user_id=users, text=message_texts),
    st.builds(Action, kind=st.just("group_content"), user_id=users, flag=st.integers(0, 13)),
    st.builds(Action, kind=st.just("edited"), user_id=users, text=texts, flag=st.integers(0, 1)),
    st.builds(Action, kind=st.just("channel_post"), text=texts, flag=st.integers(0, 1)),
    st.builds(
        Action,
        kind=st.just("callback"),
        user_id=users,
        data=st.one_of(
            st.sampled_from(STALE_CALLBACKS),
            st.builds(
                lambda p, s: (p + s).encode()[:64].decode(errors="ignore") or "x",
                st.sampled_from(CALLBACK_PREFIXES),
                st.text(_text_alphabet(), max_size=64),
            ),
        ),
        flag=st.integers(0, 2),
        language_code=st.sampled_from(LANGUAGE_CODES),
    ),
    st.builds(Action, kind=st.just("member"), user_id=users, flag=st.integers(0, 3)),
    st.builds(Action, kind=st.just("poll"), user_id=users, flag=st.integers(0, 1)),
)


async def apply_action(fake: FakeTelegram, action: Action, unique_user: int) -> None:
    """Perform one action on the fake server (which queues the update)."""
    kind = action.kind
    if kind == "private_text":
        await fake.send_text(unique_user, action.text, language_code=action.language_code)
    elif kind == "private_content":
        content = _contents(unique_user)[action.flag]
        await fake.send_content(unique_user, content, language_code=action.language_code)
    elif kind == "group_text":
        await fake.send_text(action.user_id, action.text, chat_id=GROUP_ID)
    elif kind == "group_content":
        await fake.send_content(
            action.user_id, _contents(action.user_id)[action.flag], chat_id=GROUP_ID
        )
    elif kind == "edited":
        chat = {"id": action.user_id, "type": "private", "first_name": "T"}
        if action.flag:
            chat = {"id": GROUP_ID, "type": "supergroup", "title": "G"}
        message = {
            "message_id": 10**6 + unique_user,
            "date": int(fake.now()) - 60,
            "edit_date": int(fake.now()),
            "chat": chat,
            "from": {"id": action.user_id, "is_bot": False, "first_name": "T"},
            "text": action.text or "x",
        }
        fake.send_update({"edited_message": message})
    elif kind == "channel_post":
        post = {
            "message_id": 10**6 + unique_user,
            "date": int(fake.now()),
            "chat": {"id": CHANNEL_ID, "type": "channel", "title": "C"},
            "sender_chat": {"id": CHANNEL_ID, "type": "channel", "title": "C"},
            "text": action.text or "x",
        }
        if action.flag:
            post["edit_date"] = int(fake.now())
        fake.send_update({"edited_channel_post" if action.flag else "channel_post": post})
    elif kind == "callback":
        fake._user(action.user_id, language_code=action.language_code)
        bot_messages = fake.bot_messages(action.user_id)
        if action.flag == 0 and bot_messages:
            message_id = bot_messages[-1].message_id  # a real, maybe already edited, message
        else:
            message_id = 10**6 + action.flag  # a message the bot can no longer see
        await fake.press(action.user_id, message_id, action.data, force=True)
    elif kind == "member":
        statuses = [
            ("member", "kicked"),
            ("kicked", "member"),
            ("left", "member"),
            ("member", "left"),
        ]
        old, new = statuses[action.flag]
        bot = {"id": 123456, "is_bot": True, "first_name": "B", "username": fake.bot_username}
        member = {
            "chat": {"id": action.user_id, "type": "private", "first_name": "T"},
            "from": {"id": action.user_id, "is_bot": False, "first_name": "T"},
            "date": int(fake.now()),
            "old_chat_member": {"status": old, "user": bot}
            | ({"until_date": 0} if old == "kicked" else {}),
            "new_chat_member": {"status": new, "user": bot}
            | ({"until_date": 0} if new == "kicked" else {}),
        }
        fake.send_update({"my_chat_member": member})
    elif kind == "poll":
        if action.flag:
            fake.send_update({"poll": _poll(unique_user)})
        else:
            answer = {
                "poll_id": f"poll{unique_user}",
                "user": {"id": action.user_id, "is_bot": False, "first_name": "T"},
                "option_ids": [0],
                "option_persistent_ids": ["a"],
            }
            fake.send_update({"poll_answer": answer})
    else:
        raise AssertionError(f"unknown action {kind}")


# ---------------------------------------------------------------------------------------- test

FUZZ_EXAMPLES = 5200
BATCH = 400  # updates pushed before waiting for the bot to go idle


def generate_actions(count: int) -> list[Action]:
    """Draw `count` actions with Hypothesis, derandomized so CI sees the same run every time."""
    drawn: list[Action] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(actions)
    def collect(action: Action) -> None:
        drawn.append(action)

    collect()
    return drawn


@pytest.fixture
async def quiet_fake() -> AsyncIterator[FakeTelegram]:
    """Flood limits off: the fuzz sends far more than one person could."""
    server = FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False))
    await server.start()
    server.add_group(GROUP_ID, title="Group")
    server.add_channel(CHANNEL_ID, title="Channel")
    try:
        yield server
    finally:
        await server.stop()


async def test_thousands_of_random_updates_break_nothing(
    quiet_fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = quiet_fake
    drawn = generate_actions(FUZZ_EXAMPLES)
    kinds = Counter(a.kind for a in drawn)
    assert len(drawn) >= 5000 and set(kinds) == {
        "private_text",
        "private_content",
        "group_text",
        "group_content",
        "edited",
        "channel_post",
        "callback",
        "member",
        "poll",
    }, kinds
    caplog.set_level(logging.WARNING)
    harness = await start_bot(fake, tmp_path)
    try:
        private_chats: dict[int, Action] = {}
        for start in range(0, len(drawn), BATCH):
            for offset, action in enumerate(drawn[start : start + BATCH]):
                unique_user = PRIVATE_USERS_FROM + start + offset
                if action.kind.startswith("private"):
                    private_chats[unique_user] = action
                    await _seed_locale(harness, unique_user, action.stored_locale)
                await apply_action(fake, action, unique_user)
            await harness.settle(timeout=60)  # fetched and fully handled, not just quiet

        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not errors, [f"{r.name}: {r.getMessage()}" for r in errors[:5]]
        unanswered = [
            (user, action) for user, action in private_chats.items() if not fake.bot_messages(user)
        ]
        assert not unanswered, unanswered[:3]
        pressed = [e for e in fake.calls if e[0] == "answerCallbackQuery"]
        assert len(pressed) == kinds["callback"], "every button press must be answered"

        # Still itself afterwards: /start shows the menu in the stored language.
        await _seed_locale(harness, STARTS_AFTER_USER, "tg")
        menu = await harness.say(STARTS_AFTER_USER, "/start")
        assert "Кӯмаки фаврӣ" in str(menu.buttons)
    finally:
        await harness.stop()


PRIVATE_USERS_FROM = 10_000
STARTS_AFTER_USER = 9_999


async def _seed_locale(harness: RunningBot, user_id: int, locale: str | None) -> None:
    """A returning user with a stored language, or a first-time user (None)."""
    if locale is None:
        return
    users = harness.services.users
    await users.get_or_create(user_id, harness.services.now().date())
    await users.set_locale(user_id, locale)

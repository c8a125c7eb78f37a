"""The fake Bot API server driven by a real aiogram Bot: behaviour, limits and errors."""

from __future__ import annotations

import asyncio
import io
import time

import aiohttp
import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import BotCommand, BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from devtools.fake_telegram import FakeTelegram, RateLimits
from tests.fake_telegram.conftest import make_bot


def kb(*buttons: InlineKeyboardButton) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(buttons)])


async def test_start_is_fast_and_several_fakes_coexist():
    started = time.perf_counter()
    async with FakeTelegram() as one, FakeTelegram() as two:
        assert (time.perf_counter() - started) < 0.5
        assert one.base_url != two.base_url
        await one.send_text(1, "hi")
        assert len(one.chat(1).messages) == 1
        assert two.chat(1).messages == []


async def test_send_and_inspect(fake, bot):
    me = await bot.get_me()
    assert me.is_bot and me.id == 123456
    msg = await bot.send_message(
        42,
        "<b>Шиканҷа</b> манъ аст",
        reply_markup=kb(InlineKeyboardButton(text="Ҳа", callback_data="v1:y")),
    )
    assert msg.text == "Шиканҷа манъ аст"
    assert msg.entities[0].type == "bold"
    shown = fake.chat(42).messages[-1]
    assert shown.from_bot and shown.html == "<b>Шиканҷа</b> манъ аст"
    assert shown.button("Ҳа")["callback_data"] == "v1:y"
    assert fake.calls[-1][0] == "sendMessage"


async def test_edit_not_modified_and_not_found(fake, bot):
    msg = await bot.send_message(42, "one")
    await bot.edit_message_text("two", chat_id=42, message_id=msg.message_id)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("two", chat_id=42, message_id=msg.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=999)
    assert fake.chat(42).messages[-1].text == "two"


async def test_edit_removes_keyboard_when_not_given(fake, bot):
    msg = await bot.send_message(
        42, "q", reply_markup=kb(InlineKeyboardButton(text="A", callback_data="a"))
    )
    await bot.edit_message_text("q", chat_id=42, message_id=msg.message_id)
    assert fake.chat(42).messages[-1].reply_markup == []


async def test_html_errors_and_lengths(bot):
    with pytest.raises(TelegramBadRequest, match="can't parse entities: Unsupported start tag"):
        await bot.send_message(42, "line<br>line")
    with pytest.raises(TelegramBadRequest, match="can't parse entities: Can't find end tag"):
        await bot.send_message(42, "<b>open")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(42, "<b>" + "ҳ" * 4097 + "</b>")
    await bot.send_message(42, "<b>" + "ҳ" * 4096 + "</b>")  # 4096 after parsing is fine
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(42, "<b> </b>")
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_photo(42, BufferedInputFile(b"x", "a.jpg"), caption="c" * 1025)


async def test_keyboard_rules(bot):
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(
            42, "x", reply_markup=kb(InlineKeyboardButton(text="A", callback_data="a" * 65))
        )
    # 32 Cyrillic letters are 64 bytes: the limit counts bytes
    await bot.send_message(
        42, "x", reply_markup=kb(InlineKeyboardButton(text="A", callback_data="ҳ" * 32))
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(
            42, "x", reply_markup=kb(InlineKeyboardButton(text="A", callback_data="ҳ" * 33))
        )
    with pytest.raises(TelegramBadRequest, match="BUTTON_URL_INVALID"):
        await bot.send_message(
            42, "x", reply_markup=kb(InlineKeyboardButton(text="Call", url="tel:987087676"))
        )
    row = [InlineKeyboardButton(text=str(i), callback_data=str(i)) for i in range(9)]
    with pytest.raises(TelegramBadRequest):
        await bot.send_message(42, "x", reply_markup=InlineKeyboardMarkup(inline_keyboard=[row]))
    many = [
        [InlineKeyboardButton(text="b", callback_data=f"{r}.{c}") for c in range(8)]
        for r in range(13)
    ]
    with pytest.raises(TelegramBadRequest, match="reply markup is too long"):
        await bot.send_message(42, "x", reply_markup=InlineKeyboardMarkup(inline_keyboard=many))


async def test_callbacks(fake, bot):
    msg = await bot.send_message(
        42, "q", reply_markup=kb(InlineKeyboardButton(text="A", callback_data="a"))
    )
    with pytest.raises(LookupError):
        await fake.press(42, msg.message_id, "forged")
    qid = await fake.press(42, msg.message_id, "forged", force=True)
    await bot.answer_callback_query(qid, text="ok")
    assert fake.callback_answers[qid]["text"] == "ok"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(qid)
    late = await fake.press(42, msg.message_id, "a")
    fake.advance(16 * 60)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(late)
    fresh = await fake.press(42, msg.message_id, "a")
    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(fresh, text="x" * 201)


async def test_delete_rules(fake, bot):
    msg = await bot.send_message(42, "a")
    await bot.delete_message(42, msg.message_id)
    assert fake.chat(42).deleted_ids == [msg.message_id]
    assert fake.chat(42).messages == []
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(42, msg.message_id)
    old = await bot.send_message(42, "b")
    fake.advance(48 * 3600 + 1)
    with pytest.raises(TelegramBadRequest, match="message can't be deleted"):
        await bot.delete_message(42, old.message_id)
    user_msg = await fake.send_text(42, "secret")
    assert await bot.delete_messages(42, [user_msg["message_id"], 12345])
    assert user_msg["message_id"] in fake.chat(42).deleted_ids


async def test_blocked_user_and_unknown_chats(fake, bot):
    fake.block_user(7)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(7, "hi")
    updates = await bot.get_updates(timeout=0)
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"
    fake.unblock_user(7)
    await bot.send_message(7, "hi again")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(-100123, "x")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message("@nochannel", "x")
    fake.add_channel(-100500, username="notorturetj", title="Coalition")
    post = await bot.send_message("@notorturetj", "post")
    assert post.chat.id == -100500
    assert fake.chat(-100500).messages[0].text == "post"


async def test_rate_limits_raise_retry_after(limited_fake, limited_bot):
    fake, bot = limited_fake, limited_bot
    sent = 0
    with pytest.raises(TelegramRetryAfter) as info:
        for _ in range(10):
            await bot.send_message(42, "x")
            sent += 1
    assert sent == fake.rate_limits.private_burst
    assert info.value.retry_after >= 1
    assert fake.stats.rate_limited == 1
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(42, "ignored the retry_after")
    assert fake.stats.sent_during_retry_after == 1
    fake.advance(info.value.retry_after + 1)
    await bot.send_message(42, "after waiting")
    # a reply plus an edit and a callback answer stays within limits
    msg = await bot.send_message(43, "reply")
    await bot.edit_message_text("edited", chat_id=43, message_id=msg.message_id)


async def test_group_and_global_limits():
    async with FakeTelegram(rate_limits=RateLimits(global_per_second=5, private_burst=100)) as fake:
        bot = make_bot(fake)
        try:
            for user in range(5):
                await bot.send_message(100 + user, "broadcast")
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(200, "one too many")
            fake.add_group(-42, title="staff")
            fake.advance(2)
            for _ in range(4):
                await bot.send_message(-42, "g")
        finally:
            await bot.session.close()
    async with FakeTelegram(rate_limits=RateLimits(group_per_minute=3)) as fake:
        fake.add_group(-42, title="staff")
        bot = make_bot(fake)
        try:
            for _ in range(3):
                await bot.send_message(-42, "g")
            with pytest.raises(TelegramRetryAfter) as info:
                await bot.send_message(-42, "g")
            assert 1 <= info.value.retry_after <= 60
        finally:
            await bot.session.close()


async def test_injected_faults(fake, bot):
    fake.inject(method="sendMessage", status=429, retry_after=3)
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(42, "x")
    assert info.value.retry_after == 3
    fake.advance(3)
    fake.inject(status=500, count=1)
    with pytest.raises(TelegramServerError):
        await bot.send_message(42, "x")
    await bot.send_message(42, "ok now")
    fake.set_faults("error502")
    with pytest.raises(Exception):  # noqa: B017 - aiogram can't decode nginx's HTML page
        await bot.get_me()
    fake.set_faults("reset")
    with pytest.raises(Exception):  # noqa: B017
        await bot.get_me()
    fake.set_faults(None)
    assert (await bot.get_me()).is_bot


async def test_hang_fault_times_out_client(fake, bot):
    fake.set_faults("hang")
    with pytest.raises(Exception):  # noqa: B017 - TelegramNetworkError on timeout
        await bot.get_me(request_timeout=1)
    fake.set_faults(None)


async def test_protocol_errors(fake, bot):
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake.base_url}/botbad/getMe") as r:
            assert r.status == 401
            assert (await r.json())["description"] == "Unauthorized"
        async with http.post(f"{fake.base_url}/bot{fake.token}/noSuchMethod") as r:
            assert r.status == 404
        async with http.post(
            f"{fake.base_url}/bot{fake.token}/sendMessage", json={"text": "x"}
        ) as r:
            body = await r.json()
            assert r.status == 400 and body["description"] == "Bad Request: chat_id is empty"
        async with http.get(f"{fake.base_url}/bot{fake.token}/getMe") as r:
            assert (await r.json())["ok"] is True
        async with http.post(
            f"{fake.base_url}/bot{fake.token}/sendMessage", data={"chat_id": "5", "text": "form"}
        ) as r:
            assert (await r.json())["result"]["chat"]["id"] == 5
        # a method only the spec knows gets a generic valid answer
        async with http.post(f"{fake.base_url}/bot{fake.token}/getChatMenuButton") as r:
            assert (await r.json())["ok"] is True
    with pytest.raises(TelegramNotFound):
        from aiogram.methods import GetMe

        class Nope(GetMe):
            __api_method__ = "definitelyNotAMethod"

        await bot(Nope())
    with pytest.raises(TelegramUnauthorizedError):
        async with FakeTelegram(valid_tokens={"1:A"}) as strict:
            b = make_bot(strict, "2:B")
            try:
                await b.get_me()
            finally:
                await b.session.close()


async def test_get_updates_long_polling(fake, bot):
    started = time.perf_counter()
    assert await bot.get_updates(timeout=1) == []
    assert time.perf_counter() - started >= 0.9

    async def later():
        await asyncio.sleep(0.1)
        await fake.send_text(42, "/start now", language_code="ru")

    task = asyncio.create_task(later())
    started = time.perf_counter()
    updates = await bot.get_updates(timeout=5)
    await task
    assert time.perf_counter() - started < 1
    msg = updates[0].message
    assert msg.text == "/start now" and msg.from_user.language_code == "ru"
    assert msg.entities[0].type == "bot_command" and msg.entities[0].length == 6
    # not confirmed yet: delivered again; confirmed: dropped
    again = await bot.get_updates(timeout=0)
    assert again[0].update_id == updates[0].update_id
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == []
    for i in range(3):
        await fake.send_text(42, f"m{i}")
    assert len(await bot.get_updates(limit=2, timeout=0)) == 2
    fake.send_update(
        {
            "edited_message": {
                "message_id": 1,
                "date": 1,
                "chat": {"id": 42, "type": "private"},
                "edit_date": 2,
                "text": "e",
            }
        }
    )
    got = await bot.get_updates(timeout=0, allowed_updates=["edited_message"])
    assert [u.edited_message is not None for u in got] == [True]


async def test_webhook_blocks_polling(fake, bot):
    await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Exception, match="webhook is active"):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == []


async def test_files_round_trip(fake, bot):
    data = "Ҳисобот".encode() * 1000
    await fake.send_document(42, data, "report.txt", "text/plain")
    update = (await bot.get_updates(timeout=0))[-1]
    doc = update.message.document
    assert doc.file_size == len(data) and doc.file_name == "report.txt"
    tg_file = await bot.get_file(doc.file_id)
    buf = io.BytesIO()
    await bot.download_file(tg_file.file_path, buf)
    assert buf.getvalue() == data
    await fake.send_voice(42, b"OggS" + b"\0" * 100)
    await fake.send_photo(42, b"\xff\xd8jpeg", caption="photo")
    await fake.send_document(42, b"x", "big.bin", file_size=21 * 1024 * 1024)
    ups = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert ups[0].message.voice.file_size == 104
    assert ups[1].message.photo[-1].file_size == 6 and ups[1].message.caption == "photo"
    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await bot.get_file(ups[2].message.document.file_id)
    sent = await bot.send_document(
        42, BufferedInputFile(b"pdf bytes", "guide.pdf"), caption="<b>Guide</b>"
    )
    assert fake.file_bytes(sent.document.file_id) == b"pdf bytes"
    again = await bot.send_document(43, sent.document.file_id)
    assert again.document.file_id == sent.document.file_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(43, "nonexistent-id")


async def test_media_group_copy_forward(fake, bot):
    from aiogram.types import InputMediaPhoto

    one = InputMediaPhoto(media=BufferedInputFile(b"1", "1.jpg"), caption="one")
    two = InputMediaPhoto(media=BufferedInputFile(b"2", "2.jpg"))
    msgs = await bot.send_media_group(42, [one, two])
    assert len(msgs) == 2 and msgs[0].media_group_id == msgs[1].media_group_id
    with pytest.raises(TelegramBadRequest):
        await bot.send_media_group(42, [one])
    user_msg = await fake.send_text(42, "to staff")
    fake.add_group(-7, title="staff")
    copied = await bot.copy_message(-7, 42, user_msg["message_id"])
    shown = fake.chat(-7).messages[-1]
    assert shown.message_id == copied.message_id and shown.text == "to staff"
    assert "forward_origin" not in shown.raw
    fwd = await bot.forward_message(-7, 42, user_msg["message_id"])
    assert fwd.forward_origin is not None
    protected = await bot.send_message(42, "protected", protect_content=True)
    with pytest.raises(TelegramBadRequest, match="can't be copied"):
        await bot.copy_message(-7, 42, protected.message_id)


async def test_commands_and_bot_texts(fake, bot):
    await bot.set_my_commands([BotCommand(command="start", description="Оғоз")], language_code="ru")
    assert [c.command for c in await bot.get_my_commands(language_code="ru")] == ["start"]
    assert await bot.get_my_commands() == []
    assert fake.commands(language_code="ru")[0]["description"] == "Оғоз"
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start-Now", description="x")])
    with pytest.raises(TelegramBadRequest, match="BOT_COMMANDS_TOO_MUCH"):
        await bot.set_my_commands(
            [BotCommand(command=f"c{i}", description="d") for i in range(101)]
        )
    await bot.delete_my_commands(language_code="ru")
    assert fake.commands(language_code="ru") == []
    await bot.set_my_description("Бот", language_code="ru")
    assert (await bot.get_my_description(language_code="ru")).description == "Бот"
    await bot.set_my_short_description("short")
    assert (await bot.get_my_short_description(language_code="en")).short_description == "short"
    await bot.set_my_name("NoTorture")
    assert (await bot.get_my_name()).name == "NoTorture"
    await bot.send_chat_action(42, "typing")
    assert (await bot.get_chat_member(42, 42)).status == "member"
    assert await bot.log_out()


async def test_waiting_helpers_and_events(fake, bot):
    seen = []
    fake.on_event(lambda e: seen.append(e.kind))

    async def responder():
        updates = await bot.get_updates(timeout=5)
        for u in updates:
            m = await bot.send_message(u.message.chat.id, "answer")
            await bot.edit_message_text(
                "answer 2", chat_id=u.message.chat.id, message_id=m.message_id
            )
        await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)

    task = asyncio.create_task(responder())
    await fake.send_text(42, "question")
    first = await fake.next_bot_message(42)
    second = await fake.next_bot_message(42)
    assert (first.text, second.text) == ("answer", "answer 2")
    await task
    await fake.wait_idle(quiet=0.05)
    assert seen == ["send", "edit"]
    assert [m.text for m in fake.chat(42).messages] == ["question", "answer 2"]
    assert await fake.wait_for(lambda: fake.bot_messages(42))
    with pytest.raises(TimeoutError):
        await fake.next_bot_message(42, timeout=0.05)


async def test_thousand_messages_per_second(fake, bot):
    started = time.perf_counter()
    await asyncio.gather(*(bot.send_message(1000 + i % 50, f"m{i}") for i in range(1000)))
    assert time.perf_counter() - started < 3
    assert sum(len(fake.chat(1000 + i).messages) for i in range(50)) == 1000

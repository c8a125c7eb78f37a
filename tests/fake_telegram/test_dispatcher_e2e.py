"""A whole aiogram Dispatcher polling the fake: the way the project's end-to-end tests use it."""

from __future__ import annotations

import asyncio

from aiogram import Dispatcher, F, Router
from aiogram.filters import CommandStart
from aiogram.types import CallbackQuery, ChatMemberUpdated, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder


def build_router(blocked: list[int]) -> Router:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        kb = InlineKeyboardBuilder()
        kb.add(InlineKeyboardButton(text="Ҳуқуқҳо", callback_data="v1:rights"))
        await message.answer("<b>Салом!</b>", reply_markup=kb.as_markup())

    @router.callback_query(F.data == "v1:rights")
    async def rights(query: CallbackQuery) -> None:
        await query.answer()
        await query.message.edit_text("Шиканҷа манъ аст.")

    @router.my_chat_member()
    async def member(event: ChatMemberUpdated) -> None:
        if event.new_chat_member.status == "kicked":
            blocked.append(event.chat.id)

    return router


async def test_dispatcher_conversation(fake, bot):
    blocked: list[int] = []
    dp = Dispatcher()
    dp.include_router(build_router(blocked))
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        await fake.send_text(42, "/start", language_code="ru")
        hello = await fake.next_bot_message(42)
        assert hello.text == "Салом!" and hello.html == "<b>Салом!</b>"
        qid = await fake.press(42, hello.message_id, "v1:rights")
        edited = await fake.next_bot_message(42)
        assert edited.text == "Шиканҷа манъ аст." and edited.reply_markup == []
        await fake.wait_idle(quiet=0.1)
        assert qid in fake.callback_answers
        assert [m.text for m in fake.chat(42).messages] == ["/start", "Шиканҷа манъ аст."]
        fake.block_user(42)
        await fake.wait_for(lambda: blocked == [42])
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 5)

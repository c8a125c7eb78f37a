"""Who is choosing a nickname now (read from the database once, then kept with every change)."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import Message

from bot.quiz.service import QuizService


class ChoosingNickname(Filter):
    """A private text, not a command, from someone choosing a quiz nickname."""

    async def __call__(self, message: Message, quiz: QuizService) -> bool:
        if message.from_user is None or not message.text or message.text.startswith("/"):
            return False
        return await quiz.choosing(message.from_user.id) is not None

"""People: `?start=quiz_<code>` (the `quiz` screen) joins the event and asks for a nickname; the
next text is the nickname (checked: length, characters, no link, no abuse, unique); /quiz_leave."""

from __future__ import annotations

from dataclasses import replace

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.clock import Clock
from bot.quiz.nicknames import MAX_LENGTH, MIN_LENGTH, Nick
from bot.quiz.service import Join, QuizService
from bot.quiz.store import RUNNING
from bot.quiz.texts import joined_late
from bot.screens import HOME, Screen, ScreenRegistry, ScreenRequest, render
from bot.telegram_html import escape

QUIZ_SCREEN = "quiz"  # ?start=quiz_<code>


def ask_nickname() -> str:
    return _(
        "Choose a nickname for the leaderboard: {min}–{max} letters or digits (spaces, _ and - "
        "are fine). Not your real name: nobody here needs it."
    ).format(min=MIN_LENGTH, max=MAX_LENGTH)


async def quiz_screen(
    screens: ScreenRegistry, quiz: QuizService, clock: Clock, request: ScreenRequest
) -> Screen | None:
    """None without a code (a button, not a link: the generic "out of date" answer)."""
    if not request.arg:
        return None
    joined = await quiz.join(request.arg, request.user.user_id, request.locale, clock().timestamp())
    if joined.outcome == Join.UNKNOWN:  # a wrong or forgotten code: the menu, with a note
        home = await render(screens, request.user, request.locale, HOME)
        note = _("This quiz link is out of date or wrong. Ask the organisers for the new one.")
        return None if home is None else replace(home, text=f"<i>{note}</i>\n\n{home.text}")
    if joined.outcome == Join.OVER:
        return Screen(_("This quiz is over. Thank you for coming!"))
    assert joined.event is not None
    title = quiz.quizzes[joined.event.quiz_id].titles[request.locale]
    if joined.outcome == Join.IN:
        assert joined.participant is not None
        return Screen(
            _("You are in «{title}» as {nickname}. The questions come here.").format(
                title=escape(title), nickname=escape(joined.participant.nickname or "")
            ),
            footer=False,
        )
    return Screen(
        _("<b>🎯 {title}</b>").format(title=escape(title)) + "\n\n" + ask_nickname(),
        footer=False,
    )


NICK_ANSWERS = {
    Nick.LENGTH: lambda: _("A nickname has {min}–{max} characters. Try another one.").format(
        min=MIN_LENGTH, max=MAX_LENGTH
    ),
    Nick.CHARACTERS: lambda: _("Only letters, digits, spaces, _ and - please. Try another one."),
    Nick.LINK: lambda: _("No links and no @names in a nickname. Try another one."),
    Nick.ABUSE: lambda: _("Please choose a friendlier nickname."),
    Nick.TAKEN: lambda: _("Somebody has this nickname already. Try another one."),
}


async def on_nickname(message: Message, quiz: QuizService) -> None:
    assert message.from_user is not None and message.text is not None
    verdict, event = await quiz.choose_nickname(message.from_user.id, message.text)
    if event is None:
        await message.answer(_("This quiz is over. Thank you for coming!"))
        return
    if verdict != Nick.OK:
        await message.answer(NICK_ANSWERS[verdict]())
        return
    participant = await quiz.store.participant(event.code, message.from_user.id)
    assert participant is not None
    text = _(
        "You are in as <b>{nickname}</b>. The questions come here as quizzes: the faster you "
        "answer right, the more points. To leave: /quiz_leave"
    ).format(nickname=escape(participant.nickname or ""))
    if event.state == RUNNING:
        text += "\n\n" + joined_late()
    else:
        text += "\n\n" + _("Wait for the organisers to start it.")
    await message.answer(text)


async def cmd_leave(message: Message, quiz: QuizService) -> None:
    assert message.from_user is not None
    if await quiz.leave(message.from_user.id):
        await message.answer(_("You left the quiz. No more questions will come."))
    else:
        await message.answer(_("You are not in a quiz now."))

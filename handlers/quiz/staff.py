"""Staff ("quiz" permission, checked on every message and tap): /quiz_open <id> (the deep link,
its QR code, a Start button), /quiz_prize <code> (is this prize code real?)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _

from bot.admin.roles import AdminDirectory
from bot.clock import Clock
from bot.placements.qr import qr_files
from bot.quiz.service import QuizService
from bot.quiz.store import OPEN, Event
from bot.telegram_html import escape
from handlers.admin.filters import HasPermission
from handlers.quiz.callbacks import QuizAction, QuizCb

USAGE = "/quiz_open &lt;quiz id&gt;\n/quiz_prize &lt;code&gt;"


def _buttons(code: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("▶️ Start the quiz"),
                    callback_data=QuizCb(action=QuizAction.START, code=code).pack(),
                ),
                InlineKeyboardButton(
                    text=_("👥 Who joined"),
                    callback_data=QuizCb(action=QuizAction.COUNT, code=code).pack(),
                ),
            ]
        ]
    )


async def cmd_open(
    message: Message,
    command: CommandObject,
    quiz: QuizService,
    admins: AdminDirectory,
    clock: Clock,
    locale: str,
) -> None:
    assert message.from_user is not None
    chosen = quiz.quizzes.get((command.args or "").strip())
    if chosen is None:
        ids = ", ".join(f"<code>{escape(q)}</code>" for q in sorted(quiz.quizzes)) or "—"
        await message.answer(
            _("No quiz with this id. Quizzes in content/quizzes/: {ids}").format(ids=ids)
            + "\n\n"
            + USAGE
        )
        return
    code = await quiz.open_event(chosen, message.chat.id, locale, clock().timestamp())
    await admins.audit(message.from_user.id, "quiz_open", chosen.id)
    link = quiz.join_link(code)
    files = qr_files(link, chosen.titles[locale])
    await message.answer_photo(
        BufferedInputFile(files.png, filename="quiz.png"),
        caption=_(
            "<b>{title}</b>: {n} questions, {seconds} s each.\nJoin link: {link}\n"
            "Show this QR code on the screen. Tap Start when everyone is in."
        ).format(
            title=escape(chosen.titles[locale]),
            n=len(chosen.questions),
            seconds=chosen.open_period,
            link=escape(link),
        ),
        reply_markup=_buttons(code),
    )
    await message.answer_document(BufferedInputFile(files.svg, filename="quiz.svg"))


async def _open_event(query: CallbackQuery, quiz: QuizService, code: str) -> Event | None:
    """The event if it is still open (not started, not over); else the answer says so."""
    event = await quiz.store.event(code)
    if event is None or event.state != OPEN:
        await query.answer(_("This quiz has started, ended or was forgotten."), show_alert=True)
        return None
    return event


async def on_count(query: CallbackQuery, callback_data: QuizCb, quiz: QuizService) -> None:
    event = await _open_event(query, quiz, callback_data.code)
    if event is None:
        return
    playing, choosing = await quiz.store.count(event.code)
    await query.answer(
        _("In: {n}. Choosing a nickname: {m}.").format(n=playing, m=choosing), show_alert=True
    )


async def on_start(
    query: CallbackQuery,
    callback_data: QuizCb,
    quiz: QuizService,
    admins: AdminDirectory,
    clock: Clock,
) -> None:
    event = await _open_event(query, quiz, callback_data.code)
    if event is None:
        return
    playing, _choosing = await quiz.store.count(event.code)
    if playing == 0:
        await query.answer(_("Nobody has joined yet."), show_alert=True)
        return
    if not await quiz.start(event.code, clock().timestamp()):  # a double tap, a second admin
        await query.answer(_("This quiz has started, ended or was forgotten."), show_alert=True)
        return
    await admins.audit(query.from_user.id, "quiz_start", event.quiz_id)
    await query.answer(_("Started: the first question goes to {n} people.").format(n=playing))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    assert query.bot is not None
    await quiz.tick(query.bot, clock().timestamp())  # the first question, now


async def cmd_prize(
    message: Message,
    command: CommandObject,
    quiz: QuizService,
    admins: AdminDirectory,
    locale: str,
) -> None:
    assert message.from_user is not None
    found = await quiz.prize((command.args or "")[:20])
    if found is None:
        await message.answer(_("No prize has this code. Check the letters and try again."))
        return
    participant, chosen, shown = found
    title = chosen.titles[locale] if chosen is not None else "—"
    text = _("✅ A real prize code: place {place} in «{title}», nickname {nickname}.").format(
        place=participant.place, title=escape(title), nickname=escape(participant.nickname or "")
    )
    if shown:
        text += "\n" + _("⚠️ This code was checked before: the prize may be handed out already.")
    await admins.audit(message.from_user.id, "quiz_prize", None)
    await message.answer(text)


def setup() -> Router:
    router = Router(name="quiz_staff")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.message.register(cmd_open, Command("quiz_open"), HasPermission("quiz"))
    router.message.register(cmd_prize, Command("quiz_prize"), HasPermission("quiz"))
    router.callback_query.register(
        on_start, QuizCb.filter(F.action == QuizAction.START), HasPermission("quiz")
    )
    router.callback_query.register(
        on_count, QuizCb.filter(F.action == QuizAction.COUNT), HasPermission("quiz")
    )
    return router

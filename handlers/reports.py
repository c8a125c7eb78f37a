"""Anonymous reports: the report flow, the receipt, "Check my report" (logic in bot/reports).

What the person sends in a session is deleted as soon as it is read and answered by a short
acknowledgement that repeats none of it; the bot's own messages of the session are tracked in
memory and deleted when it ends, however it ends. A receipt typed anywhere is deleted at once and
opens "Check my report". Nothing here logs text, receipts or user ids.
"""

from __future__ import annotations

import contextlib

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.db.users import UserRecord
from bot.formatting import format_day
from bot.reports import flow
from bot.reports.callbacks import ReportCb
from bot.reports.chat import (
    MEDIA_KINDS,
    download_media,
    media_received,
    prompt,
    send_tracked,
    text_received,
    wipe_notice,
)
from bot.reports.receipt import format_receipt, normalise
from bot.reports.service import reports_of
from bot.reports.session import Draft, Session, delete_now
from bot.reports.staff import setup_staff_router
from bot.screens import HOME, Screen, ScreenRegistry, build_markup, render, show
from bot.services import Services
from handlers.reports_check import check_addition, check_button, check_receipt

RECEIPT_LIKE_DIGITS = 8


def in_session(message: Message, services: Services) -> bool:
    """Route a private message here only while this chat has a report or check session.

    A person who opened "Check my report" and then went elsewhere may type a question for
    another section: only something that looks like a receipt is taken as one.
    """
    if services.reports is None:
        return False
    session = services.reports.sessions.get(message.chat.id)
    if session is None or session.mode == "intro":
        return False
    if session.mode == "check":
        return sum(ch.isdigit() for ch in message.text or "") >= RECEIPT_LIKE_DIGITS
    return True


def typed_receipt(message: Message, services: Services) -> bool:
    """A private text that is a receipt (16 digits, spaces allowed), whatever screen is open."""
    return services.reports is not None and normalise(message.text or "") is not None


class EditedInSession(Filter):
    """An edited message that a report or check session has read."""

    async def __call__(self, message: Message, services: Services) -> bool:
        session = services.reports.sessions.get(message.chat.id) if services.reports else None
        return session is not None and message.message_id in session.message_ids


def reports_enabled(query: CallbackQuery, services: Services) -> bool:
    return services.reports is not None


async def _show_step(
    bot: Bot, services: Services, session: Session, chat_id: int, edit: Message | None = None
) -> None:
    """Show the current step: edit the prompt when a button was pressed on it, else send anew."""
    draft = session.draft
    assert draft is not None
    step = session.step
    if step in flow.BY_KEY:
        question = flow.BY_KEY[step]
        chosen = draft.answers.get(step)
        number = list(flow.BY_KEY).index(step) + 1
        text, markup = flow.question_screen(
            question,
            number,
            chosen if isinstance(chosen, list) else None,
            reports_of(services).today(),
        )
    elif step == "text":
        text, markup = flow.text_screen()
        text += "\n\n" + _(
            "What you send is removed from this chat as soon as I have read it; I answer with "
            "its length only."
        )
    elif step == "files":
        text, markup = flow.files_screen(len(draft.sealed_files))
    else:
        text, markup = (
            flow.summary(draft.answers, draft.text, len(draft.sealed_files)),
            flow.confirm_markup(),
        )
    if edit is not None and edit.message_id == session.prompt_id:
        with contextlib.suppress(TelegramBadRequest):
            await edit.edit_text(text, reply_markup=markup)
            return
    await prompt(bot, session, chat_id, text, markup)


async def _exit(
    bot: Bot, services: Services, user: UserRecord, locale: str, chat_id: int, extra: list[int]
) -> None:
    """Exit: wipe the session and its messages at once; leave only the harmless main menu."""
    session = reports_of(services).sessions.end(chat_id)
    ids = list(dict.fromkeys(list(extra) + (session.message_ids if session else [])))
    await delete_now(bot, chat_id, ids)
    screen = await render(services, user, locale, HOME)
    assert screen is not None
    await bot.send_message(chat_id, screen.text, reply_markup=_markup(screen))


def _markup(screen: Screen) -> InlineKeyboardMarkup | None:
    return build_markup(screen, HOME)


# ---------------------------------------------------------------- buttons


async def on_button(
    query: CallbackQuery,
    callback_data: ReportCb,
    services: Services,
    user_record: UserRecord,
    locale: str,
    bot: Bot,
) -> None:
    reports = reports_of(services)
    message = query.message if isinstance(query.message, Message) else None
    chat_id = message.chat.id if message else query.from_user.id
    action, value = callback_data.action, callback_data.value
    session = reports.sessions.get(chat_id)
    if action == "x":
        await query.answer()
        await _exit(
            bot, services, user_record, locale, chat_id, [message.message_id] if message else []
        )
        return
    if action == "go":
        if not reports.submission_limits.allowed(query.from_user.id):
            await query.answer(
                _("You have sent several reports today. Please call a hotline."), show_alert=True
            )
            return
        await query.answer()
        # The explanation screen becomes the first question: it moves to the new session.
        carry = (message.message_id,) if message is not None else ()
        session = reports.sessions.start(chat_id, "report", carry=carry)
        session.draft = Draft()
        session.step = flow.STEPS[0]
        if message is not None:
            session.prompt_id = message.message_id
        await _show_step(bot, services, session, chat_id, edit=message)
        return
    if session is None:
        await query.answer(_("This session has ended. Here is the menu."))
        screen = await render(services, user_record, locale, HOME)
        assert screen is not None
        await show(query, screen, HOME)
        return
    await query.answer()
    if session.mode == "checked":
        await check_button(bot, services, session, chat_id, action)
        return
    if session.mode != "report" or session.draft is None:
        return
    draft = session.draft
    key, _sep, code = value.partition(".")
    if action in ("a", "t") and key != session.step:
        return  # a button of an earlier step: the session decides, not the button
    if action == "a":
        question = flow.BY_KEY[key]
        if code not in dict(flow.options_of(question, reports.today())):
            return
        draft.answers[key] = code
        session.step = flow.next_step(key)
        if key == "danger" and code == "yes":
            # Someone is in danger now: the hotlines come before any further question.
            await send_tracked(bot, session, chat_id, flow.danger_text())
            await _show_step(bot, services, session, chat_id)
            return
    elif action == "t":
        question = flow.BY_KEY[key]
        if code not in dict(question.options):
            return
        chosen = list(draft.answers.get(key) or [])
        chosen.remove(code) if code in chosen else chosen.append(code)
        draft.answers[key] = chosen
    elif action == "skip" and value == session.step and value in flow.BY_KEY:
        draft.answers.pop(value, None)
        session.step = flow.next_step(value)
    elif action == "done" and value == session.step == "what":
        session.step = flow.next_step("what")
    elif action == "done" and value == session.step == "files":
        session.step = "confirm"
    elif action == "send" and session.step == "confirm":
        await _submit(bot, services, session, chat_id, query.from_user.id, message)
        return
    else:
        return
    await _show_step(bot, services, session, chat_id, edit=message)


async def _submit(
    bot: Bot,
    services: Services,
    session: Session,
    chat_id: int,
    user_id: int,
    message: Message | None,
) -> None:
    reports = reports_of(services)
    draft = session.draft
    assert draft is not None
    if message is not None:
        with contextlib.suppress(TelegramBadRequest):
            await message.edit_text(
                _("⏳ Encrypting and saving your report…") + "\n\n" + flow.no_receipt_note()
            )
    digits, _ref = await reports.submit(draft)  # committed to the database here
    reports.submission_limits.record(user_id)
    session.draft = None
    session.mode = "typeback"
    session.receipt = digits
    text = _(
        "✅ <b>Your report is saved.</b>\n\n"
        "Your receipt code:\n<code>{receipt}</code>\n\n"
        "Write it down somewhere safe, away from this phone (it looks like a card number). "
        "It is the only way to read the lawyers' answers; nobody can restore it.\n\n"
        "To finish, type the code back here."
    ).format(receipt=format_receipt(digits))
    text = f"{text}\n\n{wipe_notice(reports.deletes.delay_seconds)}"
    sent = await send_tracked(bot, session, chat_id, text, protect_content=True)
    session.receipt_message_id = sent.message_id
    # The report is sent: its messages, the receipt too, go after the wipe delay whether or
    # not the code is typed back (the session waits a while longer for it).
    reports.deletes.schedule(chat_id, session.message_ids)
    session.message_ids = []


# ---------------------------------------------------------------- messages


async def on_message(
    message: Message, services: Services, user_record: UserRecord, locale: str, bot: Bot
) -> None:
    reports = reports_of(services)
    chat_id = message.chat.id
    session = reports.sessions.get(chat_id)
    if session is None:
        return
    session.track(message.message_id)  # deleted on read below; tracked in case that fails
    if message.location or message.venue or message.contact:
        await delete_now(bot, chat_id, [message.message_id])
        await send_tracked(
            bot,
            session,
            chat_id,
            _(
                "I deleted what you sent: a location or a phone number can identify you. "
                "Please answer with the buttons or in words."
            ),
        )
        return
    if session.mode == "report":
        await _report_message(message, bot, services, session)
    elif session.mode == "typeback":
        await _typeback(message, bot, services, session, user_record, locale)
    elif session.mode == "check":
        await check_receipt(message, bot, services, session, locale)
    elif session.mode == "checked":
        await check_addition(message, bot, services, session)


async def _report_message(message: Message, bot: Bot, services: Services, session: Session) -> None:
    reports = reports_of(services)
    draft = session.draft
    chat_id = message.chat.id
    if draft is None:
        return
    if message.text is not None:
        await delete_now(bot, chat_id, [message.message_id])  # read: it leaves the phone now
        if len(message.text) > flow.MAX_TEXT:
            await send_tracked(bot, session, chat_id, flow.too_long())
            return
        draft.set_part(message.message_id, message.text)
        received = text_received(len(message.text))
        if session.step == "text":
            if len(draft.text) < flow.MIN_TEXT:
                await send_tracked(bot, session, chat_id, f"{received}\n\n{flow.too_short()}")
                return
            session.step = "files"
        elif session.step in flow.BY_KEY:
            await send_tracked(
                bot,
                session,
                chat_id,
                received
                + "\n\n"
                + _(
                    "I have kept this for your description. Please answer the question with the "
                    "buttons, or press «Skip»."
                ),
            )
            return
        await send_tracked(bot, session, chat_id, received)
        await _show_step(bot, services, session, chat_id)
        return
    if await _refused(message, bot, session, reports.draft_refusal(draft, _declared_size(message))):
        return
    downloaded = await download_media(message, bot, session)
    if downloaded is None:
        return
    kind, name, mime, data = downloaded
    if await _refused(message, bot, session, reports.draft_refusal(draft, len(data))):
        return
    caption = message.caption or None
    reports.seal_file(draft, kind, name, mime, data, caption=caption)
    await send_tracked(bot, session, chat_id, media_received(kind, caption))
    await _show_step(bot, services, session, chat_id)


async def on_edited(message: Message, services: Services, bot: Bot) -> None:
    """An edit of something the session read: it replaces that part of the description, or
    the person is told it was not taken. Either way the edited message leaves the chat."""
    reports = reports_of(services)
    chat_id = message.chat.id
    session = reports.sessions.get(chat_id)
    if session is None:
        return
    await delete_now(bot, chat_id, [message.message_id])
    draft = session.draft
    text = message.text
    if (
        session.mode == "report"
        and draft is not None
        and text is not None
        and message.message_id in draft.parts
        and len(text) <= flow.MAX_TEXT
    ):
        draft.set_part(message.message_id, text)
        await send_tracked(
            bot,
            session,
            chat_id,
            _("✓ Your correction replaces what you sent before. Characters: {count}.").format(
                count=len(text)
            ),
        )
        if session.step == "text" and len(draft.text) >= flow.MIN_TEXT:
            session.step = "files"
        if session.step in ("files", "confirm"):
            await _show_step(bot, services, session, chat_id)
        return
    await send_tracked(
        bot,
        session,
        chat_id,
        _(
            "I could not take this edit: what you sent first is already encrypted or used. "
            "Please send the correction as a new message."
        ),
    )


async def on_typed_receipt(
    message: Message, services: Services, user_record: UserRecord, locale: str, bot: Bot
) -> None:
    """A receipt typed anywhere: deleted at once (by the handler it goes to), then either the
    type-back after a submission or "Check my report" with it."""
    reports = reports_of(services)
    chat_id = message.chat.id
    session = reports.sessions.get(chat_id)
    if session is not None and session.mode == "typeback":
        session.track(message.message_id)
        await _typeback(message, bot, services, session, user_record, locale)
        return
    if session is None or session.mode != "check":
        session = reports.sessions.start(chat_id, "check")
    session.track(message.message_id)
    await check_receipt(message, bot, services, session, locale)


def _declared_size(message: Message) -> int | None:
    """The size Telegram announces for a media message; None when it is no media."""
    kind = next((k for k in MEDIA_KINDS if getattr(message, k)), None)
    if kind is None:
        return None
    media = getattr(message, kind)
    item = media[-1] if isinstance(media, list) else media
    return item.file_size or 0


async def _refused(message: Message, bot: Bot, session: Session, refusal: str | None) -> bool:
    """A file over a draft cap (bot/reports/costs.py): deleted, the person told, nothing lost."""
    if refusal is None:
        return False
    await delete_now(bot, message.chat.id, [message.message_id])
    text = flow.too_many_files() if refusal == "files" else flow.files_too_big()
    await send_tracked(bot, session, message.chat.id, text)
    return True


async def _typeback(
    message: Message, bot: Bot, services: Services, session: Session, user: UserRecord, locale: str
) -> None:
    reports = reports_of(services)
    chat_id = message.chat.id
    await delete_now(bot, chat_id, [message.message_id])  # it may hold the receipt
    if normalise(message.text or "") != session.receipt:
        await send_tracked(
            bot,
            session,
            chat_id,
            _("This does not match the code above. Please look again and type all 16 digits."),
        )
        return
    if session.receipt_message_id is not None:
        await delete_now(bot, chat_id, [session.receipt_message_id])
    session.receipt = None
    kept = format_day(reports.kept_until(), locale)
    await send_tracked(
        bot,
        session,
        chat_id,
        _(
            "Thank you. The Coalition's lawyers will read your report. It is kept encrypted until "
            "{date} at least; every new message in «Check my report» extends this.\n\n"
            "This conversation will disappear from this chat in a few minutes."
        ).format(date=kept),
    )
    await send_tracked(
        bot,
        session,
        chat_id,
        _(
            "To remove this chat from your phone completely: open the chat menu (⋮ or the bot's "
            "name) and choose «Delete chat» or «Clear history»."
        )
        + "\n\n"
        + wipe_notice(reports.deletes.delay_seconds),
    )
    reports.sessions.finish(chat_id)  # these closing messages go too, after the wipe delay


def setup(screens: ScreenRegistry) -> Router:
    """The reporters' router (private chats) and the staff's commands (admins only)."""
    router = Router(name="reports")
    people = Router(name="reports_people")
    people.message.filter(F.chat.type == ChatType.PRIVATE)
    people.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    people.edited_message.filter(F.chat.type == ChatType.PRIVATE)
    people.callback_query.register(on_button, ReportCb.filter(), reports_enabled)
    people.message.register(on_typed_receipt, F.text, typed_receipt)
    people.message.register(on_message, in_session, ~F.text.startswith("/"))
    people.edited_message.register(on_edited, EditedInSession())
    router.include_routers(people, setup_staff_router())
    return router

"""Staff: /receptions (reminder counts per reception, never who), /announce <id> (to everyone who
chose the region, through the delivery engine, once). The role is read from the database on
every message and every tap; others fall through (/receptions then opens the public screen)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot import LOCALES
from bot.admin.roles import AdminDirectory
from bot.clock import Clock
from bot.i18n import Translator
from bot.links import DeepLinks
from bot.receptions.regions import region_label
from bot.receptions.service import ReceptionService
from bot.receptions.texts import announcement, when
from bot.telegram_html import escape, split_html
from handlers.admin.filters import HasPermission
from handlers.receptions.callbacks import AnnounceAction, AnnounceCb
from handlers.receptions.screens import RECEPTIONS

USAGE = "/receptions\n/announce &lt;reception id&gt;"


async def cmd_receptions(message: Message, receptions: ReceptionService, clock: Clock) -> None:
    now = clock()
    lines = [_("<b>Legal receptions</b> (reminders: waiting · sent)")]
    for item in await receptions.counts():
        reception = item.reception
        if not receptions.is_upcoming(reception, now) and not (item.waiting or item.sent):
            continue  # old ones without reminders say nothing
        state = _("announced") if item.announced else _("not announced")
        lines.append(
            f"<code>{escape(reception.id)}</code> · {escape(region_label(reception.region))} · "
            f"{escape(when(reception))}\n"
            + _("reminders: {waiting} waiting · {sent} sent · {state}").format(
                waiting=item.waiting, sent=item.sent, state=state
            )
        )
    if len(lines) == 1:
        lines.append(_("No upcoming reception in content/receptions.yaml."))
    lines.append("\n" + USAGE)
    for chunk in split_html("\n\n".join(lines)):
        await message.answer(chunk)


def _texts(
    receptions: ReceptionService, i18n: Translator, links: DeepLinks, rid: str
) -> dict[str, str]:
    reception = receptions.by_id[rid]
    texts = {}
    for locale in LOCALES:
        with i18n.use_locale(locale):
            texts[locale] = announcement(reception, locale, links.start(RECEPTIONS))
    return texts


async def cmd_announce(
    message: Message,
    command: CommandObject,
    receptions: ReceptionService,
    i18n: Translator,
    links: DeepLinks,
    clock: Clock,
    locale: str,
) -> None:
    rid = (command.args or "").strip()
    reception = receptions.get(rid)
    if reception is None or not receptions.is_upcoming(reception, clock()):
        await message.answer(_("No upcoming reception with this id.") + "\n\n" + USAGE)
        return
    if await receptions.store.announcement(reception.id) is not None:
        await message.answer(_("This reception was already announced; it is not sent twice."))
        return
    count = await receptions.audience_size(reception)
    await message.answer(
        _("Preview. It goes to the {n} people who chose {region}, in their language:").format(
            n=count, region=escape(region_label(reception.region))
        )
    )
    button = InlineKeyboardButton(
        text=_("📣 Send the announcement"),
        callback_data=AnnounceCb(action=AnnounceAction.CONFIRM, reception=reception.id).pack(),
    )
    await message.answer(
        _texts(receptions, i18n, links, reception.id)[locale],
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]),
    )


async def on_announce(
    query: CallbackQuery,
    callback_data: AnnounceCb,
    receptions: ReceptionService,
    admins: AdminDirectory,
    i18n: Translator,
    links: DeepLinks,
    clock: Clock,
) -> None:
    reception = receptions.get(callback_data.reception)
    now = clock()
    if reception is None or not receptions.is_upcoming(reception, now):
        await query.answer(_("No upcoming reception with this id."), show_alert=True)
        return
    texts = _texts(receptions, i18n, links, reception.id)
    new, _delivery_id = await receptions.announce(reception, texts, query.from_user.id, now)
    if new:
        await admins.audit(query.from_user.id, "reception_announce", reception.id)
        await query.answer(_("Sending to the region now, at Telegram's pace."))
    else:
        await query.answer(_("This reception was already announced; it is not sent twice."))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


def setup() -> Router:
    router = Router(name="receptions_staff")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.message.register(cmd_receptions, Command("receptions"), HasPermission("receptions"))
    router.message.register(cmd_announce, Command("announce"), HasPermission("broadcast"))
    router.callback_query.register(on_announce, AnnounceCb.filter(), HasPermission("broadcast"))
    return router

"""/qr <code|deep link> (staff with "placements"): a print-ready QR code as SVG and PNG."""

from __future__ import annotations

from aiogram.enums import ChatAction
from aiogram.filters import CommandObject
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from bot.admin.roles import AdminDirectory
from bot.placements.qr import qr_files
from bot.placements.service import PlacementService
from bot.telegram_html import escape


async def cmd_qr(
    message: Message,
    command: CommandObject,
    placements: PlacementService,
    admins: AdminDirectory,
) -> None:
    argument = (command.args or "").strip()[:300]
    link = placements.qr_link(argument) if argument else None
    if link is None:
        codes = ", ".join(sorted(placements.placements)) or "—"
        await message.answer(
            _(
                "Usage: /qr &lt;placement code&gt; or /qr &lt;a link into this bot&gt;.\n"
                "Codes in content/placements.yaml: {codes}"
            ).format(codes=escape(codes))
        )
        return
    bot = message.bot
    assert bot is not None and message.from_user is not None
    await bot.send_chat_action(message.chat.id, ChatAction.UPLOAD_DOCUMENT)
    files = qr_files(link, "@" + placements.links.username)
    caption = _("QR code for {link}\nSVG for print; the picture for a quick look.").format(
        link=escape(link)
    )
    await message.answer_document(BufferedInputFile(files.svg, filename="qr.svg"), caption=caption)
    await message.answer_photo(BufferedInputFile(files.png, filename="qr.png"))
    await admins.audit(message.from_user.id, "qr", link)

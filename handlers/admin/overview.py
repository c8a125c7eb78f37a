"""/admin: what the sender's role may do (bot/admin/overview.py), with buttons that start the
most used actions. Each button is checked against the tapper's role again when tapped; the
Campaigns and Reports buttons are answered by their own features (handlers/campaigns/admin.py,
handlers/reports/staff.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.admin.broadcast_desk import BroadcastDesk
from bot.admin.overview import may_use, overview_text
from bot.admin.roles import AdminDirectory
from bot.clock import Clock
from bot.config import Settings
from bot.db.users import UserRepo
from bot.delivery import DeliveryEngine
from bot.placements.service import PlacementService
from bot.quiz.service import QuizService
from handlers.admin import broadcast_compose, broadcast_list, roles, stats
from handlers.admin.callbacks import AdminAction, AdminCb
from handlers.admin.filters import HasPermission

if TYPE_CHECKING:
    from bot.reports.service import ReportService

# (action, permission, needs reports, label), two buttons a row in this order.
BUTTONS: tuple[tuple[AdminAction, str, bool, Any], ...] = (
    (AdminAction.BROADCAST, "broadcast", False, __("📣 Broadcast")),
    (AdminAction.BROADCASTS, "broadcast", False, __("🗂 Recent broadcasts")),
    (AdminAction.STATS, "stats", False, __("📊 Statistics")),
    (AdminAction.CAMPAIGNS, "campaigns", False, __("📅 Campaigns")),
    (AdminAction.REPORTS, "reports", True, __("📝 Reports")),
    (AdminAction.ADMINS, "manage", False, __("👥 Admins")),
    (AdminAction.AUDIT, "audit", False, __("🧾 Audit log")),
)


def overview_keyboard(role: str, reports_on: bool) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(text=str(label), callback_data=AdminCb(action=action).pack())
        for action, permission, needs_reports, label in BUTTONS
        if may_use(role, permission, needs_reports=needs_reports, reports_on=reports_on)
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    )


async def _send_overview(
    message: Message, user_id: int, admins: AdminDirectory, reports_on: bool
) -> None:
    role = await admins.role_of(user_id)
    if role is None:  # the router's filter let it through a moment ago; a removal raced it
        return
    await message.answer(
        overview_text(role, reports_on=reports_on),
        reply_markup=overview_keyboard(role, reports_on),
    )


async def cmd_admin(
    message: Message, admins: AdminDirectory, reports: ReportService | None = None
) -> None:
    assert message.from_user is not None
    await _send_overview(message, message.from_user.id, admins, reports is not None)


def _chat_message(query: CallbackQuery) -> Message | None:
    """The message a button belongs to (an old, inaccessible one has no chat to answer in)."""
    return query.message if isinstance(query.message, Message) else None


async def on_overview(
    query: CallbackQuery, admins: AdminDirectory, reports: ReportService | None = None
) -> None:
    await query.answer()
    if (message := _chat_message(query)) is not None:
        await _send_overview(message, query.from_user.id, admins, reports is not None)


async def on_broadcast(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    if (message := _chat_message(query)) is not None:
        await broadcast_compose.start_broadcast(message, state)


async def on_broadcasts(
    query: CallbackQuery, broadcasts: BroadcastDesk, settings: Settings, clock: Clock
) -> None:
    await query.answer()
    if (message := _chat_message(query)) is not None:
        await broadcast_list.list_broadcasts(message, broadcasts, settings, clock)


async def on_stats(
    query: CallbackQuery,
    admins: AdminDirectory,
    users: UserRepo,
    delivery: DeliveryEngine,
    placements: PlacementService,
    quiz: QuizService,
    clock: Clock,
    reports: ReportService | None = None,
) -> None:
    await query.answer(_("Preparing the statistics…"))
    if (message := _chat_message(query)) is not None:
        await stats.send_stats(
            message,
            query.from_user.id,
            admins,
            users,
            delivery,
            reports,
            placements=(placements.counts, clock().date()),
            quiz=quiz,
        )


async def on_admins(query: CallbackQuery, admins: AdminDirectory) -> None:
    await query.answer()
    if (message := _chat_message(query)) is not None:
        await roles.list_admins(message, admins)


async def on_audit(query: CallbackQuery, admins: AdminDirectory, settings: Settings) -> None:
    await query.answer()
    if (message := _chat_message(query)) is not None:
        await roles.show_audit(message, admins, settings)


def setup() -> Router:
    router = Router(name="admin_overview")
    router.message.register(cmd_admin, Command("admin"))

    def button(action: AdminAction) -> Any:
        return AdminCb.filter(F.action == action)

    # The callback data's action is matched first (cheap), then the role is read again.
    router.callback_query.register(on_overview, button(AdminAction.OVERVIEW))
    router.callback_query.register(
        on_broadcast, button(AdminAction.BROADCAST), HasPermission("broadcast")
    )
    router.callback_query.register(
        on_broadcasts, button(AdminAction.BROADCASTS), HasPermission("broadcast")
    )
    router.callback_query.register(on_stats, button(AdminAction.STATS), HasPermission("stats"))
    router.callback_query.register(on_admins, button(AdminAction.ADMINS), HasPermission("manage"))
    router.callback_query.register(on_audit, button(AdminAction.AUDIT), HasPermission("audit"))
    return router

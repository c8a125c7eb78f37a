"""Reception reminders: every minute (and at start-up) the reminders due by now are sent.

Each reminder row is claimed (committed) before its send and deleted, with the "sent" count,
right after it: the chat id is in the database only until then. A row a killed run had claimed
is deleted without a second send (it may have arrived): a reminder is never sent twice, and
at worst the one message in flight at a kill is lost. A passing error (network, 429, 5xx)
gives the row back for the next run; a blocked bot or a deleted chat drops it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
)
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.i18n import Translator
from bot.receptions.content import Reception
from bot.receptions.service import ReceptionService
from bot.receptions.store import DueReminder
from bot.receptions.texts import reminder

log = logging.getLogger(__name__)

EVERY_SECONDS = 60


async def send_reminders(
    receptions: ReceptionService, bot: Bot, i18n: Translator, now: datetime
) -> int:
    """Send what is due at `now`; returns how many reminders were sent."""

    async def send(reception: Reception, item: DueReminder) -> str:
        with i18n.use_locale(item.locale):
            text = reminder(reception, item.locale)
        try:
            await bot.send_message(item.chat_id, text)
        except (TelegramForbiddenError, TelegramNotFound):
            return "gone"
        except TelegramBadRequest as exc:
            log.warning("reception reminder refused (%s)", exc.__class__.__name__)
            return "gone"
        except Exception as exc:  # network, 429 after retries, 5xx: try again next minute
            log.warning("reception reminder not sent yet (%s)", exc.__class__.__name__)
            return "retry"
        return "sent"

    sent = await receptions.send_due(now, send)
    if sent:
        log.info("reception reminders sent: %d", sent)
    return sent


async def run_now(receptions: ReceptionService, bot: Bot, i18n: Translator, clock: Clock) -> int:
    return await send_reminders(receptions, bot, i18n, clock())


def add_jobs(
    scheduler: AsyncIOScheduler,
    receptions: ReceptionService,
    bot: Bot,
    i18n: Translator,
    clock: Clock,
) -> None:
    scheduler.add_job(
        run_now,
        "interval",
        seconds=EVERY_SECONDS,
        args=[receptions, bot, i18n, clock],
        id="reception-reminders",
        next_run_time=datetime.now(scheduler.timezone),  # at start-up too (real time)
        replace_existing=True,
    )

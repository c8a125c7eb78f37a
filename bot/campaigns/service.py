"""The campaign feature's service object, built once by bot/app.py `create_app`."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.utils.i18n import lazy_gettext as __

from bot.campaigns.content import Campaign, load_campaigns
from bot.campaigns.ledger import CampaignLedger
from bot.campaigns.runner import CampaignRunner, Enqueue, Send
from bot.campaigns.subscriptions import CampaignSubscriptions
from bot.config import Settings
from bot.db import Database
from bot.delivery import Audience, DeliveryEngine, OutgoingMessage
from bot.i18n import Translator
from bot.links import DeepLinks
from bot.telegram_html import teaser

# A shared post brings its readers to the subscriptions screen (handlers/campaigns/subscribe.py).
SHARE_OPENS = "daily"
SHARE_TEXT_LIMIT = 200  # the start of the post above the link in the chat it is shared to
SHARE_LABEL = __("📤 Share")


@dataclass
class CampaignService:
    campaigns: dict[str, Campaign]
    ledger: CampaignLedger
    runner: CampaignRunner
    subscriptions: CampaignSubscriptions


def share_button(links: DeepLinks, i18n: Translator, locale: str, html: str) -> tuple[str, str]:
    """ "📤 Share" under a post: Telegram's share link (on LINK_DOMAIN) with the post's first
    words and the bot's link that opens the daily posts, in the post's language."""
    with i18n.use_locale(locale):
        label = str(SHARE_LABEL)
    return label, links.share(links.start(SHARE_OPENS), teaser(html, SHARE_TEXT_LIMIT))


def engine_enqueue(delivery: DeliveryEngine, links: DeepLinks, i18n: Translator) -> Enqueue:
    """Enqueue through the delivery engine, idempotent on the ledger key. The share link is
    made now, when the bot's @username is known (start-up asks getMe before any post)."""

    async def enqueue(send: Send) -> int:
        audience = Audience(
            subscribers=send.subscribers,
            locales=tuple(send.texts) if send.subscribers else (),
            channels=send.channel_locales,
            campaign_id=send.key.campaign_id if send.subscribers else None,
        )
        versions = {
            locale: OutgoingMessage(
                text=links.on_domain(text),
                url_buttons=((share_button(links, i18n, locale, text),),),
            )
            for locale, text in send.texts.items()
        }
        return await delivery.enqueue(
            kind="campaign",
            dedupe_key=send.key.dedupe_key,
            versions=versions,
            audience=audience,
            not_before=None,
        )

    return enqueue


def create_campaign_service(
    db: Database, settings: Settings, delivery: DeliveryEngine, links: DeepLinks, i18n: Translator
) -> CampaignService:
    """Load the campaigns (content errors raise ContentError) and wire ledger and runner."""
    campaigns = load_campaigns()
    ledger = CampaignLedger(db)
    runner = CampaignRunner(
        campaigns,
        ledger,
        tz=settings.tz,
        channel_locales={channel.locale for channel in settings.channels},
        enqueue=engine_enqueue(delivery, links, i18n),
        late_until=settings.campaign_catch_up_until,
    )
    return CampaignService(campaigns, ledger, runner, CampaignSubscriptions(db))

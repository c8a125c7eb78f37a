"""The campaign feature's service object, built once by bot/app.py `create_app`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.campaigns.content import Campaign, load_campaigns
from bot.campaigns.ledger import CampaignLedger
from bot.campaigns.runner import CampaignRunner, Enqueue, Send
from bot.campaigns.subscriptions import CampaignSubscriptions
from bot.config import Settings
from bot.db import Database
from bot.delivery import Audience, DeliveryEngine, OutgoingMessage


@dataclass
class CampaignService:
    campaigns: dict[str, Campaign]
    ledger: CampaignLedger
    runner: CampaignRunner
    subscriptions: CampaignSubscriptions


def engine_enqueue(delivery: DeliveryEngine) -> Enqueue:
    """Enqueue through the delivery engine, idempotent on the ledger key."""

    async def enqueue(send: Send) -> int:
        audience = Audience(
            subscribers=send.subscribers,
            locales=tuple(send.texts) if send.subscribers else (),
            channels=send.channel_locales,
            campaign_id=send.key.campaign_id if send.subscribers else None,
        )
        versions = {locale: OutgoingMessage(text=text) for locale, text in send.texts.items()}
        return await delivery.enqueue(
            kind="campaign",
            dedupe_key=send.key.dedupe_key,
            versions=versions,
            audience=audience,
            not_before=None,
        )

    return enqueue


def create_campaign_service(
    db: Database, settings: Settings, delivery: DeliveryEngine
) -> CampaignService:
    """Load the campaigns (content errors raise ContentError) and wire ledger and runner."""
    campaigns = load_campaigns()
    ledger = CampaignLedger(db)
    runner = CampaignRunner(
        campaigns,
        ledger,
        tz=settings.tz,
        channel_locales={channel.locale for channel in settings.channels},
        enqueue=engine_enqueue(delivery),
        late_until=settings.campaign_catch_up_until,
    )
    return CampaignService(campaigns, ledger, runner, CampaignSubscriptions(db))

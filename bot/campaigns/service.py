"""The campaign feature's service object, created once per Services on first use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.campaigns.content import Campaign, load_campaigns
from bot.campaigns.ledger import CampaignLedger
from bot.campaigns.runner import CampaignRunner, Enqueue, Send

if TYPE_CHECKING:
    from bot.services import Services


class DeliveryUnavailable(RuntimeError):
    """The delivery engine is not wired in; nothing is claimed, so nothing is lost."""


@dataclass
class CampaignService:
    campaigns: dict[str, Campaign]
    ledger: CampaignLedger
    runner: CampaignRunner


def engine_enqueue(services: Services) -> Enqueue:
    """Enqueue through the delivery engine (`services.delivery`), idempotent on the ledger key."""

    async def enqueue(send: Send) -> int:
        engine = getattr(services, "delivery", None)
        if engine is None:
            raise DeliveryUnavailable("services.delivery is not set")
        from bot.delivery import Audience, OutgoingMessage

        audience = Audience(
            subscribers=send.subscribers,
            locales=tuple(send.texts) if send.subscribers else (),
            channels=send.channel_locales,
            campaign_id=send.key.campaign_id if send.subscribers else None,
        )
        versions = {locale: OutgoingMessage(text=text) for locale, text in send.texts.items()}
        return await engine.enqueue(
            kind="campaign",
            dedupe_key=send.key.dedupe_key,
            versions=versions,
            audience=audience,
            not_before=None,
        )

    return enqueue


def campaign_service(services: Services) -> CampaignService:
    """The service of this Services (loaded on first use; content errors raise ContentError)."""
    if services.campaigns is not None:
        return services.campaigns
    campaigns = load_campaigns()
    ledger = CampaignLedger(services.db)
    runner = CampaignRunner(
        campaigns,
        ledger,
        tz=services.settings.tz,
        channel_locales={channel.locale for channel in services.settings.channels},
        enqueue=engine_enqueue(services),
        late_until=services.settings.campaign_catch_up_until,
    )
    service = CampaignService(campaigns, ledger, runner)
    services.campaigns = service
    return service

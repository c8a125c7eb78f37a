"""The question of the day: during a campaign a quiz lists (`of_the_day` in its quiz.yaml), one of
its questions goes to each configured channel as an anonymous quiz poll, at the quiz's time.

Exactly once through the campaign ledger: the row (campaign, year, day, `quiz:channel:<locale>`)
is claimed before the delivery is enqueued under the row's key, so a restart at any point
neither loses nor repeats the post (the delivery engine treats the same key as the same
delivery). Like a campaign post, a day's question missed while the bot was down goes out
late the same day until CAMPAIGN_CATCH_UP_UNTIL, and not after (nor on a fresh deployment's first
day when it was due more than an hour before the first start). A paused campaign posts none.
Day N of the campaign asks question N (from the first again after the last).
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.campaigns.content import Campaign
from bot.campaigns.ledger import CLAIMED, CampaignLedger, LedgerKey
from bot.campaigns.runner import FIRST_START_GRACE
from bot.campaigns.schedule import day_post
from bot.delivery import Audience, DeliveryEngine, OutgoingMessage, OutgoingPoll
from bot.links import DeepLinks
from bot.quiz.content import Quiz
from bot.telegram_html import escape

log = logging.getLogger(__name__)

TARGET_PREFIX = "quiz:channel:"
KIND = "quiz_day"


class QuestionOfTheDay:
    def __init__(
        self,
        quizzes: dict[str, Quiz],
        campaigns: dict[str, Campaign],
        ledger: CampaignLedger,
        delivery: DeliveryEngine,
        links: DeepLinks,
        *,
        tz: ZoneInfo,
        channel_locales: set[str],
        late_until: time,
    ) -> None:
        self.quizzes = quizzes
        self.campaigns = campaigns
        self.ledger = ledger
        self.delivery = delivery
        self.links = links
        self.tz = tz
        self.channel_locales = channel_locales
        self.late_until = late_until

    def poll(self, quiz: Quiz, index: int, locale: str) -> OutgoingPoll:
        question = quiz.questions[index]
        link = self.links.start(f"faq_{question.guide}")
        explanation = (
            f"{escape(question.explanation[locale])}\n"
            f'<a href="{escape(link)}">{escape(quiz.guide_labels[locale])}</a>'
        )
        return OutgoingPoll(
            question=question.text[locale],
            options=question.options[locale],
            correct_option_id=question.correct,
            explanation=explanation,
        )

    async def run_due(self, now: datetime) -> list[LedgerKey]:
        """Enqueue each question of the day due by `now` that the ledger does not have yet."""
        local = now.astimezone(self.tz)
        enqueued: list[LedgerKey] = []
        if not self.channel_locales:
            return enqueued
        paused = await self.ledger.paused()
        for quiz in self.quizzes.values():
            if quiz.day_time is None or not quiz.questions:
                continue
            due = datetime.combine(local.date(), quiz.day_time, tzinfo=self.tz)
            late = datetime.combine(local.date(), self.late_until, tzinfo=self.tz)
            if not due <= local < max(late, due):
                continue
            if await self.ledger.first_start(local) - due > FIRST_START_GRACE:
                continue  # a fresh deployment does not open with a question due hours ago
            for campaign_id in quiz.day_campaigns:
                campaign = self.campaigns.get(campaign_id)
                post = day_post(campaign, local.date()) if campaign is not None else None
                if post is None or campaign_id in paused:
                    continue
                number = campaign.day_keys.index(post.day_key)  # type: ignore[union-attr]
                index = number % len(quiz.questions)
                for locale in sorted(self.channel_locales):
                    key = LedgerKey(campaign_id, post.year, post.day_key, TARGET_PREFIX + locale)
                    if await self.ledger.claim(key) != CLAIMED:
                        continue
                    delivery_id = await self.delivery.enqueue(
                        kind=KIND,
                        dedupe_key=key.dedupe_key,
                        versions={locale: OutgoingMessage(poll=self.poll(quiz, index, locale))},
                        audience=Audience(locales=(), channels=(locale,)),
                    )
                    await self.ledger.mark_enqueued(key, delivery_id)
                    enqueued.append(key)
                    log.info(
                        "quiz %s: question of the day %d enqueued for %s (campaign %s)",
                        quiz.id,
                        index + 1,
                        locale,
                        campaign_id,
                    )
                break  # one question a day per quiz, even when two campaigns overlap
        return enqueued

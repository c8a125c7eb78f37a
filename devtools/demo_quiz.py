"""The demo's quiz evening: simulated participants join through the fake, answer, and the demo
moves the quiz on without waiting for each question's timer.

`/quiz_players N` — N simulated people join the latest open quiz (language picker, nickname);
`/quiz_join` — the demo user opens the join link; `/prize` — types `/quiz_prize` with the prize
code the bot showed the demo user; `/vote N` — the demo user answers the latest
quiz poll with option N; `/quiz_next` — the simulated people answer the current question (most of
them right, at different speeds), then the question closes and the next one (or the results)
comes, as if its time had run out.
"""

from __future__ import annotations

import re
from typing import Any

from bot.quiz.service import GAP_SECONDS
from bot.quiz.store import OPEN, RUNNING

PLAYER_IDS = 9_100
NICKNAMES = ("Snow Leopard", "Pamir", "Apricot", "Nightingale", "Tulip", "Falcon", "Walnut")


class DemoQuiz:
    def __init__(self, session: Any) -> None:
        self.session = session
        self.players: list[int] = []
        self.skew = 0.0  # how far the demo moved the quiz's clock ahead

    @property
    def quiz(self) -> Any:
        return self.session.services.quiz

    async def _latest(self, *states: str) -> Any:
        events = await self.quiz.store.events_in(*states)
        return events[-1] if events else None

    async def add_players(self, count: int) -> None:
        event = await self._latest(OPEN, RUNNING)
        if event is None:
            self.session.transcript.write("   (no open quiz: /quiz_open <id> first)")
            return
        fake = self.session.fake
        for _n in range(count):
            player = PLAYER_IDS + len(self.players)
            self.players.append(player)
            await fake.send_text(player, f"/start quiz_{event.code}", language_code="en")
            await self.session.settle()
            picker = fake.chat(player).bot_messages[-1]
            await fake.press(player, picker.message_id, picker.button("English")["callback_data"])
            await self.session.settle()
            name = NICKNAMES[(len(self.players) - 1) % len(NICKNAMES)]
            if len(self.players) > len(NICKNAMES):
                name = f"{name} {len(self.players)}"
            await fake.send_text(player, name, language_code="en")
            await self.session.settle()
        playing, _choosing = await self.quiz.store.count(event.code)
        self.session.transcript.write(f"   ({count} simulated people joined; {playing} are in)")

    async def join(self) -> None:
        event = await self._latest(OPEN, RUNNING)
        if event is None:
            self.session.transcript.write("   (no open quiz: /quiz_open <id> first)")
            return
        await self.session.fake.send_text(
            self.session.args.user_id,
            f"/start quiz_{event.code}",
            language_code=self.session.args.language_code,
        )

    def prize_command(self) -> str:
        for message in reversed(self.session.fake.chat(self.session.args.user_id).bot_messages):
            found = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", message.text or "")
            if found:
                return f"/quiz_prize {found.group(1)}"
        return "/quiz_prize"

    def vote(self, option: str) -> None:
        fake = self.session.fake
        poll = fake.poll_in(self.session.args.user_id)
        try:
            fake.answer_poll(self.session.args.user_id, poll.id, [int(option) - 1])
        except (AttributeError, LookupError, ValueError):
            self.session.transcript.write("   (no open quiz question to answer)")
            return
        self.session.transcript.write(
            f"   (you answered {int(option)}: {poll.options[int(option) - 1]})"
        )

    async def next(self) -> None:
        event = await self._latest(RUNNING)
        if event is None:
            self.session.transcript.write("   (no quiz under way)")
            return
        quiz = self.quiz.quizzes[event.quiz_id]
        fake = self.session.fake
        correct = quiz.questions[event.question].correct
        answered = 0
        for n, player in enumerate(self.players):
            poll = fake.poll_in(player)
            if poll is None or player in poll.voters or poll.closed:
                continue
            wrong = (n + event.question) % 4 == 3
            option = (correct + 1) % len(poll.options) if wrong else correct
            fake.answer_poll(player, poll.id, [option])
            answered += 1
        await self.session.settle()
        self.session.transcript.write(f"   ({answered} simulated people answered; time is up)")
        bot = self.session.bot
        self.skew += quiz.open_period + GAP_SECONDS + 1
        for _step in range(2):  # the close, then the next question or the results
            await self.quiz.tick(bot, self.session.services.now().timestamp() + self.skew)

"""One quiz question to N participants through the fake Bot API with Telegram's limits on.

    .venv/bin/python benchmarks/quiz_fanout.py [1000] [--rate 25]

The participants are written straight into the database (joining is not what is measured);
then one `QuizService.tick` sends the first question: one sendPoll per participant, paced by
the delivery engine's limiter at BROADCAST_RATE. Telegram allows about 30 messages a second
per bot, so N polls need at least N / 30 s; the figure printed is the time until the last
participant has the poll and its ratio to that limit (1.00 = exactly Telegram's limit; the
bot keeps under it, at BROADCAST_RATE), the 429s the fake answered and any participant left
without a poll. Every poll's close is `open_period` after its own send, so a late one loses no
time to answer.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bot.quiz.content as quiz_content  # noqa: E402
from bot.app import build_bot, create_app  # noqa: E402
from bot.clock import system_clock  # noqa: E402
from bot.config import load_settings  # noqa: E402
from devtools.fake_telegram import FakeTelegram  # noqa: E402

TOKEN = "123456:BENCH-token_for-the-fake-server"
FIRST_ID = 2_000_000
TELEGRAM_RATE = 30.0  # messages per second per bot (Telegram's broadcast limit)


async def run(n: int, rate: float) -> dict[str, float]:
    async with FakeTelegram(token=TOKEN) as fake:
        with tempfile.TemporaryDirectory() as folder:
            settings = load_settings(
                _env_file=None,
                bot_token=TOKEN,
                database_path=Path(folder) / "bench.sqlite3",
                telegram_api_base=fake.base_url,
                broadcast_rate=rate,
            )
            services = await create_app(settings, clock=system_clock)
            bot = build_bot(settings)
            quiz = services.quiz
            chosen = next(iter(quiz.quizzes.values()))
            now = services.now().timestamp()
            code = await quiz.open_event(chosen, FIRST_ID - 1, "en", now)
            locales = ("tg", "ru", "en")
            async with services.db.transaction() as tx:
                await tx.executemany(
                    "INSERT INTO quiz_participants (code, user_id, locale, nickname, "
                    "nickname_key, joined_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [(code, FIRST_ID + i, locales[i % 3], f"P{i}", f"p{i}", now) for i in range(n)],
                )
            for i in range(n):
                await fake.send_text(FIRST_ID + i, "hi")  # each person has a chat with the bot
            assert await quiz.start(code, now)
            started = time.perf_counter()
            await quiz.tick(bot, services.now().timestamp())
            elapsed = time.perf_counter() - started
            polls = {p.chat_id for p in fake.polls.values()}
            missing = sum(1 for i in range(n) if FIRST_ID + i not in polls)
            await bot.session.close()
            await services.close()
            return {
                "participants": n,
                "seconds": elapsed,
                "limit_seconds": n / TELEGRAM_RATE,
                "ratio": (n / TELEGRAM_RATE) / elapsed,
                "too_many_requests": fake.stats.rate_limited,
                "missing": missing,
            }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=25.0, help="BROADCAST_RATE")
    args = parser.parse_args()
    assert quiz_content.QUIZZES_DIR.is_dir()
    result = asyncio.run(run(args.n, args.rate))
    print(
        f"quiz question to {result['participants']} participants: {result['seconds']:.1f} s; "
        f"Telegram's limit allows it in {result['limit_seconds']:.1f} s at best "
        f"(ratio {result['ratio']:.2f} of the limit's pace); "
        f"429s: {result['too_many_requests']}; without the poll: {result['missing']}"
    )


if __name__ == "__main__":
    main()

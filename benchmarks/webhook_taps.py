"""Button taps in webhook mode: the tap's answer in the webhook's HTTP response, against the
same bot answering it over HTTP as aiogram does by default.

Both bots are the product (`python -m bot`, webhook mode) in a child process; the baseline
differs only in `bot/runner.py`'s two webhook pieces, swapped for aiogram's defaults by
`benchmarks/webhook_plain.py` (SimpleRequestHandler, no AnswerInResponse middleware). This
process plays Telegram: the fake Bot API (flood limits off) answers the bot's calls, and every
update the fake's people produce is POSTed to the bot's webhook (at most `max_connections` at
once, as the bot's setWebhook asked, else Telegram's default 40); a Bot API call carried in a
webhook response is executed on the fake,
as Telegram does. A step ends when the fake receives the screen of the tap (the edit).

    python -m benchmarks.webhook_taps [--users 200 --taps 3000 --rate 150]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import tempfile
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.harness import (
    Driver,
    make_users,
    spawn,
    start_fake,
    stop,
    taps_script,
)
from benchmarks.throughput import prelude
from devtools.fake_telegram import FakeTelegram

SECRET = "bench-secret"
CONNECTIONS = 40  # Telegram's default max_connections for a webhook
OURS = ("-m", "bot")
PLAIN = ("-m", "benchmarks.webhook_plain")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WebhookTelegram:
    """Delivers the fake's updates to a webhook instead of getUpdates, like Telegram does."""

    def __init__(self, fake: FakeTelegram, url: str) -> None:
        self.fake, self.url = fake, url
        self.slots = asyncio.Semaphore(CONNECTIONS)  # until the bot's setWebhook says
        self.session = aiohttp.ClientSession()
        self.tasks: set[asyncio.Task[None]] = set()
        self.in_response = 0
        self.next_id = 1
        fake.send_update = self.send_update  # type: ignore[method-assign]

    def send_update(self, update: dict, *, token: str | None = None) -> int:
        update.setdefault("update_id", self.next_id)
        self.next_id = int(update["update_id"]) + 1
        task = asyncio.ensure_future(self._post(update))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return int(update["update_id"])

    async def _post(self, update: dict) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with self.slots, self.session.post(self.url, json=update, headers=headers) as resp:
            if not resp.content_type.startswith("multipart/"):
                return
            reader = aiohttp.MultipartReader.from_response(resp)
            fields: dict[str, str] = {}
            while (part := await reader.next()) is not None:
                fields[part.name] = await part.text()  # type: ignore[union-attr]
        method = fields.pop("method", "")
        if method:
            self.in_response += 1
            await getattr(self.fake, f"_m_{method}")(fields, {}, self.fake.token)

    async def ready(self) -> None:
        for _ in range(600):
            try:
                async with self.session.get(self.url.rsplit("/", 1)[0] + "/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        raise TimeoutError("the bot's webhook server did not come up")

    async def close(self) -> None:
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.session.close()


async def run(command: tuple[str, ...], args: argparse.Namespace) -> dict[str, Any]:
    fake = await start_fake()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        process = await spawn(
            fake,
            Path(tmp) / "bench.sqlite3",
            *command,
            WEBHOOK_URL="https://bench.example.org",
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        )
        telegram = WebhookTelegram(fake, f"http://127.0.0.1:{port}/telegram")
        try:
            await telegram.ready()
            await fake.wait_for(lambda: any(m == "setWebhook" for m, _ in fake.calls), 60)
            asked = next(p for m, p in fake.calls if m == "setWebhook").get("max_connections")
            telegram.slots = asyncio.Semaphore(int(asked or CONNECTIONS))
            driver = Driver(fake, screen_complete=True)
            users = make_users(args.users, 1, taps_script)
            paced_users = make_users(args.users, 5_000_000, taps_script)
            await prelude(driver, users + paced_users)
            await driver.closed_loop(users, 3)  # warm-up
            before = len(fake.calls)
            answered_before = telegram.in_response
            saturated = await driver.closed_loop(users, max(1, args.taps // args.users))
            calls = [m for m, _ in fake.calls[before:]]
            in_response = telegram.in_response - answered_before
            paced = await driver.paced(paced_users, args.rate, args.taps // 2)
        finally:
            await telegram.close()
            stderr = await stop(process)
            await fake.stop()
    taps = saturated.summary()["updates"]
    return {
        "saturated": saturated.summary(),
        "paced": paced.summary() | {"rate": args.rate},
        "http_calls_per_tap": len(calls) / max(1, taps),
        "answers_in_response_per_tap": in_response / max(1, taps),
        "child_error_lines": sum("ERROR" in line for line in stderr.splitlines()),
    }


def report(name: str, f: dict[str, Any]) -> None:
    s, p = f["saturated"], f["paced"]
    print(
        f"{name:<9} saturated: {s['updates']:>5} taps {s['updates_per_s']:7.1f}/s  "
        f"p50 {s['p50_ms']:6.1f} ms  p99 {s['p99_ms']:7.1f} ms  timeouts {s['timeouts']}  "
        f"HTTP calls to the Bot API per tap {f['http_calls_per_tap']:.2f} "
        f"(+{f['answers_in_response_per_tap']:.2f} in the response)"
    )
    print(
        f"{'':<9} paced {p['rate']:.0f}/s: p50 {p['p50_ms']:6.1f} ms  p99 {p['p99_ms']:7.1f} ms  "
        f"timeouts {p['timeouts']}  child ERROR lines {f['child_error_lines']}"
    )


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    plain = await run(PLAIN, args)
    report("plain", plain)
    ours = await run(OURS, args)
    report("ours", ours)
    gain = ours["saturated"]["updates_per_s"] / plain["saturated"]["updates_per_s"]
    p50 = ours["saturated"]["p50_ms"] / plain["saturated"]["p50_ms"]
    print(
        f"answer in the response: taps/s ×{gain:.2f} of the plain webhook, p50 ×{p50:.2f}; "
        f"Bot API requests per tap {plain['http_calls_per_tap']:.2f} → "
        f"{ours['http_calls_per_tap']:.2f}"
    )
    return {"plain": plain, "ours": ours, "gain_taps_per_s": gain}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--taps", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=150.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    figures = asyncio.run(main_async(args))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()

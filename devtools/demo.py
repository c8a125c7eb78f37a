"""`python -m bot demo`: chat with the real bot in the terminal, no token and no network.

The real dispatcher, handlers and database run against the in-process fake Bot API server. Type
text; press a button by typing its number; `/lang ru` switches language; `/photo`, `/voice`,
`/file PATH` send media; `/channels` shows what the bot posted to the demo channels; `/inline
QUERY` types `@bot QUERY` in another chat (inline mode is on in the demo); `/quiz_players N`,
`/quiz_join`, `/vote N`, `/quiz_next`, `/prize` play a quiz evening with simulated people
(devtools/demo_quiz.py); `/quit` ends. `--script FILE` replays lines and prints the transcript;
`--now` sets the bot's clock.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import bot.receptions.content as reception_content
from bot.app import build_bot, build_dispatcher, create_app
from bot.clock import running_from, system_clock
from bot.config import load_settings
from bot.logging_setup import setup_logging
from bot.telegram_html import HtmlError, parse_html
from devtools.demo_quiz import DemoQuiz
from devtools.demo_site import demo_site
from devtools.fake_telegram import BotEvent, FakeTelegram, RateLimits

DEMO_TOKEN = "100000:DEMO-token-for-the-local-fake"
DEMO_USER = 4242
DEMO_TIMEZONE = "Asia/Dushanbe"
STAFF_CHAT = -1001000000001
DEMO_CHANNELS = {"tg": -1001000000010, "ru": -1001000000011, "en": -1001000000012}
# A tiny valid PNG, so "/photo" works without a file at hand.
DEMO_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def demo_trustee_key(folder: Path) -> str:
    """A throwaway trustee key pair so anonymous reports work in the demo.

    The secret key is written next to the demo database (for trying the offline CLI:
    `python -m bot reports open … --key demo-trustee.key`), in the same NTSECRET-KEY-1… form as
    `keys generate` writes; a real deployment generates it on the staff's offline machine.
    Returns the REPORT_PUBLIC_KEYS line, `demo:ntpub1…`.
    """
    from bot.reports.cli import write_key_file
    from bot.reports.crypto import generate_keypair
    from bot.reports.keys import encode_public

    private, public = generate_keypair()
    key_file = folder / "demo-trustee.key"
    key_file.unlink(missing_ok=True)  # a demo key is new on every start, like the demo's reports
    write_key_file(key_file, "demo", private)
    return "demo:" + encode_public(public)


# --- anonymous reports in the demo (bot/reports) -------------------------------------------
REPORT_RECEIPT_RE = re.compile(r"\d{4} \d{4} \d{4} \d{4}")


# The real content/receptions.yaml holds only past receptions; the demo adds one example a few
# days after its clock (clearly marked: it is not a real reception), so the screen has one.
DEMO_RECEPTION = """\
receptions:
  - id: demo-example
    region: dushanbe
    date: {day}
    from: "10:00"
    to: "12:00"
    city: {{tg: "Душанбе", ru: "Душанбе", en: "Dushanbe"}}
    venue:
      tg: "Намунаи демо (қабули воқеӣ нест)"
      ru: "Демо-пример (не настоящий приём)"
      en: "Demo example (not a real reception)"
    address: {{tg: "Суроғаи намунавӣ", ru: "Пример адреса", en: "Example address"}}
    coordinates: {{lat: 38.5598, lon: 68.7870}}
    organisations: {{tg: "Ҳуқуқшиносони Эътилоф", ru: "Юристы Коалиции", en: "The Coalition's lawyers"}}
    topics: {{tg: "Ҳама масъалаҳои ҳуқуқи инсон", ru: "Все вопросы прав человека", en: "All human rights questions"}}
    languages: [tg, ru]
"""


def demo_receptions(folder: Path, today: date) -> Path:
    """The real receptions plus the demo's example, in the demo's folder."""
    path = folder / "receptions.yaml"
    real = reception_content.RECEPTIONS_FILE.read_text(encoding="utf-8")
    example = DEMO_RECEPTION.format(day=(today + timedelta(days=5)).isoformat())
    path.write_text(real.rstrip("\n") + "\n" + example.split("receptions:\n", 1)[1], "utf-8")
    return path


def demo_report_timings(services: Any) -> None:
    """REPORT_WIPE_SECONDS is 3 s in the demo instead of minutes, so a script shows the wipe."""
    if services.reports is not None:
        services.reports.deletes.delay_seconds = 3


def demo_last_receipt(fake: FakeTelegram, user_id: int) -> str:
    """`/receipt` in a script types back the last receipt code the bot sent (scripts cannot
    know a random code in advance); the messages may already be deleted from the chat."""
    for event in reversed(fake.events):
        text = str((event.params or {}).get("text") or "")
        if event.chat_id == user_id and (found := REPORT_RECEIPT_RE.search(text)):
            return found.group(0)
    return "0000 0000 0000 0000"


class Transcript:
    """Prints what the person would see: bot messages as plain text, buttons numbered.

    Posts to the demo channels are kept aside (today's campaign posts would otherwise print
    over the first screen) and shown with `/channels`; a line says when new ones arrived.
    """

    def __init__(self, out: TextIO, user_id: int) -> None:
        self.out = out
        self.user_id = user_id
        self.buttons: list[dict[str, Any]] = []
        self.button_message_id: int | None = None
        self.names = {STAFF_CHAT: "staff chat"} | {
            chat: f"channel {locale}" for locale, chat in DEMO_CHANNELS.items()
        }
        self.channel_lines: list[str] = []
        self.unread_channel_posts = 0

    def write(self, line: str = "") -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def note_channel_posts(self) -> None:
        """After each step: one line when the bot posted to the demo channels meanwhile."""
        if self.unread_channel_posts:
            count, self.unread_channel_posts = self.unread_channel_posts, 0
            self.write(f"   ({count} new post(s) in the demo channels: /channels shows them)")

    def show_channels(self) -> None:
        self.unread_channel_posts = 0
        if not self.channel_lines:
            self.write("   (the demo channels are empty)")
        for line in self.channel_lines:
            self.write(line)

    def on_event(self, event: BotEvent) -> None:
        if event.kind == "answer":
            text = event.params.get("text")
            if text:
                self.write(f"   » {text}")
            return
        if event.chat_id != self.user_id and event.chat_id not in self.names:
            return  # other people's chats (e.g. broadcasts to fake subscribers)
        who = "bot" if event.chat_id == self.user_id else self.names[event.chat_id]
        if event.kind == "delete":
            ids = event.params.get("message_ids") or [event.params.get("message_id")]
            if self.button_message_id in ids:  # its buttons are gone with it, as on a phone
                self.buttons, self.button_message_id = [], None
            self.write(f"{who}: (deleted {len(ids)} message(s))")
            return
        if event.kind not in ("send", "edit") or event.message is None:
            return
        message = event.message
        label = f"{who} (edited)" if event.kind == "edit" else who
        media = f"[{message.media}] " if message.media else ""
        if message.media == "venue":  # a map pin: what the phone shows under it
            venue = message.raw["venue"]
            pin = venue["location"]
            media += f"{venue['title']}, {venue['address']} ({pin['latitude']}, {pin['longitude']})"
        line = f"{label}> {media}{_plain(message.html or message.text or '')}"
        if message.media == "poll":  # a quiz question: its options, numbered for /vote
            options = message.raw["poll"]["options"]
            line += "\n" + "  ".join(f"   ({i}) {o['text']}" for i, o in enumerate(options, 1))
        if event.chat_id in DEMO_CHANNELS.values():
            self.channel_lines.append(line)
            self.unread_channel_posts += 1
            return
        self.write(line)
        if event.chat_id == self.user_id and message.reply_markup:
            self.buttons = message.buttons
            self.button_message_id = message.message_id
            labels = [_button_label(i, b) for i, b in enumerate(self.buttons, 1)]
            one_line = "   " + "  ".join(labels)
            # A long menu reads better one button per line, as on a phone.
            self.write(one_line if len(one_line) <= 100 else "\n".join("   " + x for x in labels))
        self.write()


def _plain(html: str) -> str:
    try:
        text, _entities = parse_html(html)
    except HtmlError:
        text = html
    return text.replace("\n", "\n     ")


def _button_label(number: int, button: dict[str, Any]) -> str:
    if "url" in button:
        return f"[{number}] {button['text']} → {button['url']}"
    if "copy_text" in button:
        return f"[{number}] {button['text']} (copies: {button['copy_text'].get('text', '')})"
    return f"[{number}] {button['text']}"


class DemoSession:
    """The fake server, the real bot and one person typing."""

    def __init__(self, args: argparse.Namespace, out: TextIO) -> None:
        self.args = args
        self.transcript = Transcript(out, args.user_id)
        self.fake = FakeTelegram(token=DEMO_TOKEN, rate_limits=RateLimits(enabled=False))
        # A run without --db leaves nothing behind: the folder (with the throwaway trustee key)
        # is removed at exit.
        self.tempdir = None if args.db else tempfile.TemporaryDirectory(prefix="demo-")
        self.workdir = Path(args.db).parent if args.db else Path(self.tempdir.name)
        self.bot: Any = None
        self.dp: Any = None
        self.services: Any = None
        self.task: asyncio.Task | None = None
        self.site = demo_site()
        self.quiz = DemoQuiz(self)

    async def start(self) -> None:
        await self.fake.start()
        for locale, chat in DEMO_CHANNELS.items():
            self.fake.add_channel(chat, username=f"notorture_demo_{locale}", title=f"Demo {locale}")
        self.fake.add_group(STAFF_CHAT, title="Legal Aid Group (demo)")
        await self.site.start()  # the demo's small website with a feed per language
        settings = load_settings(
            _env_file=None,
            bot_token=DEMO_TOKEN,
            telegram_api_base=self.fake.base_url,
            database_path=Path(self.args.db) if self.args.db else self.workdir / "demo.sqlite3",
            admin_ids=str(self.args.user_id) if self.args.admin else "",
            staff_chat_id=STAFF_CHAT,
            channels=",".join(f"{loc}:@notorture_demo_{loc}" for loc in DEMO_CHANNELS),
            report_public_keys=demo_trustee_key(self.workdir),
            default_locale="ru",
            timezone=DEMO_TIMEZONE,
            feed_urls=self.site.feed_urls(),
            inline_mode=True,
        )
        clock = running_from(self.args.now) if self.args.now else system_clock
        # The bot reads its receptions once, in create_app: from the demo's file, just then.
        real_receptions = reception_content.RECEPTIONS_FILE
        reception_content.RECEPTIONS_FILE = demo_receptions(self.workdir, clock().date())
        try:
            self.services = await create_app(settings, clock=clock)
        finally:
            reception_content.RECEPTIONS_FILE = real_receptions
        demo_report_timings(self.services)
        await self.services.articles.poll()  # the articles are there before the first message
        self.bot = build_bot(settings)
        self.dp = build_dispatcher(self.services)
        self.fake.on_event(self.transcript.on_event)
        self.task = asyncio.create_task(
            self.dp.start_polling(self.bot, handle_signals=False, polling_timeout=1)
        )
        await self.fake.wait_for(lambda: any(m == "getUpdates" for m, _ in self.fake.calls), 10)

    async def stop(self) -> None:
        if self.task is not None:
            with contextlib.suppress(RuntimeError):
                await self.dp.stop_polling()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        await self.fake.stop()
        await self.site.stop()
        if self.tempdir is not None:
            self.tempdir.cleanup()

    async def handle(self, line: str, *, echo: bool = True) -> bool:
        """One line the person typed; False to stop. `echo`: write it to the transcript (a
        script); at the terminal the person's own line is already on the screen."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if echo:
            self.transcript.write(f"you> {line}")
        user = self.args.user_id
        command, _, rest = line.partition(" ")
        if command in ("/quit", "/exit"):
            return False
        if command == "/channels":
            self.transcript.show_channels()
            return True
        if line.isdigit() and self._button(int(line)) is not None:
            await self._press(int(line))
        elif command == "/lang" and rest in ("tg", "ru", "en"):
            await self.services.users.get_or_create(user, self.services.now().date())
            await self.services.users.set_locale(user, rest)
            await self.fake.send_text(user, "/menu", language_code=self.args.language_code)
        elif command in ("/photo", "/voice", "/file"):
            await self._send_media(command, rest)
        elif command == "/receipt":  # `/receipt compact`: typed without spaces, as a number
            receipt = demo_last_receipt(self.fake, user)
            if rest == "compact":
                return await self.handle(receipt.replace(" ", ""))
            await self.fake.send_text(user, receipt, language_code=self.args.language_code)
        elif command == "/inline":
            await self._inline(rest)
            return True
        elif command == "/quiz_players":
            await self.quiz.add_players(int(rest or 5))
        elif command == "/quiz_join":
            await self.quiz.join()
        elif command == "/prize":
            await self.fake.send_text(user, self.quiz.prize_command(), language_code="en")
        elif command == "/vote":
            self.quiz.vote(rest)
        elif command == "/quiz_next":
            await self.quiz.next()
        elif command == "/wait":
            await asyncio.sleep(float(rest or 1))
        else:
            await self.fake.send_text(user, line, language_code=self.args.language_code)
        await self.settle()
        self.transcript.note_channel_posts()
        return True

    async def settle(self) -> None:
        """Wait until the bot has fetched and fully handled what the person did.

        Quiet on the wire is not enough: a handler may think for a while (a key derivation,
        a chart) before it answers, so the dispatcher's in-flight count is watched too.
        """
        tracker = self.dp["in_flight"]
        for _round in range(100):
            await self.fake.wait_idle(quiet=0.1, timeout=60)
            if tracker.count == 0:
                await self.fake.wait_idle(quiet=0.15, timeout=60)
                if tracker.count == 0:
                    return
            await tracker.drain(60)

    async def _inline(self, query: str) -> None:
        """`@bot query` typed in another chat: the results offered, and what the first sends."""
        await self.settle()
        query_id = self.fake.send_inline_query(
            self.args.user_id, query, language_code=self.args.language_code
        )
        answer = await self.fake.wait_for(lambda: self.fake.inline_answer(query_id), 10)
        results = answer["results"]
        self.transcript.write(f"inline> {len(results)} result(s) for @bot {query}")
        for number, result in enumerate(results, start=1):
            self.transcript.write(f"   [{number}] {result['title']}")
        if results:
            sent = self.fake.choose_inline_result(self.args.user_id, query_id, results[0]["id"])
            self.transcript.write(f"sent via @bot> {_plain(sent.html or '')}")
            for button in sent.buttons:
                self.transcript.write(f"   {_button_label(1, button)}")
        self.transcript.write()

    async def _send_media(self, command: str, path: str) -> None:
        """Media from a file, or a small built-in sample for /photo and /voice."""
        user = self.args.user_id
        try:
            data = await asyncio.to_thread(Path(path).read_bytes) if path else None
        except OSError:
            self.transcript.write(f"   (cannot read {path})")
            return
        if command == "/photo":
            await self.fake.send_photo(user, data or DEMO_PNG)
        elif command == "/voice":
            await self.fake.send_voice(user, data or b"OggS demo voice note")
        elif data is not None:
            await self.fake.send_document(user, data, file_name=Path(path).name)
        else:
            self.transcript.write("   (usage: /file PATH)")

    def _button(self, number: int) -> dict[str, Any] | None:
        """Button `number` of the latest message with buttons, if there is one; a line of
        digits without such a button is text (e.g. a receipt typed without spaces)."""
        buttons = self.transcript.buttons
        return buttons[number - 1] if 1 <= number <= len(buttons) else None

    async def _press(self, number: int) -> None:
        button = self._button(number)
        assert button is not None
        if "callback_data" not in button:
            self.transcript.write(f"   (a link: {button.get('url', '')})")
            return
        message_id = self.transcript.button_message_id
        assert message_id is not None
        try:
            await self.fake.press(self.args.user_id, message_id, button["callback_data"])
        except LookupError:  # the bot deleted that message meanwhile: on a phone it is gone
            self.transcript.buttons, self.transcript.button_message_id = [], None
            self.transcript.write(
                "   (that message is no longer in the chat; its buttons are gone)"
            )


async def run_demo(args: argparse.Namespace, lines: Iterable[str] | None, out: TextIO) -> int:
    started = time.perf_counter()
    session = DemoSession(args, out)
    await session.start()
    if args.timing:
        print(f"demo ready in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    try:
        if lines is not None:
            for line in lines:
                if not await session.handle(line):
                    break
        else:
            session.transcript.write(
                "Demo: type text, a number to press a button, /lang tg|ru|en, /photo, /voice,"
                " /channels, /inline QUERY, /quit."
            )
            await session.handle("/start", echo=False)
            while True:
                try:
                    line = await asyncio.to_thread(input, "you> ")
                except EOFError:
                    break
                if not await session.handle(line, echo=False):
                    break
    finally:
        await session.stop()
    return 0


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:  # a local time of the demo's TIMEZONE
        moment = moment.replace(tzinfo=ZoneInfo(DEMO_TIMEZONE))
    return moment


def command(args: argparse.Namespace) -> int:
    # The transcript is the demo's output; the bot's own log lines go to stderr, errors only.
    setup_logging(args.log_level)
    lines = None
    if args.script:
        lines = Path(args.script).read_text(encoding="utf-8").splitlines()
    return asyncio.run(run_demo(args, lines, sys.stdout))


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="chat with the bot in the terminal (no token)")
    parser.add_argument("--script", help="replay the lines of FILE and print the transcript")
    parser.add_argument("--admin", action="store_true", help="make the demo user an owner")
    parser.add_argument("--user-id", type=int, default=DEMO_USER)
    parser.add_argument("--language-code", default="en", help="Telegram app language of the user")
    parser.add_argument("--db", help="keep the demo database at this path")
    parser.add_argument("--timing", action="store_true", help="print start-up time to stderr")
    parser.add_argument(
        "--now",
        type=_moment,
        help="the bot's clock starts at this local time, e.g. 2026-12-10T12:00 (default: now)",
    )
    parser.add_argument("--log-level", default="ERROR", help="the bot's log level (stderr)")
    parser.set_defaults(func=command)

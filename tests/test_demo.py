"""`python -m bot demo --script`: the shop window works end to end, as a newcomer would run it."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from devtools.demo import DEMO_USER, DemoSession
from tests.conftest import QUIET_MOMENT
from tests.processes import run_captured

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "tests" / "demo_scripts"


def run_demo_script(name: str, *extra: str, now: str = QUIET_MOMENT.isoformat()) -> str:
    """Run a demo script in a fresh process, the bot's clock at `now`; return the transcript."""
    result = run_captured(
        [
            sys.executable,
            "-m",
            "bot",
            "demo",
            "--now",
            now,
            "--script",
            str(SCRIPTS / name),
            *extra,
        ],
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    return result.stdout


def test_foundation_demo_shows_picker_menu_and_hotlines_in_three_languages() -> None:
    transcript = run_demo_script("foundation.txt")
    assert "Забонро интихоб кунед · Выберите язык · Choose your language" in transcript
    for heading in ("🆘 Get help now", "🆘 Помощь сейчас", "🆘 Кӯмаки фаврӣ"):
        assert f"> {heading}" in transcript, heading
    assert transcript.count("98 708 76 76") >= 3
    assert "Civil Society Coalition against Torture and Impunity" in transcript
    assert "Ман ин фармонро намедонам" in transcript  # the unknown command, in Tajik


def test_admin_demo_runs_a_broadcast_to_a_channel() -> None:
    transcript = run_demo_script("admin.txt", "--admin")
    assert "Owners, admins and editors" in transcript
    assert "channel ru> News for all subscribers" in transcript
    assert "Broadcast 1 finished" in transcript


def test_demo_works_without_the_bot_api_spec_file(monkeypatch) -> None:
    """A newcomer may clone the project alone: the fake then skips method validation only."""
    monkeypatch.setenv("NOTORTURE_BOT_API_SPEC", "/nonexistent/bot-api-spec.json")
    transcript = run_demo_script("foundation.txt")
    assert transcript.count("98 708 76 76") >= 3


def test_buttons_of_deleted_messages_and_receipts_typed_as_one_number() -> None:
    transcript = run_demo_script("check_buttons.txt")
    assert transcript.count("bot> Your report") == 2  # the receipt typed without spaces works
    assert "Added and encrypted" in transcript


async def test_a_button_on_a_message_that_is_gone_is_answered_and_the_demo_goes_on() -> None:
    out = io.StringIO()
    args = argparse.Namespace(
        user_id=DEMO_USER, admin=False, db=None, language_code="en", now=QUIET_MOMENT
    )
    session = DemoSession(args, out)
    await session.start()
    workdir = session.workdir
    try:
        await session.handle("/start")
        picker = session.transcript.button_message_id
        assert picker is not None and (workdir / "demo-trustee.key").exists()
        # Gone without the bot saying so (older than 48 h, or deleted on another device).
        del session.fake._private(DEMO_USER).messages[picker]
        assert await session.handle("1")
        assert "no longer in the chat; its buttons are gone" in out.getvalue()
        assert await session.handle("1")  # no such button now: sent as text, and answered
        assert session.fake.bot_messages(DEMO_USER)[-1].message_id > picker
    finally:
        await session.stop()
    assert not workdir.exists()  # the temporary folder with the trustee key is removed


def test_articles_demo_reads_the_local_feed_in_three_languages() -> None:
    """The demo serves a small website with a feed per language: Articles lists and opens them."""
    transcript = run_demo_script("articles.txt")
    for heading in ("📰 Articles", "📰 Статьи", "📰 Мақолаҳо"):
        assert f"> {heading}" in transcript, heading
    assert "This is a sample article of the demo website." in transcript
    assert "Это пример статьи демонстрационного сайта." in transcript
    assert "Ин намунаи мақолаи сомонаи намоишӣ аст." in transcript
    assert "[1] 📰 Demo: sharing an article" in transcript  # a search hit after the guide


def test_trust_demo_shows_detained_verify_privacy_settings_and_inline() -> None:
    transcript = run_demo_script("trust.txt")
    assert "🚨 If you are being detained" in transcript
    assert "🚨 Если вас задерживают" in transcript
    assert "(copies: I have been detained at …" in transcript
    assert "The Coalition's bot is @notorture_test_bot" in transcript  # learnt from getMe
    assert "@notoscam" in transcript
    assert "🔒 Privacy policy" in transcript and "🔒 Сиёсати махфият" in transcript
    assert "⚙️ Settings" in transcript
    assert "✅ Это настоящий бот?" in transcript  # under About
    assert "inline> " in transcript and "sent via @bot> Что такое пытка?" in transcript
    assert "start=faq_torture_what" in transcript


def test_receptions_demo_shows_the_map_calendar_reminder_and_a_poster_link() -> None:
    transcript = run_demo_script("receptions.txt", "--admin")
    assert "Demo example (not a real reception)" in transcript
    assert "[venue] Demo example (not a real reception), Example address (38.5598, 68.787)" in (
        transcript
    )
    assert "[document] 📍 Dushanbe" in transcript and "📋 Copy the address" in transcript
    assert "I will remind you the day before at 9:00" in transcript
    assert "you> /start p_mehrgon\nbot> ⚖️ Free legal advice" in transcript
    assert "reminders: 1 waiting · 0 sent" in transcript
    assert "?start=p_mehrgon" in transcript and "[photo]" in transcript


def test_quiz_demo_plays_an_evening_with_simulated_people() -> None:
    transcript = run_demo_script("quiz.txt", "--admin")
    assert "Join link: https://t.me/" in transcript and "?start=quiz_" in transcript
    assert "(5 simulated people joined; 5 are in)" in transcript
    assert "You are in as Demo Player" in transcript
    assert "[poll] For how long may the police hold a suspect" in transcript
    assert "(2) 72 hours" in transcript
    assert "🏆 Results: Know your rights" in transcript and "🥇 " in transcript
    assert "Your place: 1 of 6" in transcript and "Your prize code" in transcript
    assert "A real prize code: place 1" in transcript and "checked before" in transcript

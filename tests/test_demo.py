"""`python -m bot demo --script`: the shop window works end to end, as a newcomer would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import QUIET_MOMENT

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "tests" / "demo_scripts"


def run_demo_script(name: str, *extra: str, now: str = QUIET_MOMENT.isoformat()) -> str:
    """Run a demo script in a fresh process, the bot's clock at `now`; return the transcript."""
    result = subprocess.run(
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
        capture_output=True,
        text=True,
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
    assert "Broadcast finished" in transcript


def test_demo_works_without_the_bot_api_spec_file(monkeypatch) -> None:
    """A newcomer may clone the project alone: the fake then skips method validation only."""
    monkeypatch.setenv("NOTORTURE_BOT_API_SPEC", "/nonexistent/bot-api-spec.json")
    transcript = run_demo_script("foundation.txt")
    assert transcript.count("98 708 76 76") >= 3

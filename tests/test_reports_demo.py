"""The anonymous-report demo script runs end to end, in English, Tajik and Russian."""

from __future__ import annotations

from tests.test_demo import run_demo_script


def test_reports_demo_reports_wipes_the_chat_checks_and_speaks_three_languages() -> None:
    transcript = run_demo_script("reports.txt", "--admin")
    assert "What is protected" in transcript and "What is not protected" in transcript
    assert "Please call the hotline now" in transcript  # danger → hotlines at once
    assert "Your receipt code" in transcript
    assert "bot: (deleted 13 message(s))" in transcript  # the phone forgets
    assert "Status: received, waiting to be read" in transcript
    assert "sealed reports" in transcript and "⚠️ danger now" in transcript
    assert "Чӣ ҳифз шудааст" in transcript and "Что не защищено" in transcript

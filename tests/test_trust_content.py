"""The trust pages' content check: the hotlines and the ready message keep the help page's
numbers, the message for a relative is plain and short, the detained page keeps its review mark."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.content_files import CONTENT_DIR, Problems
from bot.pages import load_pages


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR / "pages", target / "pages")
    return target


def _problems(content: Path) -> list[str]:
    problems = Problems()
    load_pages(content, problems)
    return [str(p) for p in problems.items]


def test_the_shipped_pages_pass() -> None:
    assert _problems(CONTENT_DIR) == []


def test_a_number_changed_in_one_place_only_is_reported(tmp_path: Path) -> None:
    content = _copy(tmp_path)
    page = content / "pages" / "ru.yaml"
    page.write_text(
        page.read_text().replace(
            "• Согдийская область: 98 787 33 33", "• Согдийская область: 98 787 33 34"
        )
    )
    found = _problems(content)
    assert any("ru.yaml" in p and "hotlines" in p and "98 787 33 34" in p for p in found), found


def test_the_message_for_a_relative_is_plain_and_short(tmp_path: Path) -> None:
    content = _copy(tmp_path)
    page = content / "pages" / "en.yaml"
    text = page.read_text()
    page.write_text(
        text.replace('relative: "I have been detained', 'relative: "<b>I</b> have been detained')
    )
    assert any("relative: plain text only" in p for p in _problems(content))
    page.write_text(
        text.replace('relative: "I have been detained', 'relative: "' + "x" * 250 + " I have")
    )
    assert any("relative:" in p and "at most 256" in p for p in _problems(content))


def test_the_detained_page_keeps_its_review_mark(tmp_path: Path) -> None:
    content = _copy(tmp_path)
    page = content / "pages" / "tg.yaml"
    page.write_text(page.read_text().replace("⚖️", ""))
    assert any("tg.yaml" in p and "detained: mark" in p for p in _problems(content))

"""The FAQ content check: the real guide passes; each kind of broken file is reported with file:line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot import LOCALES
from bot.content_check import CHECKERS, run_checks
from bot.content_files import CONTENT_DIR, ContentError, Problems
from bot.rights.content import REVIEW_AWAITING, load_faq
from bot.rights.lexicon import load_lexicon


def test_real_faq_passes_and_is_complete(capsys: pytest.CaptureFixture[str]) -> None:
    problems = Problems()
    faq = load_faq(problems=problems)
    load_lexicon(problems=problems)
    assert [str(p) for p in problems.items] == []
    assert len(faq.entries) >= 40 and len(faq.topics) >= 7
    for entry in faq.entries.values():
        assert set(entry.texts) == set(LOCALES), entry.id
        assert entry.source
    waiting = faq.awaiting_review()
    assert waiting and all(e.review == REVIEW_AWAITING for e in waiting)
    assert "bot.rights.content:check_faq" in CHECKERS
    assert not run_checks().items
    assert f"{len(waiting)} awaiting legal review" in capsys.readouterr().out


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT_DIR / "faq", tmp_path / "faq")
    return tmp_path


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in a file; return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:index].count("\n") + 1


def problems_of(content: Path) -> list[str]:
    problems = Problems()
    load_faq(content, problems)
    load_lexicon(content, problems)
    return [str(p) for p in problems.items]


def assert_reported(found: list[str], file: str, line: int, pattern: str) -> None:
    wanted = re.compile(rf"{re.escape(file)}:{line}: .*{pattern}")
    assert any(wanted.search(p) for p in found), (file, line, pattern, found)


def test_missing_language_file_and_missing_entry(content: Path) -> None:
    (content / "faq" / "tg" / "army.yaml").unlink()
    ru = content / "faq" / "ru" / "hiv.yaml"
    text = ru.read_text(encoding="utf-8")
    entries_line = text[: text.index("entries:")].count("\n") + 1
    ru.write_text(text.replace("hiv_art125:", "hiv_art125_old:"), encoding="utf-8")
    found = problems_of(content)
    assert_reported(found, "tg/army.yaml", 1, "no tg texts")
    assert_reported(found, "ru/hiv.yaml", entries_line, "'hiv_art125' missing in ru")
    assert any("unknown entry id 'hiv_art125_old'" in p for p in found)


def test_bad_html_points_to_the_line_inside_the_answer(content: Path) -> None:
    path = content / "faq" / "en" / "torture.yaml"
    line = edit(path, "<b>Torture</b> is", "<b>Torture is <p>")
    found = problems_of(content)
    assert_reported(found, "en/torture.yaml", line, "invalid Telegram HTML")


def test_broken_related_id_bad_review_missing_source(content: Path) -> None:
    path = content / "faq" / "topics" / "torture.yaml"
    related_line = edit(path, "related: [torture_vs_ill,", "related: [no_such_entry,")
    review_line = edit(path, "review: ok", "review: maybe")
    source_line = edit(path, "source: ", "source_old: ")
    found = problems_of(content)
    assert_reported(found, "topics/torture.yaml", related_line, "'no_such_entry' not found")
    assert_reported(found, "topics/torture.yaml", review_line, "review must be one of")
    assert_reported(found, "topics/torture.yaml", source_line, "unknown key 'source_old'")
    assert any("source (legal basis) missing" in p for p in found)


def test_duplicate_id_and_long_labels_and_callback_data(content: Path) -> None:
    topics = content / "faq" / "topics"
    dup_line = edit(topics / "army.yaml", "id: army_cat", "id: torture_what")
    long_id = "x" * 24
    question = content / "faq" / "en" / "army.yaml"
    q_line = edit(question, 'question: "', 'question: "' + "Very long question " * 4)
    found = problems_of(content)
    # Files are read in name order: the second occurrence is reported, naming the first.
    assert_reported(
        found, "topics/torture.yaml", 5, f"duplicate entry id 'torture_what' .*army.yaml:{dup_line}"
    )
    assert_reported(found, "en/army.yaml", q_line, "at most 60")
    bad_id_line = edit(topics / "hiv.yaml", "id: hiv_police", f"id: {long_id}_toolong")
    found = problems_of(content)
    assert_reported(found, "topics/hiv.yaml", bad_id_line, "up to 24 characters")


def test_long_answer_is_paged_not_reported(content: Path) -> None:
    path = content / "faq" / "en" / "hiv.yaml"
    paragraph = "      " + "A plain sentence about rights that goes on. " * 20 + "\n      \n"
    edit(path, "    answer: |\n", "    answer: |\n" + paragraph * 12)
    assert problems_of(content) == []
    faq = load_faq(content)
    pages = [len(e.texts["en"].pages) for e in faq.entries.values() if e.topic == "hiv"]
    assert max(pages) >= 3


def test_too_many_pages_and_broken_synonyms_are_reported(content: Path) -> None:
    path = content / "faq" / "en" / "hiv.yaml"
    paragraph = "      " + "A plain sentence about rights that goes on. " * 60 + "\n      \n"
    line = edit(path, "    answer: |\n", "    answer: |\n" + paragraph * 12)
    synonyms = content / "faq" / "synonyms" / "ru.yaml"
    syn_line = edit(synonyms, "  милиция: [", "  милиция: [два слова, ")
    found = problems_of(content)
    assert_reported(found, "en/hiv.yaml", line, "pages; at most 9")
    assert_reported(found, "synonyms/ru.yaml", syn_line, "must be one word")


def test_loading_without_collector_raises_with_every_problem(content: Path) -> None:
    (content / "faq" / "ru" / "army.yaml").unlink()
    (content / "faq" / "en" / "army.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_faq(content)
    assert len(caught.value.problems) == 2

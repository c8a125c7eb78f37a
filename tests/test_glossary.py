"""The glossary (content/glossary.yaml): its structure is checked with file:line, the real content
uses no banned variant, and a banned variant put back into any text is reported where it is."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.content_check import CHECKERS
from bot.content_files import CONTENT_DIR, ContentError, Problems
from bot.glossary import check_glossary, load_glossary, po_msgstr_texts, variant_pattern
from bot.i18n import LOCALES_DIR


def problems_of(content: Path, locales: Path = LOCALES_DIR) -> list[str]:
    problems = Problems()
    check_glossary(problems, content, locales)
    return [str(p) for p in problems.items]


def assert_reported(found: list[str], file: str, line: int, pattern: str) -> None:
    wanted = re.compile(rf"{re.escape(file)}:{line}: .*{pattern}")
    assert any(wanted.search(p) for p in found), (file, line, pattern, found)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    return tmp_path / "content"


def test_real_content_uses_only_glossary_terms() -> None:
    assert "bot.glossary:check_glossary" in CHECKERS
    problems = Problems()
    rules = check_glossary(problems)
    assert [str(p) for p in problems.items] == []
    terms = {(r.locale, r.term) for r in rules}
    for wanted in [
        ("tg", "кӯмак"),
        ("tg", "тавонбахшӣ"),
        ("tg", "авф"),
        ("tg", "ЮНЭЙДС"),
        ("tg", "муносибатҳои ғайриуставӣ"),
        ("tg", "ҷиноятӣ"),
        ("ru", "милиция"),
        ("en", "UN General Assembly"),
    ]:
        assert wanted in terms, wanted


def test_broken_glossary_is_reported_with_file_and_line(content: Path) -> None:
    (content / "glossary.yaml").write_text(
        "tg:\n"  # 1
        '  - term: "кӯмак"\n'  # 2
        '    banned: ["кумак"]\n'  # 3
        '  - term: ""\n'  # 4: empty term
        '    banned: ["x"]\n'  # 5
        '  - term: "мӯҳлат"\n'  # 6
        "    banned: []\n"  # 7: empty list
        '  - term: "сӯҳбат"\n'  # 8
        '    banned: ["Кумак"]\n'  # 9: banned twice (case-insensitive)
        '    colour: "red"\n'  # 10: unknown key
        '  - term: "тавонбахшӣ"\n'  # 11
        '    banned: ["тавонбахш*"]\n'  # 12: would ban the term itself
        "ru: not a list\n"  # 13
        "xx: []\n",  # 14: unknown language; en is missing
        encoding="utf-8",
    )
    found = problems_of(content)
    assert_reported(found, "glossary.yaml", 4, "term is missing or empty")
    assert_reported(found, "glossary.yaml", 7, "banned must be a non-empty list")
    assert_reported(found, "glossary.yaml", 9, "banned twice")
    assert_reported(found, "glossary.yaml", 10, "unknown key 'colour'")
    assert_reported(found, "glossary.yaml", 12, "would ban the chosen term")
    assert_reported(found, "glossary.yaml", 13, "a non-empty list of entries")
    assert_reported(found, "glossary.yaml", 14, "unknown language 'xx'")
    assert_reported(found, "glossary.yaml", 1, "language 'en' missing")


def test_glossary_syntax_error_and_missing_file(content: Path) -> None:
    path = content / "glossary.yaml"
    path.write_text('tg:\n  - term: "кӯмак"\n    banned: ["кумак"\n', encoding="utf-8")
    assert any(re.search(r"glossary\.yaml:\d+: YAML syntax", p) for p in problems_of(content))
    path.unlink()
    assert_reported(problems_of(content), "glossary.yaml", 1, "file missing")


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in a file; return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:index].count("\n") + 1


def test_reintroduced_banned_variants_are_reported(content: Path) -> None:
    faq = content / "faq" / "tg" / "torture.yaml"
    faq_line = edit(faq, "Шумо ҳақ доред шикоят кунед ва кӯмак гиред.", "Шумо кумак гиред.")
    post = content / "campaigns" / "udhr" / "ru.yaml"
    post_line = edit(post, "в отделе милиции", "в отделе ПОЛИЦИИ")
    found = problems_of(content)
    assert_reported(
        found, "faq/tg/torture.yaml", faq_line, "uses «кумак»; the glossary term is «кӯмак»"
    )
    assert_reported(
        found, "udhr/ru.yaml", post_line, "uses «ПОЛИЦИИ»; the glossary term is «милиция»"
    )
    assert len(found) == 2, found


def test_a_new_content_file_and_a_po_msgstr_are_scanned(content: Path, tmp_path: Path) -> None:
    (content / "campaigns" / "extra").mkdir()
    (content / "campaigns" / "extra" / "tg.yaml").write_text(
        'title: "Маърака"\nposts:\n  1: |\n    Салом.\n    Барои кумаки ҳуқуқӣ занг занед.\n',
        encoding="utf-8",
    )
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales)
    po = locales / "tg" / "LC_MESSAGES" / "reports.po"
    po_line = edit(
        po, 'msgstr "Муносибатҳои ғайриуставӣ дар артиш"', 'msgstr "Дедовщина дар артиш"'
    )
    found = problems_of(content, locales)
    assert_reported(found, "extra/tg.yaml", 5, "uses «кумаки»")
    assert_reported(found, "reports.po", po_line, "uses «Дедовщина»")


def test_keywords_comments_and_msgids_are_not_checked(content: Path, tmp_path: Path) -> None:
    faq = content / "faq" / "tg" / "army.yaml"
    text = faq.read_text(encoding="utf-8")
    assert "дедовщина" in text  # in the keywords: people type it
    faq.write_text("# кумак in a comment\n" + text, encoding="utf-8")
    po = tmp_path / "x.po"
    po.write_text(
        'msgid "кумак"\nmsgstr ""\n"кӯмак, "\n"кумаки"\n\nmsgid "b"\nmsgstr "c"\n', "utf-8"
    )
    assert po_msgstr_texts(po) == [(2, ""), (3, "кӯмак, "), (4, "кумаки"), (7, "c")]
    assert problems_of(content) == []


@pytest.mark.parametrize(
    ("variant", "text", "hit"),
    [
        ("кумак*", "Барои кумаки ҳуқуқӣ", "кумаки"),
        ("кумак*", "Барои кӯмаки ҳуқуқӣ", None),
        ("кумак", "бекумак", None),
        ("афв", "афв татбиқ нашавад", "афв"),
        ("афв", "афвнома", None),
        ("полиция", "Полиция может", "Полиция"),
        ("Маҷмаи Умумии", "Маҷмаи  умумии СММ", "Маҷмаи  умумии"),
        ("Need help?</b>", "<b>Need help?</b> Call", "Need help?</b>"),
        ("UNAIDS", "(UNAIDS)", "UNAIDS"),
    ],
)
def test_whole_word_cyrillic_matching(variant: str, text: str, hit: str | None) -> None:
    match = variant_pattern(variant).search(text)
    assert (match.group(0) if match else None) == hit


def test_load_glossary_without_collector_raises(content: Path) -> None:
    (content / "glossary.yaml").write_text("tg: []\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"glossary\.yaml"):
        load_glossary(content)

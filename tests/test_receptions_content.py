"""content/receptions.yaml checks: every problem names the file and the line."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.content_files import Problems
from bot.receptions.content import load_receptions

GOOD = """\
receptions:
  - id: a-1
    region: sughd
    date: 2027-06-06
    from: "10:00"
    to: "12:00"
    city: {tg: "Хуҷанд", ru: "Худжанд", en: "Khujand"}
    venue: {tg: "Толор", ru: "Зал", en: "Hall"}
    organisations: {tg: "Эътилоф", ru: "Коалиция", en: "The Coalition"}
    topics: {tg: "Манзил", ru: "Жильё", en: "Housing"}
    languages: [tg, ru]
"""


def _check(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "receptions.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    problems = Problems()
    load_receptions(path, problems)
    return [str(p) for p in problems.items]


def test_the_real_file_and_a_good_entry_pass(tmp_path: Path) -> None:
    problems = Problems()
    assert len(load_receptions(problems=problems)) >= 4
    assert problems.items == []
    assert _check(tmp_path, GOOD) == []


def test_each_problem_names_file_and_line(tmp_path: Path) -> None:
    bad = (
        GOOD.replace("2027-06-06", "2027-02-30")
        .replace("region: sughd", "region: mars")
        .replace('to: "12:00"', 'to: "09:00"')
        .replace('en: "Hall"', 'xx: "Hall"')
        .replace("    languages: [tg, ru]\n", "    coordinates: {lat: 95, lon: 69}\n")
    )
    found = _check(tmp_path, bad)
    text = "\n".join(found)
    assert "receptions.yaml:3: region: unknown 'mars'" in text
    assert "receptions.yaml:4: date: expected a real date" in text
    assert "receptions.yaml:6: to (09:00) must be after from" in text
    assert "receptions.yaml:8: venue: missing language en" in text
    assert "receptions.yaml:8: venue: unknown language 'xx'" in text
    assert "latitude 95 not in -90..90" in text and "receptions.yaml:11:" in text
    assert "languages: missing" in text


def test_unquoted_time_and_duplicate_id(tmp_path: Path) -> None:
    entry = GOOD.split("receptions:\n")[1]
    found = _check(tmp_path, "receptions:\n" + entry.replace('"10:00"', "10:00") + entry)
    text = "\n".join(found)
    assert "receptions.yaml:5: from: write the time in quotes" in text
    assert "receptions.yaml:12: id 'a-1' used twice" in text


def test_content_check_command_lists_them(tmp_path: Path, monkeypatch, capsys) -> None:
    import bot.receptions.content as content
    from bot.content_check import command

    path = tmp_path / "receptions.yaml"
    path.write_text(GOOD.replace("region: sughd", "region: nowhere"), encoding="utf-8")
    monkeypatch.setattr(content, "RECEPTIONS_FILE", path)
    assert command(None) == 1  # type: ignore[arg-type]
    assert "receptions.yaml:3: region: unknown 'nowhere'" in capsys.readouterr().out


def test_glossary_applies_to_each_language_of_the_file(tmp_path: Path) -> None:
    import shutil

    from bot.content_files import CONTENT_DIR
    from bot.glossary import check_glossary

    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    path = content / "receptions.yaml"
    text = path.read_text(encoding="utf-8")
    # A Tajik banned variant in the tg text is reported; the same word in ru is not Tajik.
    text = text.replace('tg: "Аъзои Эътилоф ва', 'tg: "адвокатҳои Эътилоф ва', 1)
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    check_glossary(problems, content)
    found = [str(p) for p in problems.items]
    assert (
        len(found) == 1 and "receptions.yaml:" in found[0] and "ҳуқуқшиносони Эътилоф" in found[0]
    )

"""Unit tests of bot.telegram_html: parsing like Telegram, UTF-16 lengths, splitting."""

from __future__ import annotations

import pytest

from bot.telegram_html import (
    HtmlError,
    escape,
    parse_html,
    split_html,
    utf16_len,
    visible_length,
)


def test_parse_basic_entities_in_utf16():
    text, ents = parse_html("😀 <b>Шиканҷа</b> &amp; <i>беҷазоӣ</i>")
    assert text == "😀 Шиканҷа & беҷазоӣ"
    assert [(e.type, e.offset, e.length) for e in ents] == [("bold", 3, 7), ("italic", 13, 7)]


def test_parse_links_pre_blockquote_spoiler():
    html = (
        '<a href="https://notorturetj.org">site</a> <pre><code class="language-python">x=1'
        '</code></pre><blockquote expandable>q</blockquote><span class="tg-spoiler">s</span>'
        "<tg-spoiler>t</tg-spoiler><strong>b</strong><em>i</em><ins>u</ins><del>d</del>"
    )
    text, ents = parse_html(html)
    assert text == "site x=1qstbiud"
    types = [e.type for e in ents]
    assert types == [
        "text_link",
        "pre",
        "expandable_blockquote",
        "spoiler",
        "spoiler",
        "bold",
        "italic",
        "underline",
        "strikethrough",
    ]
    assert ents[0].url == "https://notorturetj.org"
    assert ents[1].language == "python"


@pytest.mark.parametrize(
    ("html", "fragment"),
    [
        ("<br>", 'Unsupported start tag "br"'),
        ("<p>x</p>", 'Unsupported start tag "p"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("x</b>", "Unexpected end tag"),
        ("1 < 2", "Unsupported start tag"),
        ("&nbsp;", "Unsupported HTML entity"),
        ("&#xD800;", "Invalid HTML entity"),
        ("<span>x</span>", 'must have class "tg-spoiler"'),
    ],
)
def test_parse_errors_like_telegram(html, fragment):
    with pytest.raises(HtmlError, match=None) as info:
        parse_html(html)
    assert fragment in str(info.value)
    assert info.value.offset is not None


def test_escape_and_numeric_entities():
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert parse_html(escape("a < b & c"))[0] == "a < b & c"
    assert parse_html("&#1202;&#x4B3;")[0] == "Ҳҳ"
    assert parse_html("A & B")[0] == "A & B"  # bare ampersand is kept, as Telegram does


def test_visible_length_counts_utf16():
    assert visible_length("<b>ҳ</b>😀") == 3


@pytest.mark.parametrize(
    ("text", "units"),
    [("", 0), ("abc", 3), ("ҳуқуқ", 5), ("a😀b", 4), ("😀😀", 4), ("x\ud800y", 3)],
)
def test_utf16_len(text, units):
    assert utf16_len(text) == units  # a lone surrogate (from a decoded update) is one unit


@pytest.mark.parametrize(
    ("html", "offset"),
    [
        ("ҳуқуқ <x>", len("ҳуқуқ ".encode())),  # bytes, not characters, as Telegram counts
        ("<b>ҷ</i>", len("<b>ҷ".encode())),
        ("😀 x</b>", len("😀 x".encode())),
        ("ғ &bogus;", len("ғ ".encode())),
        ("<b>қ", 0),
    ],
)
def test_error_offsets_are_utf8_bytes(html, offset):
    with pytest.raises(HtmlError) as info:
        parse_html(html)
    assert info.value.offset == offset


def _check_chunks(html: str, limit: int) -> list[str]:
    chunks = split_html(html, limit)
    assert chunks
    for chunk in chunks:
        plain, _ = parse_html(chunk)  # every chunk is valid HTML
        assert plain.strip()
        assert visible_length(chunk) <= limit
    return chunks


def test_split_short_text_is_unchanged():
    assert split_html("<b>Салом</b>", 4096) == ["<b>Салом</b>"]
    assert split_html("   ", 10) == []


def test_split_prefers_paragraphs():
    para1 = "Ҳуқуқи инсон. " * 20
    para2 = "Шиканҷа манъ аст. " * 20
    html = f"{para1.strip()}\n\n{para2.strip()}"
    chunks = _check_chunks(html, 400)
    assert chunks == [para1.strip(), para2.strip()]


def test_split_keeps_text_and_reopens_nested_tags():
    body = "Дастгиркунӣ ва беҷазоӣ. " * 300
    html = f'<b>Сарлавҳа</b>\n<i>Матн <a href="https://notorturetj.org">{body}</a></i>'
    chunks = _check_chunks(html, 1000)
    assert len(chunks) > 5
    joined = "".join(parse_html(c)[0] for c in chunks).replace(" ", "").replace("\n", "")
    assert joined == parse_html(html)[0].replace(" ", "").replace("\n", "")
    for chunk in chunks[1:]:
        assert chunk.startswith('<i><a href="https://notorturetj.org">')
        ents = parse_html(chunk)[1]
        assert {e.type for e in ents} == {"italic", "text_link"}


def test_split_single_huge_word():
    word = "ҳ" * 10_000
    chunks = _check_chunks(f"<b>{word}</b>", 4096)
    assert [visible_length(c) for c in chunks] == [4096, 4096, 1808]
    assert all(c.startswith("<b>") and c.endswith("</b>") for c in chunks)


def test_split_counts_emoji_as_two_and_escapes():
    html = "&lt;😀&gt; " * 1000
    chunks = _check_chunks(html, 100)
    assert "".join(parse_html(c)[0] for c in chunks).count("😀") == 1000


def test_split_prefers_sentences_then_words():
    html = "Аввал. " + "калима " * 30
    chunks = _check_chunks(html, 50)
    assert all(not c.startswith(" ") and not c.endswith(" ") for c in chunks)
    assert all(len(w) == 6 for c in chunks[1:] for w in parse_html(c)[0].split())


def test_split_invalid_html_raises():
    with pytest.raises(HtmlError):
        split_html("<b>x" + "y" * 5000)

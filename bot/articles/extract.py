"""Pure, blocking work on the website's data: read a feed, extract an article's readable text,
clean it to Telegram's HTML subset, cut it into pages and a teaser.

Everything here is CPU work on bytes already fetched; the service runs it in a worker thread
with a timeout, never on the event loop. feedparser reads RSS and Atom (and broken feeds, as far
as they can be read); trafilatura finds the article's text among menus, footers and scripts.

trafilatura and lxml are imported where they are used: only the worker process loads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bot.telegram_html import HtmlError, escape, parse_html, split_html, utf16_len

PAGE_LIMIT = 3600  # visible characters of article text per page (title and page line on top)
TEASER_LIMIT = 400  # whole sentences up to this many characters
TITLE_LIMIT = 200
MAX_IMAGES = 10
MAX_ITEMS_PER_FEED = 100  # a feed lists 10-50; more is a site listing its archive

_INLINE = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "s": "s",
    "del": "s",
    "strike": "s",
    "code": "code",
}
_BLOCKS = {
    "p", "div", "section", "article", "main", "body", "html", "header", "figure", "figcaption",
    "table", "tr", "ul", "ol", "dl", "dd", "dt", "form", "aside", "address",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_DROP = {"script", "style", "noscript", "iframe", "object", "embed", "svg", "head", "template"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_MANY_BREAKS = re.compile(r"\n{3,}")
_SENTENCE = re.compile(r".+?(?:[.!?…]+[\"'»)\]]*(?=\s)|$)", re.S)


@dataclass(frozen=True)
class FeedItem:
    guid: str
    url: str
    title: str
    summary_html: str  # the feed's summary or content, as the feed gave it
    published: str | None  # ISO time, if the feed gave one


@dataclass(frozen=True)
class Feed:
    items: list[FeedItem]
    broken: bool  # feedparser could not read it as a feed (no items found and an error)


@dataclass
class Article:
    """An article ready to store: Telegram HTML pages, image URLs, a teaser, text to search."""

    title: str
    pages: list[str]
    images: list[str] = field(default_factory=list)
    teaser: str = ""
    search_text: str = ""


def parse_feed(data: bytes) -> Feed:
    """The items of an RSS or Atom feed (the newest first, as feeds list them)."""
    import feedparser  # loaded at the first poll: a bot without FEED_URLS never needs it

    parsed = feedparser.parse(data)
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries[:MAX_ITEMS_PER_FEED]:
        link = str(entry.get("link") or "").strip()
        guid = str(entry.get("id") or entry.get("guid") or link).strip()
        if not guid or guid in seen or not link.lower().startswith(("http://", "https://")):
            continue  # a GUID listed twice: the first (the top, newest) listing counts
        seen.add(guid)
        content = entry.get("content") or []
        summary = content[0].get("value", "") if content else entry.get("summary", "")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = (
            "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}+00:00".format(*stamp[:6]) if stamp else None
        )
        title = _clean_text(str(entry.get("title") or ""))[:TITLE_LIMIT] or link
        items.append(FeedItem(guid[:500], link, title, str(summary), published))
    broken = not items and bool(parsed.get("bozo"))
    return Feed(items, broken)


def extract_article(page: bytes | None, item: FeedItem) -> Article:
    """The readable text of the page (or of the feed's summary when there is no page or no text
    in it), as Telegram HTML pages."""
    body_html = None
    if page:
        import trafilatura  # only in the worker process: 12 MB and start-up time the bot saves

        body_html = trafilatura.extract(
            page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page,
            url=item.url,
            output_format="html",
            include_images=True,
            include_links=True,
            include_formatting=True,
            include_tables=False,
            favor_recall=True,
        )
    text, images = to_telegram_html(body_html or item.summary_html or "", item.url)
    if not text.strip():
        text = escape(item.title)
    title = item.title
    text = _drop_leading_title(text, title)
    pages = make_pages(title, text)
    plain = parse_html(text)[0]
    return Article(
        title=title,
        pages=pages,
        images=images[:MAX_IMAGES],
        teaser=teaser(plain),
        search_text=f"{title}\n{plain}",
    )


def to_telegram_html(fragment: str, base_url: str) -> tuple[str, list[str]]:
    """Any HTML → Telegram's subset (b, i, u, s, code, a, blockquote; paragraphs as blank lines;
    headings bold; list items with a bullet) and the absolute URLs of its images. Unknown tags
    keep only their text; scripts and styles are dropped with their content."""
    import lxml.html
    from lxml import etree

    if not fragment.strip():
        return "", []
    try:
        root = lxml.html.fromstring(fragment)
    except (etree.ParserError, ValueError):
        return escape(_clean_text(fragment)), []
    out: list[str] = []
    images: list[str] = []
    _walk(root, out, images, base_url, inline_open=0)
    text = "".join(out)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = _MANY_BREAKS.sub("\n\n", text).strip()
    try:
        parse_html(text)
    except HtmlError:  # never expected; plain text is always valid
        text = escape(_clean_text(root.text_content()))
    return text, list(dict.fromkeys(images))


def _walk(el, out: list[str], images: list[str], base: str, inline_open: int) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if not tag or tag in _DROP:  # comments, processing instructions, scripts
        if el.tail:
            out.append(_text(el.tail))
        return
    if tag == "img":
        src = el.get("src") or el.get("data-src") or ""
        absolute = urljoin(base, src.strip())
        if absolute.lower().startswith(("http://", "https://")):
            images.append(absolute)
        if el.tail:
            out.append(_text(el.tail))
        return
    if tag == "br":
        out.append("\n")
        if el.tail:
            out.append(_text(el.tail))
        return
    opened = closing = ""
    block = tag in _BLOCKS or tag in _HEADINGS or tag in {"li", "blockquote", "pre"}
    if inline_open == 0:  # formatting only at the top level: Telegram rejects some nestings
        if tag in _INLINE:
            opened, closing = f"<{_INLINE[tag]}>", f"</{_INLINE[tag]}>"
        elif tag in _HEADINGS:
            opened, closing = "<b>", "</b>"
        elif tag == "blockquote":
            opened, closing = "<blockquote>", "</blockquote>"
        elif tag == "a":
            href = urljoin(base, (el.get("href") or "").strip())
            if href.lower().startswith(("http://", "https://")) and '"' not in href:
                opened, closing = f'<a href="{escape(href)}">', "</a>"
    if block:
        out.append("\n\n" if tag != "li" else "\n")
    if tag == "li":
        out.append("• ")
    mark = len(out)
    out.append(opened)
    if el.text:
        out.append(_text(el.text))
    for child in el:
        _walk(child, out, images, base, inline_open + (1 if opened else 0))
    if opened and not "".join(out[mark + 1 :]).strip():
        del out[mark:]  # an empty <b></b> shows nothing and may confuse a split
    else:
        out.append(closing)
    if block:
        out.append("\n\n" if tag != "li" else "\n")
    if el.tail:
        out.append(_text(el.tail))


def _text(text: str) -> str:
    """A text node: in HTML a line break in the source is just a space."""
    return escape(text.replace("\r", " ").replace("\n", " "))


def _clean_text(text: str) -> str:
    text = re.sub(r"<[^>]*>", " ", text)
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def _drop_leading_title(text: str, title: str) -> str:
    """The page's own heading repeats the title shown above every page: drop it once."""
    first, sep, rest = text.partition("\n\n")
    if sep and re.sub(r"<[^>]+>", "", first).strip() == escape(title).strip():
        return rest
    return text


def make_pages(title: str, text: str) -> list[str]:
    """The article text cut into pages of at most PAGE_LIMIT visible characters, at paragraph or
    sentence ends where there are any, never inside a tag (split_html closes and reopens)."""
    return split_html(text, PAGE_LIMIT) or [escape(title)]


def teaser(plain: str, limit: int = TEASER_LIMIT) -> str:
    """Whole sentences from the start of the text, at most `limit` characters; an empty string
    when even the first sentence is longer (then the announcement shows the title only)."""
    paragraph = next((p.strip() for p in plain.split("\n") if len(p.strip()) > 40), "")
    picked = ""
    for match in _SENTENCE.finditer(paragraph):
        sentence = match.group(0).strip()
        if not sentence:
            continue
        if not sentence.endswith((".", "!", "?", "…", "»", '"', ")")):
            break  # the paragraph ends without a sentence end: not a whole sentence
        candidate = f"{picked} {sentence}".strip()
        if utf16_len(candidate) > limit:
            break
        picked = candidate
    return picked


def host_of(url: str) -> str:
    return urlsplit(url).hostname or ""

"""All SQL of the article library (migration 0011): articles, the feeds read once, and the
announcement ledger that makes every announcement happen at most once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.articles.extract import Article, FeedItem
from bot.db import Database

PENDING, READY = "pending", "ready"
CLAIMED, ENQUEUED = "claimed", "enqueued"


@dataclass(frozen=True)
class StoredArticle:
    id: int
    locale: str
    url: str
    title: str
    pages: list[str]
    images: list[str]
    teaser: str
    search_text: str
    status: str
    attempts: int
    announce: bool
    summary: str


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _article(row) -> StoredArticle:
    return StoredArticle(
        id=int(row["id"]),
        locale=row["locale"],
        url=row["url"],
        title=row["title"],
        pages=json.loads(row["pages"]),
        images=json.loads(row["images"]),
        teaser=row["teaser"],
        search_text=row["search_text"],
        status=row["status"],
        attempts=int(row["attempts"]),
        announce=bool(row["announce"]),
        summary=row["summary"],
    )


class ArticleStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def first_read(self, locale: str, now: datetime) -> bool:
        """True the very first time a feed of this language is read on this database."""
        changed = await self.db.execute(
            "INSERT OR IGNORE INTO article_feeds (locale, first_read) VALUES (?, ?)",
            (locale, _iso(now)),
        )
        return changed > 0

    async def add_new(
        self, locale: str, items: list[FeedItem], *, announce: bool, now: datetime
    ) -> int:
        """Store the items not seen before as `pending` (a repeat of a GUID is ignored);
        returns how many were new."""
        added = 0
        async with self.db.transaction() as tx:
            for item in items:
                added += await tx.execute(
                    "INSERT OR IGNORE INTO articles (locale, guid, url, title, summary, status, "
                    "announce, published_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        locale,
                        item.guid,
                        item.url,
                        item.title,
                        item.summary_html,
                        PENDING,
                        int(announce),
                        item.published,
                        _iso(now),
                    ),
                )
        return added

    async def pending(self, limit: int = 20) -> list[StoredArticle]:
        rows = await self.db.fetchall(
            "SELECT * FROM articles WHERE status = ? ORDER BY id LIMIT ?", (PENDING, limit)
        )
        return [_article(row) for row in rows]

    async def save(self, article_id: int, article: Article) -> None:
        await self.db.execute(
            "UPDATE articles SET pages = ?, images = ?, teaser = ?, search_text = ?, status = ? "
            "WHERE id = ?",
            (
                json.dumps(article.pages, ensure_ascii=False),
                json.dumps(article.images),
                article.teaser,
                article.search_text,
                READY,
                article_id,
            ),
        )

    async def failed(self, article_id: int) -> int:
        """One more failed fetch of the page; returns the count."""
        await self.db.execute(
            "UPDATE articles SET attempts = attempts + 1 WHERE id = ?", (article_id,)
        )
        row = await self.db.fetchone("SELECT attempts FROM articles WHERE id = ?", (article_id,))
        return int(row[0]) if row else 0

    async def get(self, article_id: int) -> StoredArticle | None:
        row = await self.db.fetchone(
            "SELECT * FROM articles WHERE id = ? AND status = ?", (article_id, READY)
        )
        return _article(row) if row else None

    async def latest(self, locale: str, offset: int, limit: int) -> tuple[list[StoredArticle], int]:
        """Ready articles of one language, newest first, and how many there are."""
        rows = await self.db.fetchall(
            "SELECT * FROM articles WHERE locale = ? AND status = ? ORDER BY "
            "COALESCE(published_at, seen_at) DESC, id DESC LIMIT ? OFFSET ?",
            (locale, READY, limit, offset),
        )
        total = await self.db.fetchone(
            "SELECT COUNT(*) FROM articles WHERE locale = ? AND status = ?", (locale, READY)
        )
        return [_article(row) for row in rows], int(total[0]) if total else 0

    async def all_ready(self) -> list[tuple[int, str, str]]:
        """(id, locale, search text) of every ready article, for the search index."""
        rows = await self.db.fetchall(
            "SELECT id, locale, search_text FROM articles WHERE status = ?", (READY,)
        )
        return [(int(r[0]), r[1], r[2]) for r in rows]

    async def count(self, status: str | None = None) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM articles WHERE (? IS NULL OR status = ?)", (status, status)
        )
        return int(row[0]) if row else 0

    # --- the announcement ledger ---------------------------------------------------------------

    async def to_announce(self, locales: set[str]) -> list[StoredArticle]:
        """Ready articles of these languages (those with a channel) meant to be announced whose
        announcement is not enqueued yet."""
        if not locales:
            return []
        marks = ",".join("?" * len(locales))
        rows = await self.db.fetchall(
            "SELECT a.* FROM articles a WHERE a.status = ? AND a.announce = 1 "
            f"AND a.locale IN ({marks}) AND NOT EXISTS (SELECT 1 FROM article_announcements n "
            "WHERE n.article_id = a.id AND n.status = ?) ORDER BY a.id",
            (READY, *sorted(locales), ENQUEUED),
        )
        return [_article(row) for row in rows]

    async def claim(self, article_id: int, target: str, now: datetime) -> str:
        """The ledger row (created `claimed` if new); returns its status."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT OR IGNORE INTO article_announcements (article_id, target, status, "
                "updated_at) VALUES (?, ?, ?, ?)",
                (article_id, target, CLAIMED, _iso(now)),
            )
            row = await tx.fetchone(
                "SELECT status FROM article_announcements WHERE article_id = ? AND target = ?",
                (article_id, target),
            )
        return str(row[0]) if row else CLAIMED

    async def mark_enqueued(
        self, article_id: int, target: str, delivery_id: int, now: datetime
    ) -> None:
        await self.db.execute(
            "UPDATE article_announcements SET status = ?, delivery_id = ?, updated_at = ? "
            "WHERE article_id = ? AND target = ?",
            (ENQUEUED, str(delivery_id), _iso(now), article_id, target),
        )

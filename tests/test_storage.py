"""Storage: migrations from an empty database and from every earlier version; users table shape."""

from __future__ import annotations

from datetime import date

from bot.db import LATEST_VERSION, Database, migration_files
from bot.db.users import UserRepo


async def schema(db: Database) -> list[tuple]:
    rows = await db.fetchall(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [tuple(r) for r in rows]


async def test_fresh_database_reaches_latest_version(tmp_path) -> None:
    db = await Database(tmp_path / "a.sqlite3").open()
    assert await db.version() == LATEST_VERSION == migration_files()[-1][0]
    mode = await db.fetchone("PRAGMA journal_mode")
    fk = await db.fetchone("PRAGMA foreign_keys")
    assert mode[0] == "wal" and fk[0] == 1
    await db.close()


async def test_every_earlier_version_migrates_to_the_same_schema(tmp_path) -> None:
    fresh = await Database(tmp_path / "fresh.sqlite3").open()
    expected = await schema(fresh)
    await fresh.close()
    for start in [0] + [number for number, _path in migration_files()[:-1]]:
        path = tmp_path / f"v{start}.sqlite3"
        old = await Database(path).open(migrate_to=start)
        assert await old.version() == start
        await old.close()
        upgraded = await Database(path).open()
        assert await upgraded.version() == LATEST_VERSION
        assert await schema(upgraded) == expected
        await upgraded.close()


async def test_users_table_holds_no_identity_beyond_the_id(tmp_path) -> None:
    db = await Database(tmp_path / "u.sqlite3").open()
    columns = {row[1] for row in await db.fetchall("PRAGMA table_info(users)")}
    # `region`: one of five regions, chosen by the person for the legal receptions (0009).
    assert columns == {"user_id", "locale", "subscribed", "blocked", "first_seen", "region"}
    await db.close()


async def test_user_repo_round_trip_and_streaming(tmp_path) -> None:
    db = await Database(tmp_path / "r.sqlite3").open()
    users = UserRepo(db)
    for uid in range(1, 2501):
        await users.get_or_create(uid, date(2026, 11, 24))
        if uid % 2:
            await users.set_subscribed(uid, True)
    await users.set_locale(3, "tg")
    await users.set_blocked(5, True)
    streamed = [u.user_id async for u in users.iter_recipients(batch=100)]
    assert len(streamed) == 1249 and 5 not in streamed and streamed == sorted(streamed)
    assert [u.user_id async for u in users.iter_recipients(locale="tg")] == [3]
    counts = await users.counts()
    assert counts["users"] == 2500 and counts["blocked"] == 1 and counts["tg"] == 1
    # A blocked user who writes again is active again.
    assert not (await users.get_or_create(5, date(2026, 11, 25))).blocked
    await db.close()


async def test_reports_of_an_older_database_move_to_their_own_file_with_their_salts(
    tmp_path,
) -> None:
    from bot.reports.receipt import LEGACY_SALTS
    from bot.reports.storage import deployment_salts, open_main_db, open_reports_db, reports_path

    path = tmp_path / "bot.sqlite3"
    old = await Database(path).open(migrate_to=5)  # reports lived here until version 5
    async with old.transaction() as tx:
        await tx.execute(
            "INSERT INTO reports (report_id, ref, lookup, reporter_key, week, active_week)"
            " VALUES (?, 'R-ABC234', ?, ?, '2026-11-23', '2026-11-23')",
            (b"r" * 16, b"l" * 32, b"k" * 32),
        )
        await tx.execute(
            "INSERT INTO report_entries (entry_id, report_id, seq, kind, week, sealed_keys, body)"
            " VALUES (?, ?, 0, 'answers', '2026-11-23', '{}', ?)",
            (b"e" * 16, b"r" * 16, b"SEALED-BODY"),
        )
    await old.close()

    main = await open_main_db(path)
    tables = {r[0] for r in await main.fetchall("SELECT name FROM sqlite_master")}
    assert not {"reports", "report_entries"} & tables and await main.version() == LATEST_VERSION
    await main.close()
    assert b"SEALED-BODY" not in path.read_bytes()  # secure_delete zeroed the old pages
    reports = await open_reports_db(reports_path(path))
    assert [tuple(r) for r in await reports.fetchall("SELECT ref FROM reports")] == [("R-ABC234",)]
    assert (await reports.fetchone("SELECT body FROM report_entries"))[0] == b"SEALED-BODY"
    # The receipts their authors hold were made with the old constant salts: kept for them.
    assert await deployment_salts(reports) == LEGACY_SALTS
    assert (await reports.fetchone("PRAGMA journal_mode"))[0] == "delete"
    assert (await reports.fetchone("PRAGMA synchronous"))[0] == 2  # FULL
    await reports.close()


async def test_a_new_deployment_draws_its_own_receipt_salts_and_keeps_them(tmp_path) -> None:
    from bot.reports.receipt import LEGACY_SALTS
    from bot.reports.storage import deployment_salts, open_reports_db

    first = await open_reports_db(tmp_path / "a" / "reports.sqlite3")
    other = await open_reports_db(tmp_path / "b" / "reports.sqlite3")
    salts = await deployment_salts(first)
    assert salts != LEGACY_SALTS and salts != await deployment_salts(other)
    assert await deployment_salts(first) == salts  # kept across starts
    await first.close()
    await other.close()


async def test_broadcasts_made_before_version_7_get_numbers_of_their_own(tmp_path) -> None:
    path = tmp_path / "b.sqlite3"
    old = await Database(path).open(migrate_to=6)
    async with old.transaction() as tx:
        for delivery_id, kind, state in [
            (1, "campaign", "done"),
            (2, "broadcast", "done"),
            (3, "campaign", "sending"),
            (4, "broadcast", "scheduled"),
        ]:
            await tx.execute(
                "INSERT INTO deliveries (id, kind, dedupe_key, versions, audience, created_by,"
                " created_at, state) VALUES (?, ?, ?, '{}', '{}', 777, '2026-11-01', ?)",
                (delivery_id, kind, f"k{delivery_id}", state),
            )
    await old.close()
    db = await Database(path).open()
    rows = await db.fetchall(
        "SELECT number, delivery_id, chat_id, message_id, summary_sent FROM broadcasts"
    )
    # Numbered among broadcasts only; the unfinished one still gets its summary.
    assert [tuple(r) for r in rows] == [(1, 2, 777, None, 1), (2, 4, 777, None, 0)]
    await db.close()

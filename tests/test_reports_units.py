"""Pure logic of the sealed reports: padding, sealing, receipts, lockout, purge, keys, config."""

from __future__ import annotations

import base64
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.reports import crypto
from bot.reports.cli import read_key_file
from bot.reports.crypto import Payload, SealError
from bot.reports.limits import ReceiptLimiter, UserKeys
from bot.reports.receipt import (
    CHEAP_KDF,
    TEST_SALTS,
    derive,
    format_receipt,
    new_receipt,
    normalise,
)
from bot.reports.service import ReportService
from bot.reports.session import DeleteQueue, Draft
from bot.reports.storage import deployment_salts, open_reports_db
from bot.reports.store import ReportStore, purge_date, week_of
from tests.conftest import make_settings
from tests.reports_helpers import new_trustee


def test_padding_hides_lengths_in_buckets() -> None:
    assert len(crypto.pad(b"a")) == len(crypto.pad(b"a" * 200)) == 256
    assert len(crypto.pad(b"a" * 300)) == 512
    assert len(crypto.pad(b"a" * 40_000)) == 64 * 1024
    mib = 1024 * 1024
    photo = len(crypto.pad(b"a" * mib))
    assert mib < photo <= mib * 1.12  # Padmé for files: little overhead
    assert len(crypto.pad(b"a" * (mib + 1000))) == photo  # nearby sizes share a bucket
    for size in (0, 1, 251, 252, 5000, 70_000, 3 * mib + 7):
        assert crypto.unpad(crypto.pad(b"x" * size)) == b"x" * size


def test_sealed_key_opens_only_with_a_recipient_private_key() -> None:
    trustee, other = new_trustee("t1"), new_trustee("t2")
    config = Settings(_env_file=None, bot_token="1:a", report_public_keys=trustee.config_line)
    key = crypto.new_key()
    sealed = crypto.seal_key(key, config.report_public_keys)
    assert crypto.open_key(sealed, "t1", trustee.private) == key
    with pytest.raises(SealError):
        crypto.open_key(sealed, "t1", other.private)
    with pytest.raises(SealError):
        crypto.open_key(sealed, crypto.REPORTER, trustee.private)
    blob = crypto.encrypt(key, Payload({"type": "text", "text": "ы"}, b"\x00data").encode())
    assert Payload.decode(crypto.decrypt(key, blob)) == Payload(
        {"type": "text", "text": "ы"}, b"\x00data"
    )
    with pytest.raises(SealError):
        crypto.decrypt(crypto.new_key(), blob)


def test_receipts_are_16_digits_and_typing_is_forgiving() -> None:
    digits = new_receipt()
    assert len(digits) == 16 and digits.isdigit()
    shown = format_receipt("1234567890123456")
    assert shown == "1234 5678 9012 3456"
    assert normalise(" 1234-5678 9012 3456 ") == "1234567890123456"
    assert normalise("1234 5678") is None and normalise("abcd") is None


async def test_two_derivations_differ_and_are_stable() -> None:
    first = await derive("1234567890123456", CHEAP_KDF, TEST_SALTS)
    again = await derive("1234567890123456", CHEAP_KDF, TEST_SALTS)
    other = await derive("1234567890123457", CHEAP_KDF, TEST_SALTS)
    assert first == again and first.lookup != other.lookup
    assert first.lookup != first.reporter_private  # different salts, independent outputs
    assert len(first.reporter_public) == 32


def test_wrong_receipts_lock_out_with_growing_delays_on_a_frozen_clock() -> None:
    now = [datetime(2026, 6, 1, 12, 0)]
    limiter = ReceiptLimiter(UserKeys(), lambda: now[0])
    user = 42
    for _attempt in range(3):
        assert limiter.wait_seconds(user) == 0
        limiter.failed(user)
    assert limiter.wait_seconds(user) == 30  # the clock is frozen: the delay does not run out
    assert limiter.wait_seconds(43) == 0  # another person is not affected
    now[0] += timedelta(seconds=31)
    assert limiter.wait_seconds(user) == 0
    limiter.failed(user)
    assert limiter.wait_seconds(user) == 60  # it grows
    limiter.failed(user)
    assert limiter.wait_seconds(user) == 120
    now[0] += timedelta(hours=25)  # forgotten after a day
    assert limiter.wait_seconds(user) == 0
    # The key is an HMAC of the id with a per-process pepper, not the id itself.
    assert all(b"42" not in key for key in limiter._failures)


def test_config_accepts_public_keys_only(tmp_path: Path) -> None:
    from bot.reports.cli import write_key_file

    trustee = new_trustee("coalition1")
    key_file = tmp_path / "k.private-key"
    write_key_file(key_file, trustee.key_id, trustee.private)
    assert read_key_file(key_file).private == trustee.private
    # The private key file (or its line) given as configuration is refused.
    for wrong in (
        key_file.read_text(),
        f"coalition1:private:{base64.b64encode(trustee.private).decode()}",
    ):
        with pytest.raises(ConfigError):
            make_settings(tmp_path, report_public_keys=wrong)
    # No setting of the bot can hold a private key.
    assert not [name for name in Settings.model_fields if "private" in name]


def test_week_is_the_monday_and_purge_date_is_never_early() -> None:
    assert week_of(date(2026, 11, 26)) == "2026-11-23"
    assert week_of(date(2026, 11, 23)) == "2026-11-23"
    # Active on Sunday 29 Nov (week of 23 Nov): 90 days later is 27 Feb; purge from 28 Feb.
    assert purge_date("2026-11-23", 90) == date(2027, 2, 28)


@pytest.fixture
async def service(tmp_path: Path):
    db = await open_reports_db(tmp_path / "r.sqlite3")
    now = [datetime(2026, 11, 26, 15, 0)]
    trustee = new_trustee()
    settings = make_settings(tmp_path, report_public_keys=trustee.config_line)
    svc = ReportService(
        ReportStore(db),
        settings.report_public_keys,
        lambda: now[0],
        retention_days=90,
        salts=await deployment_salts(db),
        kdf=CHEAP_KDF,
    )
    svc.test_now = now  # type: ignore[attr-defined]
    svc.test_trustee = trustee  # type: ignore[attr-defined]
    yield svc
    await db.close()


def _raw(db_path: Path) -> bytes:
    """The file and whatever WAL or journal is beside it."""
    return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))


async def test_purge_after_retention_leaves_nothing_in_database_or_wal(
    service, tmp_path: Path
) -> None:
    draft = Draft(answers={"place": "army"}, text="Hazing report Quetzalcoatl")
    service.seal_file(draft, "photo", None, "image/jpeg", b"PIXELS" * 100)
    _digits, ref = await service.submit(draft)
    old = await service.store.by_ref(ref)
    body = bytes((await service.store.entries(old.report_id))[0]["body"])
    path = tmp_path / "r.sqlite3"
    assert body[:32] in _raw(path) and b"Quetzalcoatl" not in _raw(path)

    service.test_now[0] += timedelta(days=90)
    assert await service.purge() == 0  # not yet: promised until the purge date
    service.test_now[0] = datetime.combine(service.kept_until(old), datetime.min.time())
    assert await service.purge() == 1
    raw = _raw(path)
    assert ref.encode() not in raw and body[:32] not in raw and old.reporter_key not in raw
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # truncated after the purge
    assert await service.store.list() == []


async def test_activity_moves_the_purge_date(service) -> None:
    _digits, ref = await service.submit(Draft(text="first words of a report"))
    report = await service.store.by_ref(ref)
    first = service.kept_until(report)
    service.test_now[0] += timedelta(days=60)
    await service.add_text(report, "later addition")
    assert service.kept_until(await service.store.by_ref(ref)) == first + timedelta(days=63)


def test_delete_queue_lives_in_memory_only(tmp_path: Path) -> None:
    queue = DeleteQueue(delay_seconds=60)
    queue.schedule(12345, [1, 2, 3])
    assert len(queue) == 1
    # Nothing about sessions or pending deletions has a table: the schema holds none.
    from bot.db import MIGRATIONS_DIR, _split_sql

    conn = sqlite3.connect(tmp_path / "s.sqlite3")
    for migration in sorted(MIGRATIONS_DIR.glob("*.sql")):
        for statement in _split_sql(migration.read_text()):
            conn.execute(statement)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert not [t for t in tables if any(w in t for w in ("delete", "session", "queue", "pending"))]
    # A new process (a new queue) starts empty: a restart forgets, by design.
    assert len(DeleteQueue()) == 0


def test_keys_generate_prints_a_line_the_config_accepts(tmp_path: Path, capsys) -> None:
    from bot.cli import main

    key_file = tmp_path / "trustee.key"
    assert main(["keys", "generate", "--key-id", "lawyers2026", "--out", str(key_file)]) == 0
    line = capsys.readouterr().out.strip()
    settings = make_settings(tmp_path, report_public_keys=line)
    (trustee,) = settings.report_public_keys
    assert trustee.key_id == "lawyers2026" and read_key_file(key_file).key_id == "lawyers2026"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    # The pair matches: what is sealed to the configured key opens with the file.
    sealed = crypto.seal_key(b"k" * 32, settings.report_public_keys)
    assert crypto.open_key(sealed, "lawyers2026", read_key_file(key_file).private) == b"k" * 32
    assert main(["keys", "generate", "--out", str(key_file)]) == 1  # never overwrites a key


def test_submissions_are_limited_per_person_per_day() -> None:
    from bot.reports.limits import SubmissionLimiter

    now = [datetime(2026, 6, 1, 12, 0)]
    limiter = SubmissionLimiter(UserKeys(), lambda: now[0], limit=3)
    for _n in range(3):
        assert limiter.allowed(1)
        limiter.record(1)
    assert not limiter.allowed(1) and limiter.allowed(2)
    now[0] += timedelta(hours=25)
    assert limiter.allowed(1)

"""Trustee keys that cannot be confused, and an offline opener that trusts nothing in an export.

Issue 10, findings 5 and 6: a secret key pasted into REPORT_PUBLIC_KEYS was accepted (both halves
are 32 bytes of base64), and `reports open` wrote wherever an export said and printed reporter
text raw to the terminal. A seized server can forge an export: sealing needs only the public key.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import bech32
import pytest

import bot
from bot.config import TrusteeKey, load_settings
from bot.reports import crypto, keys
from bot.reports.cli import read_key_file, write_key_file
from bot.reports.crypto import Payload
from bot.reports.store import EXPORT_FORMAT
from tests.processes import run_captured
from tests.reports_helpers import Trustee, new_trustee

TOKEN = "123456:ABCdef"
ROOT = str(Path(bot.__file__).resolve().parent.parent)
PUBLIC_LINE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}:ntpub1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$")


def run_bot(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """The real process, as an operator starts it, with nothing but the given environment."""
    return run_captured(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ROOT, **env},
        timeout=60,
    )


def _bech32(hrp: str, raw: bytes) -> str:
    return bech32.bech32_encode(hrp, bech32.convertbits(list(raw), 8, 5, True))


def _flip(text: str, index: int) -> str:
    swap = "q" if text[index].lower() != "q" else "p"
    return text[:index] + (swap.upper() if text.isupper() else swap) + text[index + 1 :]


# --- the text form of keys -------------------------------------------------------------------


def test_keys_round_trip_and_say_which_half_they_are() -> None:
    for _ in range(20):
        private, public = crypto.generate_keypair()
        pub, sec = keys.encode_public(public), keys.encode_secret(private)
        assert pub.startswith("ntpub1") and len(pub) == keys.PUBLIC_LENGTH == 64
        assert sec.startswith("NTSECRET-KEY-1") and len(sec) == keys.SECRET_LENGTH == 72
        assert keys.decode_public(pub) == public and keys.decode_secret(sec) == private
        assert keys.decode_secret(sec.lower()) == private  # bech32 is case-insensitive
        with pytest.raises(keys.KeyFormatError, match="SECRET key"):
            keys.decode_public(sec)
        with pytest.raises(keys.KeyFormatError, match="PUBLIC key"):
            keys.decode_secret(pub)
    # Every single-character mistake is caught by the checksum.
    pub = keys.encode_public(crypto.generate_keypair()[1])
    for index in range(6, len(pub)):
        with pytest.raises(keys.KeyFormatError, match="bad checksum"):
            keys.decode_public(_flip(pub, index))


def test_keys_generate_writes_a_secret_key_file_and_prints_the_public_line(
    tmp_path: Path,
) -> None:
    result = run_bot(["keys", "generate", "--key-id", "lawyers2026", "--out", "t.key"], tmp_path)
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert PUBLIC_LINE_RE.fullmatch(line) and line.startswith("lawyers2026:ntpub1")
    key_file = tmp_path / "t.key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    text = key_file.read_text()
    assert "SECRET" in text and re.search(r"^NTSECRET-KEY-1[0-9A-Z]{58}$", text, re.M)
    key = read_key_file(key_file)
    assert key.key_id == "lawyers2026"
    (trustee,) = load_settings(
        _env_file=None, bot_token=TOKEN, report_public_keys=line
    ).report_public_keys
    sealed = crypto.seal_key(b"k" * 32, [trustee])
    assert crypto.open_key(sealed, "lawyers2026", key.private) == b"k" * 32
    # `keys public` gives back the same line from the file.
    again = run_bot(["keys", "public", "t.key"], tmp_path)
    assert again.returncode == 0 and again.stdout.strip() == line
    # A key id that would break the configuration line is refused by the command.
    bad = run_bot(["keys", "generate", "--key-id", "a:b,c", "--out", "u.key"], tmp_path)
    assert bad.returncode == 2 and not (tmp_path / "u.key").exists()


def test_the_opener_reads_only_the_secret_key_form(tmp_path: Path) -> None:
    trustee = new_trustee("t1")
    public_only = tmp_path / "public.key"
    public_only.write_text(trustee.config_line.split(":", 1)[1] + "\n")
    old = tmp_path / "old.key"
    old.write_text(
        "# notorture-bot trustee PRIVATE key. Keep it on the offline computer only.\n"
        f"key_id: t1\nprivate: {base64.b64encode(trustee.private).decode()}\n"
    )
    damaged = tmp_path / "damaged.key"
    damaged.write_text(_flip(keys.encode_secret(trustee.private), 20) + "\n")
    for path, why in ((public_only, "PUBLIC key"), (old, "keys convert"), (damaged, "checksum")):
        with pytest.raises(Exception, match=why) as info:
            read_key_file(path)
        assert "\n" not in str(info.value)
    # The old file converts to the new form, with the same key and id.
    result = run_bot(["keys", "convert", "old.key", "--out", "new.key"], tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == trustee.config_line
    assert read_key_file(tmp_path / "new.key").private == trustee.private


# --- start-up refuses what is not a public key ---------------------------------------------


def _refusals() -> list[tuple[str, str, str]]:
    a, b = new_trustee("a"), new_trustee("b")
    a_public = a.config_line.split(":", 1)[1]
    secret = keys.encode_secret(a.private)
    key_file_text = (
        "# notorture-bot trustee SECRET key.\n# public line: a:"
        + a_public
        + f"\nkey_id: a\n{secret}\n"
    )
    return [
        ("secret key with an id", f"a:{secret}", "which must never be on the server"),
        ("secret key alone", secret, "SECRET key"),
        ("secret key in lower case", f"a:{secret.lower()}", "which must never be on the server"),
        ("whole key file pasted", key_file_text, "SECRET key"),
        ("bad checksum", f"a:{_flip(a_public, 30)}", "bad checksum"),
        ("wrong prefix", f"a:{_bech32('age', a.public)}", "wrong prefix"),
        ("wrong length", f"a:{_bech32('ntpub', a.public[:31])}", "wrong length"),
        ("too long", f"a:{_bech32('ntpub', a.public + b'x')}", "wrong length"),
        ("old base64 public", f"a:{base64.b64encode(a.public).decode()}", "old base64 form"),
        ("old base64 private", f"a:{base64.b64encode(a.private).decode()}", "old base64 form"),
        ("duplicate key id", f"{a.config_line},a:{b.config_line.split(':', 1)[1]}", "twice"),
        ("duplicate key", f"{a.config_line},b:{a_public}", "are the same key"),
        ("unusable point", f"a:{keys.encode_public(bytes(32))}", "not a usable"),
        ("no key id", a_public, "must be <key id>:ntpub1"),
    ]


@pytest.mark.parametrize(
    ("case", "value", "reason"),
    [pytest.param(*refusal, id=refusal[0]) for refusal in _refusals()],  # stable ids (xdist)
)
def test_start_up_refuses_with_one_line_and_exit_2(
    case: str, value: str, reason: str, tmp_path: Path
) -> None:
    result = run_bot(
        [],
        tmp_path,
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE="http://127.0.0.1:9",  # if it ever started, it would fail fast
        REPORT_PUBLIC_KEYS=value,
    )
    assert result.returncode == 2, (case, result.stderr[-500:])
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line, case
    assert line.startswith("Configuration error: REPORT_PUBLIC_KEYS is invalid: "), case
    assert reason in line, (case, line)
    # The message never repeats key material (a secret key must not reach a log or a screen).
    for token in re.findall(r"[0-9A-Za-z+/=-]{20,}", value):
        assert token.lower() not in line.lower(), case


def test_start_up_accepts_the_generated_lines() -> None:
    a, b = new_trustee("a"), new_trustee("b-2")
    settings = load_settings(
        _env_file=None, bot_token=TOKEN, report_public_keys=f" {a.config_line} , {b.config_line}"
    )
    assert settings.report_public_keys == [TrusteeKey("a", a.public), TrusteeKey("b-2", b.public)]
    assert [k.line for k in settings.report_public_keys] == [a.config_line, b.config_line]


# --- an export forged on a seized server ---------------------------------------------------

GOOD_REF = "R-7F3K9Q"


def _entry(trustee: Trustee, seq: int, kind: str, header: dict, data: bytes = b"") -> dict:
    """What a seized server can make: sealed with nothing but the trustee's public key."""
    k = crypto.new_key()
    public = [TrusteeKey(trustee.key_id, trustee.public)]
    return {
        "seq": seq,
        "kind": kind,
        "week": "2026-11-23",
        "sealed_keys": json.loads(crypto.seal_key(k, public)),
        "body": base64.b64encode(crypto.encrypt(k, Payload(header, data).encode())).decode(),
    }


def _report(ref: str, entries: list[dict]) -> dict:
    return {
        "ref": ref,
        "category": "police",
        "oblast": "sughd",
        "urgency": "normal",
        "status": "new",
        "week": "2026-11-23",
        "active_week": "2026-11-23",
        "stats_consent": True,
        "entries": entries,
    }


def _file(trustee: Trustee, seq: int, name: str | None, kind: str = "photo") -> dict:
    header = {"type": "file", "kind": kind, "name": name, "mime": "image/jpeg", "size": 5}
    return _entry(trustee, seq, "file", header, b"EVIL" + bytes([seq]))


def _write_export(path: Path, reports: list[dict]) -> Path:
    path.write_text(json.dumps({"format": EXPORT_FORMAT, "reports": reports}))
    return path


def _key_file(tmp_path: Path, trustee: Trustee, name: str = "trustee.key") -> Path:
    path = tmp_path / name
    write_key_file(path, trustee.key_id, trustee.private)
    return path


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def test_a_forged_export_writes_nothing_outside_out(tmp_path: Path) -> None:
    trustee = new_trustee()
    key = _key_file(tmp_path, trustee)
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    out = work / "out"
    outside = tmp_path / "outside"
    outside.mkdir()
    answers = {"type": "answers", "answers": {"who": "witness"}, "text": "genuine words"}
    names = ["../../evil", "/etc/passwd", "a/b", "\x00", "..", "a\\..\\..\\b", "x" * 5000, None]
    export = _write_export(
        tmp_path / "forged.json",
        [
            _report("../../x", [_file(trustee, 1, "plain.jpg")]),
            _report(str(outside / "abs"), [_file(trustee, 1, "plain.jpg")]),
            _report("R-../..", [_file(trustee, 1, "plain.jpg")]),
            _report("R-SYMLNK", [_file(trustee, 1, "plain.jpg")]),
            _report(
                GOOD_REF,
                [
                    _entry(trustee, 0, "answers", answers),
                    *[_file(trustee, seq, name) for seq, name in enumerate(names, start=1)],
                    _file(trustee, 20, "", kind="../../../kind"),
                    {**_file(trustee, 21, "seq"), "seq": "../../seq"},
                ],
            ),
        ],
    )
    out.mkdir()
    (out / "R-SYMLNK").symlink_to(outside, target_is_directory=True)
    before = _files_under(tmp_path)

    result = run_bot(["reports", "open", str(export), "--key", str(key), "--out", str(out)], work)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "may be forged" in result.stderr and "symbolic link" in result.stderr

    written = _files_under(tmp_path) - before
    root = out.resolve()
    assert written, "the well-formed report's files are still saved"
    for path in written:
        assert path.resolve().is_relative_to(root / GOOD_REF), path
        assert path.parent.resolve() == root / GOOD_REF
        assert len(path.name.encode()) <= 200 and "\x00" not in path.name
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert not list(outside.iterdir())  # the symbolic link in --out was not followed
    assert not (tmp_path / "a" / "x").exists() and not (tmp_path / "evil").exists()
    # Only the well-formed reference is shown.
    assert f"# {GOOD_REF}" in result.stdout and "../../x" not in result.stdout


def test_reporter_text_is_printed_visibly_and_json_stays_exact(tmp_path: Path) -> None:
    trustee = new_trustee()
    key = _key_file(tmp_path, trustee)
    hostile = (
        "before\x1b[2Jcleared \x1b]0;title\x07 \u202eevil\u202c \u2066x\u2069 back\x08\x08"
        " cr\rline two\n## 9. Reply from staff (week 2026-11-23)\nend \u009b31m"
    )
    export = _write_export(
        tmp_path / "forged.json",
        [
            _report(
                GOOD_REF,
                [
                    _entry(
                        trustee, 0, "answers", {"type": "answers", "answers": {}, "text": hostile}
                    ),
                    _entry(trustee, 1, "text", {"type": "text", "text": "added\x1b[31m red"}),
                    _file(trustee, 2, "photo\u202egpj.exe"),
                ],
            )
        ],
    )
    out = tmp_path / "out"
    markdown = run_bot(
        ["reports", "open", str(export), "--key", str(key), "--out", str(out)], tmp_path
    )
    assert markdown.returncode == 0, markdown.stderr
    text = markdown.stdout
    for raw in ("\x1b", "\x07", "\x08", "\r", "\u202e", "\u202c", "\u2066", "\u2069", "\u009b"):
        assert raw not in text, repr(raw)
    for shown in ("\\x1b[2J", "\\x1b]0;title\\x07", "<U+202E>evil<U+202C>", "<U+2066>x<U+2069>"):
        assert shown in text, shown
    assert "back\\x08\\x08" in text and "cr\\x0dline two" in text and "\\x9b31m" in text
    assert "added\\x1b[31m red" in text
    # The reporter cannot pass text off as a heading of ours.
    assert "\n## 9. Reply from staff" not in text and "> ## 9. Reply from staff" in text
    assert [p.name for p in (out / GOOD_REF).iterdir()] == ["002-photo_gpj.exe"]

    as_json = run_bot(["reports", "open", str(export), "--key", str(key), "--json"], tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    for raw in ("\x1b", "\x07", "\x08", "\r", "\u202e", "\u202c", "\u2066", "\u2069", "\u009b"):
        assert raw not in as_json.stdout, repr(raw)
    opened = json.loads(as_json.stdout)
    assert opened[0]["entries"][0]["text"] == hostile  # exact, not altered
    assert opened[0]["entries"][2]["name"] == "photo\u202egpj.exe"


def test_open_with_the_wrong_key_or_a_bad_file_exits_non_zero_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In this process (the same `main` as `python -m bot`; the refusals at start-up above go
    through real processes)."""
    from bot.cli import main

    def run(argv: list[str]) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(argv)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    trustee, stranger = new_trustee("coalition1"), new_trustee("coalition1")
    other_id = new_trustee("lawyers")
    answers = {"type": "answers", "answers": {}, "text": "words"}
    export = _write_export(
        tmp_path / "export.json", [_report(GOOD_REF, [_entry(trustee, 0, "answers", answers)])]
    )
    cases = [
        (_key_file(tmp_path, stranger, "same-id.key"), export, "wrong key"),
        (_key_file(tmp_path, other_id, "other-id.key"), export, "no entry is sealed to this key"),
    ]
    bad_export = tmp_path / "bad.json"
    bad_export.write_text('{"format": "something else"}')
    empty = _write_export(tmp_path / "empty.json", [])
    forged_only = _write_export(
        tmp_path / "forged.json", [_report("../../x", [_entry(trustee, 0, "answers", answers)])]
    )
    good_key = _key_file(tmp_path, trustee)
    cases += [
        (good_key, bad_export, "not an export of sealed reports"),
        (good_key, tmp_path / "missing.json", "cannot read"),
        (good_key, empty, "holds no reports"),
        (good_key, forged_only, "R-XXXXXX"),
        (bad_export, export, "wrong prefix"),  # not a key file at all
    ]
    out_dir = tmp_path / "opened-reports"
    for key, source, why in cases:
        code, out, err = run(
            ["reports", "open", str(source), "--key", str(key), "--out", str(out_dir)]
        )
        assert code == 1, (why, err)
        line = err.strip()
        assert "\n" not in line and line.startswith("reports open: ") and why in line, (why, line)
        assert out == "", why
    assert not out_dir.exists()
    code, out, _err = run(
        ["reports", "open", str(export), "--key", str(good_key), "--json", "--out", str(out_dir)]
    )
    assert code == 0 and json.loads(out)[0]["entries"][0]["text"] == "words"


def test_file_names_are_one_harmless_component() -> None:
    from bot.reports.cli import _file_name

    for name in ("../../evil", "/etc/passwd", "a/b", "\x00", "..", "\u202etxt.exe", "я" * 500):
        made = _file_name(7, {"kind": "document", "name": name})
        assert made.startswith("007-") and os.sep not in made and "\x00" not in made
        assert ".." not in made and "\u202e" not in made and len(made.encode()) <= 200
    assert _file_name(3, {"kind": "../../x", "name": None}) == "003-file.bin"
    assert _file_name(4, {"kind": "voice", "name": ""}) == "004-voice.ogg"

"""Offline tools for the staff computer: `keys generate`, `keys public`, `keys convert`, `reports open`.

`python -m bot keys generate [--key-id ID] [--out FILE]` writes a SECRET key file (keep it on the
offline computer; `NTSECRET-KEY-1…`, bot/reports/keys.py) and prints the public line for
REPORT_PUBLIC_KEYS (`<key id>:ntpub1…`).
`python -m bot reports open EXPORT_OR_DB --key FILE [--out DIR] [--json]` decrypts an export
(from /reports_export) or a copy of the database and prints the reports; files go to DIR.
An export comes from a server that may have been seized: everything in it, and everything sealed
in it (anyone with the public key can seal), is treated as hostile. References must look like
R-XXXXXX, file names are reduced to one harmless path component, files are written only inside
DIR (resolved paths, no symbolic links followed), and control characters in what is printed are
made visible. It exits 1, with one line saying why, when it could open nothing.
The bot itself never runs this code path with a secret key.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import re
import sqlite3
import struct
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from nacl.public import PrivateKey

from bot.config import KEY_ID_PATTERN
from bot.reports import crypto, keys
from bot.reports.crypto import Payload, SealError
from bot.reports.store import EXPORT_FORMAT, REF_ALPHABET

KEY_FILE_HEADER = (
    "# notorture-bot trustee SECRET key. Keep it on the offline computer only, never on the server."
)
EXTENSIONS = {
    "photo": ".jpg",
    "voice": ".ogg",
    "video": ".mp4",
    "audio": ".mp3",
    "video_note": ".mp4",
}
MEDIA_KINDS = {*EXTENSIONS, "document"}
ENTRY_KINDS = {"answers", "text", "file", "reply"}
REF_RE = re.compile(rf"R-[{REF_ALPHABET}]{{6}}")
MAX_NAME_CHARS = 80
MAX_NAME_BYTES = 160  # well under the 255 bytes of common file systems
MAX_SEQ = 999_999
NOT_SEALED = "not sealed to this key"
_INVISIBLE = {"Cf", "Zl", "Zp", "Cs", "Co", "Cn"}  # bidi overrides, zero-width, separators, …
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


class OpenError(Exception):
    """The key file or the export cannot be used; the message is one line without key material."""


@dataclass(frozen=True)
class PrivateKeyFile:
    key_id: str | None  # None: a bare key line; every trustee slot is tried
    private: bytes


def write_key_file(path: Path, key_id: str, private: bytes) -> None:
    """The secret key file: comments, `key_id: …`, and the NTSECRET-KEY-1… line; mode 0600."""
    public = bytes(PrivateKey(private).public_key)
    text = (
        f"{KEY_FILE_HEADER}\n"
        f"# public line for REPORT_PUBLIC_KEYS: {key_id}:{keys.encode_public(public)}\n"
        f"key_id: {key_id}\n"
        f"{keys.encode_secret(private)}\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        if hasattr(os, "fchmod"):
            os.fchmod(handle.fileno(), 0o600)  # whatever the umask
        handle.write(text)


def read_key_file(path: Path) -> PrivateKeyFile:
    """A secret key file of ours (or a file holding only the NTSECRET-KEY-1… line).

    OpenError, in one line, for anything else: the old base64 form, a public key, a bad checksum.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OpenError(f"cannot read the key file {visible(path)}: {_reason(exc)}") from None
    key_id: str | None = None
    secrets: list[bytes] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line or line.startswith("#"):
            continue
        name, sep, rest = line.partition(":")
        if sep and name.strip() == "key_id":
            if not re.fullmatch(KEY_ID_PATTERN, rest.strip()):
                raise OpenError(f"the key file {visible(path)} has a malformed key_id line")
            key_id = rest.strip()
        elif (sep and name.strip() == "private") or keys.looks_old_base64(line):
            raise OpenError(
                f"the key file {visible(path)} is in the old base64 form; convert it with"
                f" `python -m bot keys convert {visible(path)} --out NEW_FILE`"
            )
        else:
            try:
                secrets.append(keys.decode_secret(line))
            except keys.KeyFormatError as exc:
                raise OpenError(f"the key in {visible(path)} {exc}") from None
    if len(secrets) != 1:
        raise OpenError(
            f"the key file {visible(path)} holds {len(secrets)} secret keys (NTSECRET-KEY-1…),"
            " not one"
        )
    return PrivateKeyFile(key_id, secrets[0])


def read_old_key_file(path: Path) -> PrivateKeyFile:
    """The pre-bech32 key file (`private: <base64>`, or bare base64), only to convert it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OpenError(f"cannot read the key file {visible(path)}: {_reason(exc)}") from None
    values = {
        name.strip(): value.strip()
        for name, sep, value in (
            line.partition(":") for line in text.splitlines() if not line.startswith("#")
        )
        if sep
    }
    encoded = values.get("private", text.strip() if not values else "")
    if not keys.looks_old_base64(encoded):
        raise OpenError(f"{visible(path)} is not an old base64 key file")
    key_id = values.get("key_id")
    if key_id is not None and not re.fullmatch(KEY_ID_PATTERN, key_id):
        raise OpenError(f"the key file {visible(path)} has a malformed key_id line")
    return PrivateKeyFile(key_id, base64.b64decode(encoded))


def _open_entry_key(sealed_keys: dict, key: PrivateKeyFile) -> bytes:
    """K of one entry: the key file's own slot first, then every trustee slot (a renamed id)."""
    if not isinstance(sealed_keys, dict):
        raise SealError("malformed entry")
    names = [n for n in sealed_keys if n != crypto.REPORTER and n != key.key_id]
    if key.key_id in sealed_keys:
        names.insert(0, key.key_id)
    for name in names:
        try:
            return crypto.open_key(json.dumps(sealed_keys), name, key.private)
        except SealError:
            continue
    raise SealError(NOT_SEALED)


def visible(value: object, multiline: bool = False) -> str:
    """Text safe for a terminal: control characters as `\\x1b`, bidi and other invisible
    format characters as `<U+202E>`; with multiline, newlines and tabs stay."""
    out = []
    for char in str(value):
        code = ord(char)
        if multiline and char in "\n\t":
            out.append(char)
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif unicodedata.category(char) in _INVISIBLE:
            out.append(f"<U+{code:04X}>")
        else:
            out.append(char)
    return "".join(out)


def safe_json(value: object) -> str:
    """Exact JSON (json.loads gives back the same value) in which every control, bidi or other
    invisible character is a \\u escape, so printing it cannot drive the terminal."""
    out = []
    for char in json.dumps(value, ensure_ascii=False, indent=2):
        code = ord(char)
        if char != "\n" and (
            code < 0x20 or 0x7F <= code <= 0x9F or unicodedata.category(char) in _INVISIBLE
        ):
            if code > 0xFFFF:
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return visible(text)[:200]


def load_sealed(source: Path) -> dict:
    """An export file, or the database file itself (read-only), as the export structure."""
    try:
        if source.read_bytes()[:16] == b"SQLite format 3\x00":
            return _export_from_db(source)
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError, sqlite3.Error) as exc:
        raise OpenError(f"cannot read {visible(source)}: {_reason(exc)}") from None
    if (
        not isinstance(data, dict)
        or data.get("format") != EXPORT_FORMAT
        or not isinstance(data.get("reports"), list)
    ):
        raise OpenError(f"{visible(source)} is not an export of sealed reports")
    return data


def _export_from_db(path: Path) -> dict:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        reports = []
        for row in conn.execute("SELECT * FROM reports ORDER BY week, ref"):
            entries = conn.execute(
                "SELECT seq, kind, week, sealed_keys, body FROM report_entries"
                " WHERE report_id = ? ORDER BY seq",
                (row["report_id"],),
            ).fetchall()
            report = {k: row[k] for k in ("ref", "category", "oblast", "urgency", "status", "week")}
            report["active_week"] = row["active_week"]
            report["stats_consent"] = bool(row["stats_consent"])
            report["entries"] = [
                {
                    "seq": e["seq"],
                    "kind": e["kind"],
                    "week": e["week"],
                    "sealed_keys": json.loads(e["sealed_keys"]),
                    "body": base64.b64encode(e["body"]).decode(),
                }
                for e in entries
            ]
            reports.append(report)
    finally:
        conn.close()
    return {"format": EXPORT_FORMAT, "reports": reports}


def open_reports(
    sealed: dict, key: PrivateKeyFile, out_dir: Path | None, problems: list[str] | None = None
) -> list[dict]:
    """Decrypt every entry this key can open; files are written to out_dir/<ref>/ and nowhere else.

    A report whose reference is not R-XXXXXX is skipped whole, and a malformed entry is marked,
    with a line in `problems`: the export may have been forged on a seized server.
    """
    problems = [] if problems is None else problems
    opened = []
    for report in sealed["reports"]:
        ref = report.get("ref") if isinstance(report, dict) else None
        if not isinstance(ref, str) or not REF_RE.fullmatch(ref):
            problems.append(
                "skipped a report whose reference is not of the form R-XXXXXX"
                " (the export may be forged)"
            )
            continue
        entries = report.get("entries")
        result = {k: v for k, v in report.items() if k != "entries"}
        result["entries"] = []
        for entry in entries if isinstance(entries, list) else []:
            result["entries"].append(_open_entry(ref, entry, key, out_dir, problems))
        opened.append(result)
    return opened


def _open_entry(
    ref: str, entry: object, key: PrivateKeyFile, out_dir: Path | None, problems: list[str]
) -> dict:
    seq = entry.get("seq") if isinstance(entry, dict) else None
    if (
        not isinstance(entry, dict)
        or type(seq) is not int
        or not 0 <= seq <= MAX_SEQ
        or entry.get("kind") not in ENTRY_KINDS
    ):
        problems.append(f"{ref}: skipped a malformed entry (the export may be forged)")
        return {"seq": None, "kind": "malformed", "week": None, "error": "malformed entry"}
    item: dict = {"seq": seq, "kind": entry["kind"], "week": entry.get("week")}
    try:
        k = _open_entry_key(entry.get("sealed_keys"), key)
        payload = Payload.decode(crypto.decrypt(k, base64.b64decode(entry.get("body"))))
        if not isinstance(payload.header, dict):
            raise ValueError("header is not an object")
    except SealError as exc:
        item["error"] = NOT_SEALED if str(exc) == NOT_SEALED else "cannot be opened"
        return item
    except (ValueError, TypeError, struct.error, binascii.Error):
        problems.append(f"{ref}: an entry opened but is malformed (the export may be forged)")
        item["error"] = "malformed entry"
        return item
    header = dict(payload.header)
    header["media"] = header.pop("kind", None)  # the entry's own kind stays "file"
    item.update({k: v for k, v in header.items() if v is not None or k == "media"})
    if entry["kind"] == "file" and out_dir is not None:
        try:
            item["saved_as"] = str(
                _write_inside(out_dir, ref, _file_name(seq, payload.header), payload.data)
            )
        except (OSError, UnsafePathError) as exc:
            problems.append(f"{ref}: file {seq} not saved: {_reason(exc)}")
            item["save_error"] = _reason(exc)
    return item


class UnsafePathError(Exception):
    """A path would leave --out, or go through a symbolic link."""


def _file_name(seq: int, header: dict) -> str:
    """One path component made of letters, digits, `_ . -` only: no separator, `..`, NUL, control
    or bidi character survives, and it is short enough for any file system."""
    media = header.get("kind") if header.get("kind") in MEDIA_KINDS else "file"
    given = header.get("name") if isinstance(header.get("name"), str) else ""
    name = re.sub(r"[^\w.\-]+", "_", unicodedata.normalize("NFC", given))
    name = re.sub(r"\.{2,}", ".", name).strip("._-")[:MAX_NAME_CHARS]
    while len(name.encode()) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip("._-") or f"{media}{EXTENSIONS.get(media, '.bin')}"
    return f"{seq:03d}-{name}"


def _check_component(name: str) -> None:
    if (
        name in ("", ".", "..")
        or len(name.encode()) > 200
        or any(c in name for c in "/\\\x00")
        or visible(name) != name
        or Path(name).is_absolute()
        or Path(name).name != name
    ):
        raise UnsafePathError("unsafe file name")


def _write_inside(out_dir: Path, ref: str, name: str, data: bytes) -> Path:
    """Write out_dir/ref/name (mode 0600) after checking, on resolved paths, that it stays inside
    out_dir; a symbolic link at ref or at the file is refused, never followed."""
    _check_component(ref)
    _check_component(name)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir.resolve(strict=True)
    folder = root / ref
    if folder.is_symlink():
        raise UnsafePathError(f"{ref} in the output folder is a symbolic link")
    folder.mkdir(mode=0o700, exist_ok=True)
    if folder.resolve(strict=True) != folder or folder.parent != root or not folder.is_dir():
        raise UnsafePathError(f"{ref} would be outside the output folder")
    target = folder / name
    if target.is_symlink() or target.resolve().parent != folder:
        raise UnsafePathError("the file would be outside the output folder")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _O_NOFOLLOW | _O_BINARY, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return target


def _label(key: str, code: object) -> str:
    from bot.reports.flow import BY_KEY

    question = BY_KEY.get(key)
    labels = {c: str(label) for c, label in question.options} if question else {}
    if isinstance(code, list):
        return ", ".join(labels.get(str(c), str(c)) for c in code)
    return labels.get(str(code), str(code))


def _quoted(text: object) -> str:
    """Reporter text as a Markdown quote, control characters visible: it can neither drive the
    terminal nor pass itself off as a heading of ours (e.g. a forged "Reply from staff")."""
    return "\n".join(f"> {line}" for line in visible(text or "", multiline=True).split("\n"))


def to_markdown(opened: list[dict]) -> str:
    from bot.i18n import Translator

    v = visible
    out: list[str] = []
    with Translator(default_locale="en").use_locale("en"):
        for report in opened:
            out.append(f"# {v(report['ref'])}")
            out.append(
                f"- week: {v(report.get('week'))} · last activity: {v(report.get('active_week'))}"
                f" · status: {v(report.get('status'))} · urgency: {v(report.get('urgency'))} · "
                f"place: {v(report.get('category') or '—')} · "
                f"region: {v(report.get('oblast') or '—')}"
            )
            for entry in report["entries"]:
                out.append("")
                seq, kind, week = v(entry["seq"]), v(entry["kind"]), v(entry.get("week"))
                if "error" in entry:
                    out.append(f"## {seq}. {kind}: {v(entry['error'])}")
                elif entry["kind"] == "answers":
                    out.append(f"## {seq}. Report (week {week})")
                    answers = entry.get("answers")
                    for key, code in (answers if isinstance(answers, dict) else {}).items():
                        out.append(f"- {v(key)}: {v(_label(key, code))}")
                    out.append("")
                    out.append(_quoted(entry.get("text")))
                elif entry["kind"] == "file":
                    where = entry.get("saved_as") or (
                        f"not saved: {entry['save_error']}"
                        if "save_error" in entry
                        else "(use --out to save)"
                    )
                    out.append(
                        f"## {seq}. File: {v(entry.get('media'))} {v(entry.get('name') or '')}"
                        f" ({v(entry.get('size'))} bytes, {v(entry.get('mime') or '?')})"
                        f" → {v(where)}"
                    )
                else:
                    title = "Reply from staff" if entry["kind"] == "reply" else "Added by reporter"
                    out.append(f"## {seq}. {title} (week {week})")
                    out.append(_quoted(entry.get("text")))
            out.append("\n---\n")
    return "\n".join(out)


def _key_id(value: str) -> str:
    if not re.fullmatch(KEY_ID_PATTERN, value):
        raise argparse.ArgumentTypeError("a key id is 1-32 characters of A-Z a-z 0-9 _ -")
    return value


def _write_new_key(out: Path, key_id: str, private: bytes) -> int:
    try:
        write_key_file(out, key_id, private)
    except FileExistsError:
        print(f"{visible(out)} exists; not overwriting a key", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"cannot write {visible(out)}: {_reason(exc)}", file=sys.stderr)
        return 1
    public = bytes(PrivateKey(private).public_key)
    print(
        f"Secret key written to {visible(out)} (mode 0600; keep it on the offline computer only).",
        file=sys.stderr,
    )
    print("Put this line into REPORT_PUBLIC_KEYS on the server:", file=sys.stderr)
    print(f"{key_id}:{keys.encode_public(public)}")
    return 0


def command_keys_generate(args: argparse.Namespace) -> int:
    private, _public = crypto.generate_keypair()
    return _write_new_key(Path(args.out or f"{args.key_id}.secret-key"), args.key_id, private)


def command_keys_public(args: argparse.Namespace) -> int:
    try:
        key = read_key_file(Path(args.file))
    except OpenError as exc:
        print(f"keys public: {exc}", file=sys.stderr)
        return 1
    public = keys.encode_public(bytes(PrivateKey(key.private).public_key))
    print(f"{key.key_id or 'KEYID'}:{public}")
    return 0


def command_keys_convert(args: argparse.Namespace) -> int:
    try:
        old = read_old_key_file(Path(args.file))
    except OpenError as exc:
        print(f"keys convert: {exc}", file=sys.stderr)
        return 1
    key_id = args.key_id or old.key_id or "coalition1"
    return _write_new_key(Path(args.out), key_id, old.private)


def command_reports_open(args: argparse.Namespace) -> int:
    try:
        key = read_key_file(Path(args.key))
        sealed = load_sealed(Path(args.source))
    except OpenError as exc:
        print(f"reports open: {exc}", file=sys.stderr)
        return 1
    out_dir = Path(args.out) if args.out else Path("opened-reports")
    problems: list[str] = []
    opened = open_reports(sealed, key, out_dir, problems)
    entries = [e for report in opened for e in report["entries"]]
    if not any("error" not in e for e in entries):
        if problems:
            why = f"{len(problems)} problem(s), the first: {problems[0]}"
        elif not entries:
            why = "it holds no reports"
        elif all(e.get("error") == NOT_SEALED for e in entries):
            why = "no entry is sealed to this key (wrong key file?)"
        else:
            why = "no entry could be decrypted with this key (wrong key file, or damaged data)"
        print(f"reports open: nothing opened in {visible(args.source)}: {why}", file=sys.stderr)
        return 1
    for problem in dict.fromkeys(problems):
        print(f"reports open: warning: {problem}", file=sys.stderr)
    print(safe_json(opened) if args.json else to_markdown(opened))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    keys_parser = subparsers.add_parser(
        "keys", help="trustee key pairs for sealed reports (offline)"
    )
    keys_sub = keys_parser.add_subparsers(dest="keys_command", required=True)
    generate = keys_sub.add_parser("generate", help="make a key pair; prints the public line")
    generate.add_argument(
        "--key-id", type=_key_id, default="coalition1", help="a short name for this key"
    )
    generate.add_argument("--out", help="secret key file (default: <key id>.secret-key)")
    generate.set_defaults(func=command_keys_generate)
    public = keys_sub.add_parser("public", help="print the REPORT_PUBLIC_KEYS line of a key file")
    public.add_argument("file", help="the secret key file")
    public.set_defaults(func=command_keys_public)
    convert = keys_sub.add_parser("convert", help="rewrite an old base64 key file in the new form")
    convert.add_argument("file", help="the old key file (private: <base64>)")
    convert.add_argument("--out", required=True, help="the new secret key file")
    convert.add_argument("--key-id", type=_key_id, help="key id (default: the old file's)")
    convert.set_defaults(func=command_keys_convert)

    reports = subparsers.add_parser("reports", help="open sealed reports on the offline computer")
    reports_sub = reports.add_subparsers(dest="reports_command", required=True)
    opener = reports_sub.add_parser("open", help="decrypt an export or a database copy")
    opener.add_argument("source", help="export .json from /reports_export, or the .sqlite3 file")
    opener.add_argument("--key", required=True, help="the secret key file (NTSECRET-KEY-1…)")
    opener.add_argument("--out", help="folder for decrypted files (default: opened-reports)")
    opener.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    opener.set_defaults(func=command_reports_open)

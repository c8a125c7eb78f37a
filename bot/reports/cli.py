"""Offline tools for the staff computer: `keys generate` and `reports open`.

`python -m bot keys generate [--key-id ID] [--out FILE]` writes a private key file (keep it on
the offline computer) and prints the public line for REPORT_PUBLIC_KEYS.
`python -m bot reports open EXPORT_OR_DB --key FILE [--out DIR] [--json]` decrypts an export
(from /reports_export) or a copy of the database and prints the reports; files go to DIR.
The bot itself never runs this code path with a private key.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.reports import crypto
from bot.reports.crypto import Payload, SealError
from bot.reports.store import EXPORT_FORMAT

KEY_FILE_HEADER = "# notorture-bot trustee PRIVATE key. Keep it on the offline computer only."
EXTENSIONS = {
    "photo": ".jpg",
    "voice": ".ogg",
    "video": ".mp4",
    "audio": ".mp3",
    "video_note": ".mp4",
}


@dataclass(frozen=True)
class PrivateKeyFile:
    key_id: str | None  # None: a bare key (e.g. the demo's); every trustee slot is tried
    private: bytes


def write_key_file(path: Path, key_id: str, private: bytes) -> None:
    text = f"{KEY_FILE_HEADER}\nkey_id: {key_id}\nprivate: {base64.b64encode(private).decode()}\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def read_key_file(path: Path) -> PrivateKeyFile:
    """Our key file format, or a file holding only the base64 private key."""
    text = path.read_text(encoding="utf-8")
    values = dict(
        (name.strip(), value.strip())
        for name, _sep, value in (
            line.partition(":") for line in text.splitlines() if not line.startswith("#")
        )
        if _sep
    )
    if "private" in values:
        return PrivateKeyFile(values.get("key_id"), base64.b64decode(values["private"]))
    return PrivateKeyFile(None, base64.b64decode(text.strip()))


def _open_entry_key(sealed_keys: dict, key: PrivateKeyFile) -> bytes:
    names = [key.key_id] if key.key_id else [n for n in sealed_keys if n != crypto.REPORTER]
    for name in names:
        try:
            return crypto.open_key(json.dumps(sealed_keys), name, key.private)
        except SealError:
            continue
    raise SealError("not sealed to this key")


def load_sealed(source: Path) -> dict:
    """An export file, or the database file itself (read-only), as the export structure."""
    if source.read_bytes()[:16] == b"SQLite format 3\x00":
        return _export_from_db(source)
    data = json.loads(source.read_text(encoding="utf-8"))
    if data.get("format") != EXPORT_FORMAT:
        raise ValueError(f"{source} is not an export of sealed reports")
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


def open_reports(sealed: dict, key: PrivateKeyFile, out_dir: Path | None) -> list[dict]:
    """Decrypt every entry this key can open; files are written to out_dir/<ref>/."""
    opened = []
    for report in sealed["reports"]:
        result = {k: v for k, v in report.items() if k != "entries"}
        result["entries"] = []
        for entry in report["entries"]:
            item: dict = {"seq": entry["seq"], "kind": entry["kind"], "week": entry["week"]}
            try:
                k = _open_entry_key(entry["sealed_keys"], key)
                payload = Payload.decode(crypto.decrypt(k, base64.b64decode(entry["body"])))
            except SealError:
                item["error"] = "not sealed to this key"
                result["entries"].append(item)
                continue
            header = dict(payload.header)
            header["media"] = header.pop("kind", None)  # the entry's own kind stays "file"
            item.update({k: v for k, v in header.items() if v is not None or k == "media"})
            if entry["kind"] == "file" and out_dir is not None:
                target = out_dir / report["ref"] / _file_name(entry["seq"], payload.header)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(payload.data)
                item["saved_as"] = str(target)
            result["entries"].append(item)
        opened.append(result)
    return opened


def _file_name(seq: int, header: dict) -> str:
    name = re.sub(r"[^\w.\-]+", "_", str(header.get("name") or ""))[:80].lstrip(".")
    return (
        f"{seq:03d}-{name}"
        if name
        else f"{seq:03d}-{header.get('kind', 'file')}{EXTENSIONS.get(header.get('kind', ''), '.bin')}"
    )


def _label(key: str, code: object) -> str:
    from bot.reports.flow import BY_KEY

    question = BY_KEY.get(key)
    labels = {c: str(label) for c, label in question.options} if question else {}
    if isinstance(code, list):
        return ", ".join(labels.get(c, c) for c in code)
    return labels.get(str(code), str(code))


def to_markdown(opened: list[dict]) -> str:
    from bot.i18n import Translator

    out: list[str] = []
    with Translator(default_locale="en").use_locale("en"):
        for report in opened:
            out.append(f"# {report['ref']}")
            out.append(
                f"- week: {report['week']} · last activity: {report['active_week']} · "
                f"status: {report['status']} · urgency: {report['urgency']} · "
                f"place: {report['category'] or '—'} · region: {report['oblast'] or '—'}"
            )
            for entry in report["entries"]:
                out.append("")
                if "error" in entry:
                    out.append(f"## {entry['seq']}. {entry['kind']}: {entry['error']}")
                elif entry["kind"] == "answers":
                    out.append(f"## {entry['seq']}. Report (week {entry['week']})")
                    for key, code in entry.get("answers", {}).items():
                        out.append(f"- {key}: {_label(key, code)}")
                    out.append("")
                    out.append(entry.get("text", ""))
                elif entry["kind"] == "file":
                    where = entry.get("saved_as", "(use --out to save)")
                    out.append(
                        f"## {entry['seq']}. File: {entry.get('media')} {entry.get('name') or ''}"
                        f" ({entry.get('size')} bytes, {entry.get('mime') or '?'}) → {where}"
                    )
                else:
                    title = "Reply from staff" if entry["kind"] == "reply" else "Added by reporter"
                    out.append(f"## {entry['seq']}. {title} (week {entry['week']})")
                    out.append(entry.get("text", ""))
            out.append("\n---\n")
    return "\n".join(out)


def command_keys_generate(args: argparse.Namespace) -> int:
    out = Path(args.out or f"{args.key_id}.private-key")
    if out.exists():
        print(f"{out} exists; not overwriting a key", file=sys.stderr)
        return 1
    private, public = crypto.generate_keypair()
    write_key_file(out, args.key_id, private)
    print(f"Private key written to {out} (keep it on the offline computer only).", file=sys.stderr)
    print("Put this line into REPORT_PUBLIC_KEYS on the server:", file=sys.stderr)
    print(f"{args.key_id}:{base64.b64encode(public).decode()}")
    return 0


def command_reports_open(args: argparse.Namespace) -> int:
    key = read_key_file(Path(args.key))
    out_dir = Path(args.out) if args.out else Path("opened-reports")
    opened = open_reports(load_sealed(Path(args.source)), key, out_dir)
    if args.json:
        print(json.dumps(opened, ensure_ascii=False, indent=2))
    else:
        print(to_markdown(opened))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    keys = subparsers.add_parser("keys", help="trustee key pairs for sealed reports (offline)")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    generate = keys_sub.add_parser("generate", help="make a key pair; prints the public line")
    generate.add_argument("--key-id", default="coalition1", help="a short name for this key")
    generate.add_argument("--out", help="private key file (default: <key id>.private-key)")
    generate.set_defaults(func=command_keys_generate)

    reports = subparsers.add_parser("reports", help="open sealed reports on the offline computer")
    reports_sub = reports.add_subparsers(dest="reports_command", required=True)
    opener = reports_sub.add_parser("open", help="decrypt an export or a database copy")
    opener.add_argument("source", help="export .json from /reports_export, or the .sqlite3 file")
    opener.add_argument("--key", required=True, help="the private key file")
    opener.add_argument("--out", help="folder for decrypted files (default: opened-reports)")
    opener.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    opener.set_defaults(func=command_reports_open)

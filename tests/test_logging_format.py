"""LOG_FORMAT=json: one JSON object a line, redacted like the text format."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.logging_setup import setup_logging
from tests.conftest import make_settings


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = root.level, list(root.handlers), logging.getLogger("bot").level
    yield
    root.handlers[:] = saved[1]
    root.setLevel(saved[0])
    logging.getLogger("bot").setLevel(saved[2])


def test_json_lines_are_parseable_and_redacted(restore_logging) -> None:
    stream = io.StringIO()
    setup_logging("INFO", stream=stream, log_format="json")
    log = logging.getLogger("bot.example")
    log.info("delivery %d finished for chat %s", 7, "918273645")
    try:
        raise ValueError("user 918273645 wrote: my brother was beaten")
    except ValueError:
        log.exception("handler failed")
    logging.getLogger("aiosqlite").debug("INSERT INTO users VALUES (918273645)")
    lines = stream.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["message"] for e in entries] == [
        "delivery 7 finished for chat <n>",
        "handler failed",
    ]
    assert entries[0]["level"] == "INFO" and entries[0]["logger"] == "bot.example"
    assert entries[1]["error"].startswith("ValueError (message not logged)")
    assert "918273645" not in stream.getvalue() and "beaten" not in stream.getvalue()


def test_log_format_setting(tmp_path) -> None:
    assert make_settings(tmp_path).log_format == "text"
    assert make_settings(tmp_path, log_format="JSON").log_format == "json"

"""The phone forgets at once (issue 10, finding 3): through the fake Bot API, for each way a
session ends, the person's chat holds nothing they typed, and after REPORT_WIPE_SECONDS no bot
message of the session. Also: captions are sealed with their file; edits replace or are refused.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import create_app
from bot.config import ConfigError
from bot.reports.cli import PrivateKeyFile, load_sealed, open_reports
from bot.reports.session import DeleteQueue, Sessions
from bot.reports.storage import reports_path
from devtools.fake_telegram import FakeTelegram
from devtools.fake_telegram.models import ChatView
from jobs.reports import expire_sessions
from tests.conftest import RunningBot, make_settings, quiet_clock
from tests.reports_helpers import (
    DESCRIPTION,
    PHOTO,
    Trustee,
    answer_questions,
    full_report,
    start_reports_bot,
)

USER = 5_550_002_001
OTHER = 5_550_002_002
WIPE = 1.0  # REPORT_WIPE_SECONDS in these tests
SOON = WIPE + 4  # "within REPORT_WIPE_SECONDS + a few seconds"
SIZO = "my brother is held in SIZO no.1, cell 12, since Tuesday Vermilion"
CAPTION = "bruises on the left arm, photo by Quokkafield"


@pytest.fixture
async def reports_bot(
    unlimited_fake: FakeTelegram, tmp_path: Path, trustee: Trustee
) -> AsyncIterator[RunningBot]:
    harness = await start_reports_bot(unlimited_fake, tmp_path, trustee, report_wipe_seconds=WIPE)
    try:
        yield harness
    finally:
        await harness.stop()


def typed(chat: ChatView) -> list[str]:
    """What the person typed or sent that is still in the chat (commands like /start aside)."""
    return [
        m.text or m.media or ""
        for m in chat.messages
        if not m.from_bot and not (m.media is None and (m.text or "").startswith("/"))
    ]


def bot_ids(chat: ChatView) -> set[int]:
    return {m.message_id for m in chat.messages if m.from_bot}


def all_shown_text(bot: RunningBot, user: int) -> str:
    """Everything the bot ever showed in the chat (sent or edited), deleted or not."""
    return "\n".join(
        (e.message.text or "") for e in bot.fake.events if e.message and e.chat_id == user
    )


async def wiped(bot: RunningBot, user: int, ids: set[int]) -> None:
    chat = bot.fake.chat(user)
    await bot.fake.wait_for(lambda: not ids & bot_ids(chat), SOON)


async def test_a_new_session_replacing_a_report_wipes_it(reports_bot: RunningBot) -> None:
    """/start → Check my report → Exit in the middle of a report (the issue's example)."""
    await answer_questions(reports_bot, USER)
    await reports_bot.say(USER, SIZO)
    await reports_bot.fake.send_photo(USER, PHOTO, caption=CAPTION)
    await reports_bot.settle()
    chat = reports_bot.fake.chat(USER)
    assert typed(chat) == []  # deleted as soon as read, before any wipe
    assert "Received, characters: 65" in all_shown_text(reports_bot, USER)
    report_ids = bot_ids(chat)
    assert report_ids
    await reports_bot.say(USER, "/start")
    await reports_bot.tap(USER, "Check my report")  # a new session replaces the report
    await reports_bot.tap(USER, "Exit")
    await wiped(reports_bot, USER, report_ids)
    assert typed(chat) == []
    left = [m.text or "" for m in chat.messages if m.from_bot]
    assert len(left) == 1 and "Coalition" in left[0]  # the neutral main menu only
    assert SIZO not in "\n".join(m.text or "" for m in chat.messages)


async def test_a_receipt_never_typed_back_is_wiped_with_the_report(
    reports_bot: RunningBot,
) -> None:
    receipt = await full_report(reports_bot, USER)
    chat = reports_bot.fake.chat(USER)
    assert typed(chat) == []
    assert any(receipt[:4] in (m.text or "") for m in chat.messages)
    assert "disappear from this chat in 1 s" in all_shown_text(reports_bot, USER)
    # Nobody types the code back: everything of the session leaves with the wipe delay.
    await reports_bot.fake.wait_for(lambda: not bot_ids(chat), SOON)
    assert [m.text for m in chat.messages] == ["/start"]


@pytest.mark.parametrize("where", ["main menu", "language picker"])
async def test_a_receipt_typed_anywhere_is_deleted_and_opens_check(
    reports_bot: RunningBot, where: str
) -> None:
    receipt = await full_report(reports_bot, USER)
    await reports_bot.say(USER, receipt)
    person = OTHER if where == "language picker" else USER
    if where == "language picker":
        picker = await reports_bot.say(person, "/start")
        assert "Choose your language" in picker.text
        typed_code = receipt  # without spaces
    else:
        await reports_bot.say(person, "/menu")
        typed_code = " ".join(receipt[i : i + 4] for i in range(0, 16, 4))
    shown = await reports_bot.say(person, typed_code)
    assert "Status: received, waiting to be read" in shown.text
    chat = reports_bot.fake.chat(person)
    assert not any(receipt[:4] in (m.text or "") for m in chat.messages)  # deleted at once
    assert typed(chat) == []
    check_ids = {shown.message_id}
    await reports_bot.tap(person, "Finish and delete")
    await wiped(reports_bot, person, check_ids)


async def test_the_explanation_and_check_screens_go_when_left_alone(
    reports_bot: RunningBot,
) -> None:
    await reports_bot.say(USER, "/start")
    await reports_bot.tap(USER, "English")
    honesty = await reports_bot.tap(USER, "Report anonymously")
    assert "What is protected" in honesty.text
    await reports_bot.say(OTHER, "/start")
    await reports_bot.tap(OTHER, "English")
    check = await reports_bot.tap(OTHER, "Check my report")
    assert "16-digit" in check.text
    # Both left alone (no Exit, no code): the idle timeout ends the sessions and wipes them.
    reports = reports_bot.services.reports
    await reports_bot.settle()  # the handlers have tracked what they showed (that touches)
    for user in (USER, OTHER):
        reports.sessions.get(user).touched -= 3600  # as if an hour had passed
    await expire_sessions(reports_bot.services.reports, reports_bot.bot)
    await wiped(reports_bot, USER, {honesty.message_id})
    await wiped(reports_bot, OTHER, {check.message_id})
    assert reports.sessions.get(USER) is None and reports.sessions.get(OTHER) is None


async def test_the_check_prompt_goes_with_the_results(reports_bot: RunningBot) -> None:
    receipt = await full_report(reports_bot, USER)
    await reports_bot.say(USER, receipt)
    await reports_bot.say(USER, "/menu")
    prompt = await reports_bot.tap(USER, "Check my report")
    miss = await reports_bot.say(USER, "1111 2222 3333 4444")
    assert "No report" in miss.text
    shown = await reports_bot.say(USER, receipt)
    assert "Status" in shown.text
    await reports_bot.tap(USER, "Finish and delete")  # on the results, not on the prompt
    await reports_bot.settle()
    chat = reports_bot.fake.chat(USER)
    assert not {prompt.message_id, miss.message_id, shown.message_id} & bot_ids(chat)
    assert typed(chat) == []


async def test_the_closing_messages_go_too_after_telling_how_to_clear_the_chat(
    reports_bot: RunningBot,
) -> None:
    receipt = await full_report(reports_bot, USER)
    await reports_bot.say(USER, receipt)
    await reports_bot.settle()
    chat = reports_bot.fake.chat(USER)
    closing = {m.message_id for m in chat.messages if m.from_bot}
    texts = "\n".join(m.text or "" for m in chat.messages if m.message_id in closing)
    assert "Thank you" in texts and "Delete chat" in texts
    await wiped(reports_bot, USER, closing)
    assert [m.text for m in chat.messages] == ["/start"]


def _opened(bot: RunningBot, trustee: Trustee, out: Path) -> list[dict]:
    sealed = load_sealed(reports_path(Path(bot.settings.database_path)))
    return open_reports(sealed, PrivateKeyFile(trustee.key_id, trustee.private), out)


async def test_captions_are_sealed_with_their_files(
    reports_bot: RunningBot, trustee: Trustee, tmp_path: Path
) -> None:
    await answer_questions(reports_bot, USER)
    await reports_bot.say(USER, DESCRIPTION)
    ack = await reports_bot.send_file(USER, "photo", PHOTO, caption=CAPTION)
    assert ack.text.startswith("✓ Photo received") and CAPTION not in ack.text
    await reports_bot.tap(USER, "Continue")
    await reports_bot.tap(USER, "Send report")
    receipt = await reports_bot.fake.wait_for(lambda: _receipt(reports_bot, USER), 10)
    await reports_bot.say(USER, receipt)
    # Coming back: a document with a caption added in "Check my report".
    await reports_bot.say(USER, "/menu")
    await reports_bot.tap(USER, "Check my report")
    await reports_bot.say(USER, receipt)
    await reports_bot.tap(USER, "Add information")
    added = await reports_bot.send_file(
        USER, "document", b"%PDF-medical", file_name="exam.pdf", caption="forensic exam Zanzibarite"
    )
    assert "Added" in added.text
    await reports_bot.settle()
    assert typed(reports_bot.fake.chat(USER)) == []
    entries = _opened(reports_bot, trustee, tmp_path / "out")[0]["entries"]
    files = [e for e in entries if e["kind"] == "file"]
    assert [(f["media"], f.get("caption")) for f in files] == [
        ("photo", CAPTION),
        ("document", "forensic exam Zanzibarite"),
    ]


def _receipt(bot: RunningBot, user: int) -> str | None:
    from tests.reports_helpers import RECEIPT_RE

    for message in bot.fake.chat(user).messages:
        if message.from_bot and message.text and (found := RECEIPT_RE.search(message.text)):
            return found.group(0).replace(" ", "")
    return None


async def test_an_edited_description_replaces_what_it_edited(
    reports_bot: RunningBot, trustee: Trustee, tmp_path: Path
) -> None:
    await answer_questions(reports_bot, USER)
    await reports_bot.settle()
    fake = reports_bot.fake
    # The person corrects the text before the bot has deleted it (both reach the bot together).
    sent = await fake.send_text(USER, "They held my brother for two days at the station")
    await fake.edit_user_message(USER, sent["message_id"], DESCRIPTION)
    await reports_bot.settle()
    chat = fake.chat(USER)
    assert typed(chat) == []  # the edited message is deleted too
    assert "correction replaces what you sent before" in all_shown_text(reports_bot, USER)
    summary = await reports_bot.tap(USER, "Continue")
    assert f"Description: {len(DESCRIPTION)} characters" in summary.text
    await reports_bot.tap(USER, "Send report")
    receipt = await fake.wait_for(lambda: _receipt(reports_bot, USER), 10)
    await reports_bot.say(USER, receipt)
    answers = _opened(reports_bot, trustee, tmp_path / "out")[0]["entries"][0]
    assert answers["text"] == DESCRIPTION


async def test_an_edit_that_cannot_be_taken_is_refused_with_a_message(
    reports_bot: RunningBot,
) -> None:
    await answer_questions(reports_bot, USER)
    await reports_bot.say(USER, DESCRIPTION)
    await reports_bot.settle()
    fake = reports_bot.fake
    photo = await fake.send_photo(USER, PHOTO, caption="first caption")
    await fake.edit_user_message(USER, photo["message_id"], "a corrected caption Pangolinia")
    await fake.wait_for(lambda: "could not take this edit" in all_shown_text(reports_bot, USER))
    await reports_bot.settle()
    assert typed(fake.chat(USER)) == []
    assert "Pangolinia" not in all_shown_text(reports_bot, USER)


def test_report_wipe_seconds_is_a_setting(tmp_path: Path) -> None:
    assert make_settings(tmp_path).report_wipe_seconds == 120
    assert make_settings(tmp_path, report_wipe_seconds="2").report_wipe_seconds == 2
    for wrong in ("-1", "86400", "soon"):
        with pytest.raises(ConfigError, match="REPORT_WIPE_SECONDS"):
            make_settings(tmp_path, report_wipe_seconds=wrong)


async def test_the_delete_queue_waits_report_wipe_seconds(tmp_path: Path, trustee: Trustee) -> None:
    settings = make_settings(
        tmp_path, report_public_keys=trustee.config_line, report_wipe_seconds=7
    )
    services = await create_app(settings, clock=quiet_clock())
    try:
        assert services.reports is not None
        assert services.reports.deletes.delay_seconds == 7
    finally:
        await services.close()


def test_a_replaced_session_leaves_its_messages_to_the_queue_except_carried_ones() -> None:
    deletes = DeleteQueue(delay_seconds=5)
    sessions = Sessions(deletes)
    old = sessions.start(1, "intro")
    old.track(10, 11)
    new = sessions.start(1, "report", carry=(11,))
    assert new.message_ids == [11]
    assert [(p.chat_id, p.message_ids) for p in deletes._pending] == [(1, [10])]
    sessions.finish(1)
    assert deletes._pending[-1].message_ids == [11] and sessions.get(1) is None

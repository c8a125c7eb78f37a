"""Staff permissions through the fake Bot API: report figures in /stats (consenting reports
only, owners and admins only) and who may stop a scheduled broadcast (the "cancel" permission)."""

from __future__ import annotations

from pathlib import Path

from devtools.fake_telegram import FakeTelegram
from tests.conftest import ADMIN_ID, RunningBot
from tests.reports_helpers import full_report, new_trustee, start_reports_bot
from tests.reports_load import press, to_confirm_screen
from tests.test_admin_flow import answer_to, subscribe, tap

EDITOR, ADMIN = 555, 556
CONSENTING, REFUSING = 5_550_002_001, 5_550_002_002


async def _stats_caption(bot: RunningBot, user: int) -> tuple[str, bytes]:
    await bot.say(user, "/stats", language_code="en")
    await bot.settle()
    photo = bot.fake.bot_messages(user)[-1]
    assert photo.media == "photo"
    return photo.text or "", bot.fake.file_bytes(photo.raw["photo"][-1]["file_id"])


async def test_stats_count_only_consenting_reports_and_only_for_owners_and_admins(
    unlimited_fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_reports_bot(unlimited_fake, tmp_path, new_trustee())
    try:
        receipt = await full_report(bot, CONSENTING)  # «Yes» to anonymous statistics
        await bot.say(CONSENTING, receipt)
        await to_confirm_screen(unlimited_fake, REFUSING)  # statistics question skipped
        await press(unlimited_fake, REFUSING, "Send report")
        await bot.settle()
        stored = await bot.services.reports.store.list()
        assert sorted(r.stats_consent for r in stored) == [False, True]
        directory = bot.services.admins
        await directory.set_role(ADMIN_ID, EDITOR, "editor")
        await directory.set_role(ADMIN_ID, ADMIN, "admin")
        for user in (ADMIN_ID, ADMIN, EDITOR):
            await bot.say(user, "/start", language_code="en")
            await bot.tap(user, "English")

        owner_caption, owner_chart = await _stats_caption(bot, ADMIN_ID)
        assert "Reports in the last 1 week: 1" in owner_caption
        admin_caption, _chart = await _stats_caption(bot, ADMIN)
        assert "Reports in the last 1 week: 1" in admin_caption
        editor_caption, editor_chart = await _stats_caption(bot, EDITOR)
        assert "Users:" in editor_caption and "Report" not in editor_caption
        assert len(editor_chart) < len(owner_chart)  # one panel: no report panels
    finally:
        await bot.stop()


async def test_only_the_cancel_permission_stops_a_scheduled_broadcast(
    running_bot: RunningBot,
) -> None:
    directory = running_bot.services.admins
    await directory.set_role(ADMIN_ID, EDITOR, "editor")
    await directory.set_role(ADMIN_ID, ADMIN, "admin")
    await subscribe(running_bot, [7001])
    await answer_to(running_bot, ADMIN_ID, "/broadcast")
    await running_bot.say(ADMIN_ID, "Later", language_code="en")
    await tap(running_bot, ADMIN_ID, "Preview")
    await running_bot.fake.wait_for(lambda: "Who receives" in running_bot.last_text(ADMIN_ID), 15)
    await tap(running_bot, ADMIN_ID, "All subscribers")
    await tap(running_bot, ADMIN_ID, "Next")
    await tap(running_bot, ADMIN_ID, "date and time")
    assert "Confirm" in await answer_to(running_bot, ADMIN_ID, "2099-01-01 09:00")
    await tap(running_bot, ADMIN_ID, "Send")
    await running_bot.fake.wait_for(lambda: "scheduled" in running_bot.last_text(ADMIN_ID), 10)

    refused = await answer_to(running_bot, EDITOR, "/cancel_broadcast")
    assert "Only an owner or an admin can cancel" in refused
    row = await running_bot.services.db.fetchone("SELECT state FROM deliveries")
    assert row[0] == "scheduled"
    # /broadcasts needs what /broadcast needs: an editor sees the list.
    assert "1 · scheduled" in await answer_to(running_bot, EDITOR, "/broadcasts")
    # An editor may still discard the draft they are composing.
    await answer_to(running_bot, EDITOR, "/broadcast")
    assert "discarded" in await answer_to(running_bot, EDITOR, "/cancel_broadcast")

    assert "cancelled" in await answer_to(running_bot, ADMIN, "/cancel_broadcast")
    row = await running_bot.services.db.fetchone("SELECT state FROM deliveries")
    assert row[0] == "cancelled"
    audit = await directory.audit_entries()
    assert [(a.admin_id, a.action) for a in audit if a.action == "cancel_broadcast"] == [
        (ADMIN, "cancel_broadcast")
    ]

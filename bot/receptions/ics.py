"""An .ics file (RFC 5545, the `icalendar` library) for one reception, in one language.

Times are written in UTC (…Z), so every calendar app places it right without a VTIMEZONE block.
The UID is stable per reception: adding the file twice updates the same calendar entry.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from bot.receptions.content import Reception

PRODID = "-//Civil Society Coalition against Torture and Impunity in Tajikistan//notorture-bot//"
UID_DOMAIN = "notorture-bot.receptions"


def reception_ics(
    reception: Reception, locale: str, tz: tzinfo, *, title: str, description: str, stamp: datetime
) -> bytes:
    """`title` and `description` are already in `locale`; `stamp` is the bot's clock now."""
    from icalendar import Calendar, Event, vGeo  # 3 MB, loaded when a calendar file is asked

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{reception.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", reception.start_at(tz).astimezone(UTC))
    event.add("dtend", reception.end_at(tz).astimezone(UTC))
    event.add("summary", title)
    place = [reception.venue[locale], reception.address.get(locale, ""), reception.city[locale]]
    event.add("location", ", ".join(part for part in place if part))
    event.add("description", description)
    if reception.latitude is not None and reception.longitude is not None:
        event.add("geo", vGeo((reception.latitude, reception.longitude)))
    calendar.add_component(event)
    return calendar.to_ical()


def ics_filename(reception: Reception) -> str:
    return f"reception-{reception.id}.ics"

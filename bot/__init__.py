"""notorture-bot: the Telegram bot of the Civil Society Coalition Against Torture and Impunity in Tajikistan."""

LOCALES: tuple[str, ...] = ("tg", "ru", "en")
"""Every text a person reads exists in these languages, in this order of the language picker."""

"""notorture-bot: the Telegram bot of the Civil Society Coalition Against Torture and Impunity in Tajikistan."""

LOCALES: tuple[str, ...] = ("tg", "ru", "en")
"""Every text a person reads exists in these languages, in this order of the language picker."""

LANGUAGE_NAMES: dict[str, str] = {"tg": "Тоҷикӣ", "ru": "Русский", "en": "English"}
"""Each language's name in itself, as the language picker and admin screens show it."""

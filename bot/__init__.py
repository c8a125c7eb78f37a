"""notorture-bot: the Telegram bot of the Civil Society Coalition Against Torture and Impunity in Tajikistan."""

LOCALES: tuple[str, ...] = ("tg", "ru", "en")
"""Every text a person reads exists in these languages, in this order of the language picker."""

LANGUAGE_NAMES: dict[str, str] = {"tg": "Тоҷикӣ", "ru": "Русский", "en": "English"}
"""Each language's name in itself, as the language picker and admin screens show it."""


def language_name(locale: str) -> str:
    """The language's name in the language of the current translation (staff screens: "send the
    version in Russian", «русӣ»); the language picker keeps LANGUAGE_NAMES."""
    from aiogram.utils.i18n import gettext as _  # here: `import bot` must stay light

    names = {"tg": _("Tajik"), "ru": _("Russian"), "en": _("English")}
    return names.get(locale, LANGUAGE_NAMES.get(locale, locale))

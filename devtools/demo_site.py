"""The demo's small website: a local feed per language with two sample articles each, so
`python -m bot demo` shows "📰 Articles". The texts only describe the demo itself (no legal
facts: those live in content/ and come from the Coalition's reviewed sources)."""

from __future__ import annotations

from devtools.feed_site import FeedSite, SiteArticle

_ARTICLES = {
    "en": [
        (
            "demo-en-1",
            "Demo: the website's articles inside Telegram",
            "<p>This is a sample article of the demo website. The bot reads the website's feed,"
            " stores every new article once and shows it here in full.</p>"
            "<p>Where the website is blocked, the Telegram app still opens the bot. Long articles"
            " are shown page by page, and photos are sent as photos.</p>",
        ),
        (
            "demo-en-2",
            "Demo: sharing an article",
            "<p>Every article has a Share button. It sends a link that opens the article in the"
            " bot, so the people you send it to can read it too.</p>",
        ),
    ],
    "ru": [
        (
            "demo-ru-1",
            "Демо: статьи сайта внутри Telegram",
            "<p>Это пример статьи демонстрационного сайта. Бот читает ленту сайта, сохраняет"
            " каждую новую статью один раз и показывает её здесь целиком.</p>"
            "<p>Там, где сайт заблокирован, приложение Telegram всё равно открывает бота. Длинные"
            " статьи показываются по страницам, а фотографии приходят как фотографии.</p>",
        ),
        (
            "demo-ru-2",
            "Демо: как поделиться статьёй",
            "<p>У каждой статьи есть кнопка «Поделиться». Она отправляет ссылку, которая"
            " открывает статью в боте, чтобы её могли прочитать и другие.</p>",
        ),
    ],
    "tg": [
        (
            "demo-tg-1",
            "Намоиш: мақолаҳои сомона дар Telegram",
            "<p>Ин намунаи мақолаи сомонаи намоишӣ аст. Бот лентаи сомонаро мехонад, ҳар"
            " мақолаи навро як бор нигоҳ медорад ва дар ин ҷо пурра нишон медиҳад.</p>"
            "<p>Дар ҷое ки сомона баста аст, барномаи Telegram ботро боз ҳам мекушояд. Мақолаҳои"
            " дароз саҳифа ба саҳифа нишон дода мешаванд ва суратҳо ҳамчун сурат фиристода"
            " мешаванд.</p>",
        ),
        (
            "demo-tg-2",
            "Намоиш: чӣ тавр мақоларо фиристед",
            "<p>Ҳар мақола тугмаи «Фиристед» дорад. Он истинодеро мефиристад, ки мақоларо дар бот"
            " мекушояд, то дигарон низ онро хонанд.</p>",
        ),
    ],
}


def demo_site() -> FeedSite:
    site = FeedSite()
    for locale, articles in _ARTICLES.items():
        for slug, title, body in reversed(articles):  # the first one is the newest
            site.add(locale, SiteArticle(slug=slug, title=title, body_html=body))
    return site

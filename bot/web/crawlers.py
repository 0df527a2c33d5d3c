"""Link-preview fetchers and search crawlers, by User-Agent: their fetches of a broker's
link are not visits. A chat app fetches a page once to draw a preview when the link is
posted, before anyone opens it.

WeChat's in-app browser says ``MicroMessenger`` for people too, so it is not listed; its
preview fetcher is server-side and sends no such marker we could rely on.
"""

from __future__ import annotations

import re

# Telegram's preview: "TelegramBot (like TwitterBot)"; WhatsApp: "WhatsApp/2.x";
# Facebook/Messenger: "facebookexternalhit/1.1", "Facebot"; and the common crawlers.
CRAWLER = re.compile(
    r"TelegramBot|WhatsApp|facebookexternalhit|Facebot|Twitterbot|Slackbot|Discordbot|"
    r"LinkedInBot|SkypeUriPreview|vkShare|Googlebot|bingbot|Baiduspider|Sogou|Bytespider|"
    r"YandexBot|DuckDuckBot|Applebot|bot\b|crawler|spider|preview|curl/|python-requests",
    re.IGNORECASE,
)


def is_crawler(user_agent: str | None) -> bool:
    """True for a preview fetcher or crawler, and for a request without a User-Agent."""
    return not user_agent or CRAWLER.search(user_agent) is not None

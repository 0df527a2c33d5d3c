"""Job search: the in-memory fuzzy index, query parsing, the live index and search analytics.

``SearchIndex`` (pure, no I/O) is what handlers query; ``LiveIndex`` (``jobfeed.search.live``)
keeps one current from Redis; ``SearchAnalytics`` (``jobfeed.search.analytics``) records
what people search for. The trade dictionary and the phrase lists are data, under
``templates/lexicon``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobfeed.search.index import SearchHit, SearchIndex, SearchResult
    from jobfeed.search.lexicon import Lexicon
    from jobfeed.search.query import ParsedQuery, QueryParser

# Loaded when first asked for: a process that only reads saved-search tokens (the
# broadcast worker's deep links) never pays for the index and its lexicon.
_WHERE = {
    "SearchHit": "index",
    "SearchIndex": "index",
    "SearchResult": "index",
    "Lexicon": "lexicon",
    "ParsedQuery": "query",
    "QueryParser": "query",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)


__all__ = [
    "Lexicon",
    "ParsedQuery",
    "QueryParser",
    "SearchHit",
    "SearchIndex",
    "SearchResult",
]

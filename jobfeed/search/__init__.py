"""Job search: the in-memory fuzzy index, query parsing, the live index and search analytics.

``SearchIndex`` (pure, no I/O) is what handlers query; ``LiveIndex`` (``jobfeed.search.live``)
keeps one current from Redis; ``SearchAnalytics`` (``jobfeed.search.analytics``) records
what people search for. The trade dictionary and the phrase lists are data, under
``templates/lexicon``.
"""

from jobfeed.search.index import SearchHit, SearchIndex, SearchResult
from jobfeed.search.lexicon import Lexicon
from jobfeed.search.query import ParsedQuery, QueryParser

__all__ = [
    "Lexicon",
    "ParsedQuery",
    "QueryParser",
    "SearchHit",
    "SearchIndex",
    "SearchResult",
]

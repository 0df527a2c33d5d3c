"""Chinese text folding for keys and matching: traditional -> simplified, width, case.

Titles and employers are stored as written (for display); only keys built from them
(de-duplication fingerprints, header names) go through these functions. ``fold`` keeps
what ``jobfeed.search.normalise`` keeps (letters, digits, CJK ideographs), so both agree on
what is "the same"; it does not import the search package, whose index pulls in ~75 MB of
pinyin tables the importer never needs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from opencc import OpenCC

_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")


@cache
def _converter() -> OpenCC:
    return OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters as simplified; everything else untouched."""
    return str(_converter().convert(text))


def fold(text: str) -> str:
    """A matching key: NFKC (full-width -> ASCII), simplified, lower case, no spaces or
    punctuation. ``"電焊工（急招）"`` -> ``"电焊工急招"``."""
    return _NOT_WORD.sub("", simplified(unicodedata.normalize("NFKC", text).lower()))

"""Chinese text folding for keys and matching: traditional -> simplified, width, case.

Titles and employers are stored as written (for display); only keys built from them
(de-duplication fingerprints, header names) go through these functions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from opencc import OpenCC

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@cache
def _converter() -> OpenCC:
    return OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters as simplified; everything else untouched."""
    return str(_converter().convert(text))


def fold(text: str) -> str:
    """A matching key: NFKC (full-width -> ASCII), simplified, lower case, no spaces or
    punctuation. ``"電焊工（急招）"`` -> ``"电焊工急招"``."""
    text = simplified(unicodedata.normalize("NFKC", text)).lower()
    return _NOISE.sub("", text)

"""Chinese text folding for keys and matching: traditional -> simplified, width, case.

Titles and employers are stored as written (for display); only keys built from them
(de-duplication fingerprints, header names) go through these functions. ``fold`` is the
search index's normalisation without the spaces, so both sides agree on what is "same".
"""

from __future__ import annotations

from functools import cache

from opencc import OpenCC

from jobfeed.search.normalise import normalise


@cache
def _converter() -> OpenCC:
    return OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters as simplified; everything else untouched."""
    return str(_converter().convert(text))


def fold(text: str) -> str:
    """A matching key: NFKC (full-width -> ASCII), simplified, lower case, no spaces or
    punctuation. ``"電焊工（急招）"`` -> ``"电焊工急招"``."""
    return normalise(text).replace(" ", "")

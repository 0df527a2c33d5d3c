"""Text as the index compares it: simplified, half-width, lower case, punctuation as spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import opencc

# Anything that is not a letter, digit or CJK ideograph separates words.
_SEPARATORS = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")
# Pinyin typed with tone numbers (dian4han4gong1): two or more syllables each ending in 1-5.
_TONE_DIGITS = re.compile(r"(?<![a-z0-9])(?:[a-z]{2,}[1-5] ?){2,}(?![0-9])")
_DIGITS = re.compile(r"\d")
_BRACKETED = re.compile(r"[(\[（【<《][^)\]）】>》]*[)\]）】>》]")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """電焊工（天津） → ``电焊工 天津``; ＣＮＣ → ``cnc``. Words stay apart by one space."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ü", "v")  # as pinyin keyboards
    text = _TONE_DIGITS.sub(lambda m: _DIGITS.sub("", m.group()), _t2s().convert(text))
    return " ".join(_SEPARATORS.sub(" ", text).split())


def normalise_title(title: str) -> str:
    """A vacancy title without bracketed remarks: 电焊工（包吃住） → 电焊工."""
    unbracketed = _BRACKETED.sub(" ", unicodedata.normalize("NFKC", title))
    return normalise(unbracketed) or normalise(title)


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def simplified(text: str) -> str:
    """Traditional characters simplified, lower case; punctuation and spacing kept (for rules
    that read links and clauses, e.g. ``jobfeed.groupcare.scams``)."""
    return str(_t2s().convert(text.lower()))

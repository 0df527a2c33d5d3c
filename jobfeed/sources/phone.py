"""Recruiters' phone numbers: Chinese mobiles, landlines and 400/800 numbers, validated."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

_SEPARATORS = re.compile(r"[\s\-–—()（）.]")
_SERVICE = re.compile(r"^(400|800)\d{7}$")
# Mobiles are checked by shape, not by allocated ranges: allocations change faster than
# the library's metadata (the sample feed uses 154 and 194 numbers, which it rejects).
_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


class PhoneError(ValueError):
    """Not a phone number a job seeker could call."""


def normalise_phone(raw: str) -> str:
    """``13912345678`` for mobiles, ``0471-6612345`` for landlines, ``4001234567``.

    Full-width digits, spaces, dashes and a ``+86``/``86`` prefix are accepted.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    digits = _SEPARATORS.sub("", text)
    if _SERVICE.match(digits):
        return digits
    mobile = _MOBILE.match(digits)
    if mobile:
        return mobile.group(1)
    try:
        number = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        raise PhoneError("not a phone number") from None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise PhoneError("not a valid Chinese phone number")
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return str(formatted).replace(" ", "-", 1).replace(" ", "")

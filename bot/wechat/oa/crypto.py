"""WeChat's message signatures and its secure-mode encryption (WXBizMsgCrypt).

Signatures are the SHA-1 of the sorted, concatenated strings (the Token, the timestamp, the
nonce and, for ``msg_signature``, the encrypted message). The EncodingAESKey is 43 base64
characters of a 32-byte key; messages are AES-256-CBC with the key's first 16 bytes as IV,
over ``random(16) + length(4, big-endian) + message + AppID`` padded with PKCS#7 to a
multiple of 32 bytes (WeChat's block, not AES's 16), then base64.
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
from collections.abc import Callable

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptError(Exception):
    """An encrypted message that does not decrypt, or is for another AppID."""


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signed(expected: str, *parts: str) -> bool:
    return hmac.compare_digest(signature(*parts), expected.lower())


def _pad(data: bytes) -> bytes:
    amount = BLOCK - len(data) % BLOCK
    return data + bytes([amount]) * amount


def _unpad(data: bytes) -> bytes:
    amount = data[-1] if data else 0
    if not 1 <= amount <= BLOCK or data[-amount:] != bytes([amount]) * amount:
        raise CryptError("bad padding")
    return data[:-amount]


class MessageCrypt:
    def __init__(
        self, token: str, aes_key: str, appid: str, random: Callable[[int], bytes] = os.urandom
    ) -> None:
        self._token = token
        self._key = base64.b64decode(aes_key + "=")
        if len(self._key) != 32:
            raise ValueError("an EncodingAESKey is 43 characters of a 32-byte key")
        self._appid = appid.encode()
        self._random = random

    def _cipher(self) -> Cipher[modes.CBC]:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def encrypt(self, text: str) -> str:
        body = text.encode()
        plain = self._random(16) + struct.pack(">I", len(body)) + body + self._appid
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(_pad(plain)) + encryptor.finalize()).decode()

    def decrypt(self, encrypted: str) -> str:
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise CryptError("not base64") from None
        if not data or len(data) % 16:
            raise CryptError("not whole blocks")
        decryptor = self._cipher().decryptor()
        plain = _unpad(decryptor.update(data) + decryptor.finalize())
        if len(plain) < 20:
            raise CryptError("too short")
        (length,) = struct.unpack(">I", plain[16:20])
        body, appid = plain[20 : 20 + length], plain[20 + length :]
        if len(body) != length or not hmac.compare_digest(appid, self._appid):
            raise CryptError("for another AppID")
        try:
            return body.decode()
        except UnicodeDecodeError:
            raise CryptError("not UTF-8") from None

    def sign(self, timestamp: str, nonce: str, encrypted: str) -> str:
        """The ``msg_signature`` of an encrypted message."""
        return signature(self._token, timestamp, nonce, encrypted)

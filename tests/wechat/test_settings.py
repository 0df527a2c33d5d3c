"""The Official Account's settings: a bad one is one line naming it, never echoing a secret."""

from __future__ import annotations

from typing import Any

import pytest

from bot.config import SettingsError, load_settings
from tests.wechat.conftest import AES_KEY, APPID, SECRET, TOKEN

BOT_TOKEN = "123456789:AAHgoodTOKENgoodTOKENgoodTOKEN_abcd"


def settings(**values: Any) -> Any:
    return load_settings(bot_token=BOT_TOKEN, _env_file=None, **values)


def test_unset_the_account_is_off_and_wechats_api_is_the_default() -> None:
    loaded = settings()
    assert loaded.wechat_oa_token is None
    assert loaded.wechat_api_base == "https://api.weixin.qq.com"


def test_a_complete_account_loads() -> None:
    loaded = settings(
        wechat_oa_token=TOKEN,
        wechat_oa_appid=APPID,
        wechat_oa_secret=SECRET,
        wechat_oa_aes_key=AES_KEY,
        wechat_api_base="http://127.0.0.1:8082/",
    )
    assert loaded.wechat_api_base == "http://127.0.0.1:8082"
    assert SECRET not in repr(loaded) and AES_KEY not in repr(loaded)


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"wechat_oa_token": TOKEN}, "WECHAT_OA_APPID and WECHAT_OA_SECRET"),
        ({"wechat_oa_token": "a b"}, "WECHAT_OA_TOKEN"),
        ({"wechat_oa_aes_key": AES_KEY[:-1] + "!"}, "WECHAT_OA_AES_KEY"),
        ({"wechat_oa_aes_key": AES_KEY[:40]}, "WECHAT_OA_AES_KEY"),
        ({"wechat_api_base": "ftp://x"}, "WECHAT_API_BASE"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(values: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as raised:
        settings(**values)
    message = str(raised.value)
    assert named in message and "\n" not in message
    assert AES_KEY[:40] not in message

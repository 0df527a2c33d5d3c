"""Building the WeCom pieces a surface needs from the settings (API, dashboard, chat)."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.config import Settings
from bot.wecom.credentials import Credentials, CredentialStore
from jobfeed.keys import Keys


def env_credentials(settings: Settings) -> Credentials | None:
    if settings.wecom_corp_id and settings.wecom_secret:
        return Credentials(settings.wecom_corp_id, settings.wecom_secret.get_secret_value())
    return None


def credential_store(settings: Settings, redis: Redis, keys: Keys) -> CredentialStore:
    return CredentialStore(redis, keys, default=env_credentials(settings))

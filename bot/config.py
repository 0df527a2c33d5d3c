"""Settings from the environment (and an optional ``.env``), validated once at start."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_QUIET = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
_HOST_PORT = re.compile(r"^\[?([A-Za-z0-9_.:-]+?)\]?:(\d{1,5})$")


class Settings(BaseSettings):
    """Every setting is documented in README.md under "Settings"."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr
    telegram_api_base: str | None = None
    redis_url: str | None = None
    redis_prefix: str = Field(default="zp", pattern=r"^[A-Za-z0-9_.-]{1,40}$")
    # Redis Sentinel instead of REDIS_URL (bot.storage): where the sentinels are, the
    # name they monitor, their password and the data nodes' password.
    redis_sentinels: Annotated[tuple[tuple[str, int], ...], NoDecode] = ()
    redis_sentinel_master: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    redis_sentinel_password: SecretStr | None = None
    redis_password: SecretStr | None = None
    # A confirmed write (an update logged, an application filed) waits for this many
    # replicas to have it (Redis WAIT), at most REDIS_WAIT_TIMEOUT_MS.
    redis_wait_replicas: int = Field(default=0, ge=0, le=10)
    redis_wait_timeout_ms: int = Field(default=500, ge=1, le=60_000)
    data_dir: Path = Path("var")
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    admin_token: SecretStr | None = None
    webhook_base_url: str | None = None
    webhook_secret: SecretStr | None = None
    host: str = "0.0.0.0"
    port: int = Field(default=8080, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    # /metrics on a listener of its own (any process); bearer ADMIN_TOKEN unless public.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_public: bool = False
    timezone: str = "Asia/Shanghai"

    # Broadcast pacing and policy (jobfeed.broadcast).
    global_rate: float = Field(default=30.0, gt=0, le=1000)
    group_rate_per_minute: int = Field(default=20, ge=1, le=1000)
    quiet_hours: str | None = None
    unknown_outcome_policy: Literal["resend", "report"] = "resend"

    # Search answers in groups (jobfeed.search.throttle).
    search_user_seconds: float = Field(default=15.0, ge=0, le=3600)
    search_group_per_minute: int = Field(default=6, ge=1, le=20)

    # Résumés (jobfeed.applications).
    resume_retention_days: int = Field(default=180, ge=1, le=3650)

    # Alerts of new vacancies to job seekers' availability (jobfeed.matching).
    alerts_per_day: int = Field(default=3, ge=0, le=100)

    # Feeds in and out (jobfeed.sources, bot.web).
    feeds_file: Path = Path("feeds.toml")
    feed_default_expiry_days: int = Field(default=30, ge=1, le=3650)
    expiry_sweep_seconds: float = Field(default=60.0, gt=0, le=86400)
    bot_username: str | None = Field(default=None, pattern=r"^@?[A-Za-z][A-Za-z0-9_]{3,31}$")
    public_base_url: str | None = None
    # 人力资源服务许可证 number, shown on every post, job page and feed item.
    hr_licence: str | None = Field(default=None, min_length=1, max_length=60, pattern=r"\S")

    # The web apply form and posters (bot.web.apply, bot.web.poster).
    web_apply_secret: SecretStr | None = None
    web_apply_form_minutes: int = Field(default=120, ge=1, le=7 * 24 * 60)
    web_apply_per_address: int = Field(default=20, ge=1, le=1_000_000)
    web_apply_per_phone: int = Field(default=5, ge=1, le=1000)
    trusted_proxies: Annotated[
        tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...], NoDecode
    ] = ()
    poster_font: Path | None = None

    # The admin dashboard (bot.dashboard).
    dashboard_passwords: Annotated[dict[int, SecretStr], NoDecode] = Field(default_factory=dict)
    dashboard_session_hours: float = Field(default=12.0, gt=0, le=24 * 30)
    dashboard_max_failures: int = Field(default=5, ge=1, le=1000)
    dashboard_lockout_minutes: float = Field(default=15.0, gt=0, le=24 * 60)

    # --- WeChat Official Account (bot.wechat.oa) ---
    # The 服务器配置 of the account: its Token, AppID, AppSecret and EncodingAESKey
    # (unset: 明文模式); the API base points the tests and the demo at the simulator.
    wechat_oa_token: SecretStr | None = None
    wechat_oa_appid: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{6,64}$")
    wechat_oa_secret: SecretStr | None = None
    wechat_oa_aes_key: SecretStr | None = None
    wechat_api_base: str = "https://api.weixin.qq.com"
    # --- groupcare: welcomes and moderation (jobfeed.groupcare) ---
    welcome_interval_seconds: float = Field(default=300.0, ge=1, le=86400)
    welcome_default: bool = True
    moderation_policy: Literal["off", "warn", "mute", "ban"] = "mute"
    moderation_mute_hours: float = Field(default=24.0, gt=0, le=24 * 366)
    # --- placements and brokers (jobfeed.placements, jobfeed.brokers) ---
    # The months after the start date at which a placed worker is asked 还在吗.
    checkin_months: Annotated[tuple[int, ...], NoDecode] = (1, 3, 6)
    checkin_remind_days: int = Field(default=3, ge=1, le=60)
    broker_reward_yuan: int = Field(default=0, ge=0, le=100_000)
    broker_reward_months: int = Field(default=3, ge=1, le=36)
    # Off unless an office needs ID numbers: a Fernet key (encryption at rest) and why.
    id_number_key: SecretStr | None = None
    id_number_purpose: str | None = Field(default=None, min_length=4, max_length=200)

    @field_validator("id_number_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        from cryptography.fernet import Fernet  # noqa: PLC0415 - only when the option is on

        try:
            Fernet(value.get_secret_value().encode())
        except ValueError:
            # Never echo the value: it is a secret.
            raise ValueError(
                "not a Fernet key (32 bytes, URL-safe base64: python -c "
                "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
            ) from None
        return value

    @model_validator(mode="after")
    def _id_number_pair(self) -> Settings:
        if (self.id_number_key is None) != (self.id_number_purpose is None):
            raise ValueError(
                "ID_NUMBER_KEY and ID_NUMBER_PURPOSE go together: the worker is told why"
            )
        return self

    @field_validator("checkin_months", mode="before")
    @classmethod
    def _months(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                months = tuple(int(p) for p in value.split(",") if p.strip())
            except ValueError:
                raise ValueError("give months as numbers, e.g. 1,3,6") from None
            value = months
        if isinstance(value, tuple | list):
            if not value or any(not 1 <= int(m) <= 36 for m in value):
                raise ValueError("give 1 to 36 months each, e.g. 1,3,6")
            return tuple(sorted({int(m) for m in value}))
        return value

    # --- matching: the labour office's lists (jobfeed.matching.reports) ---
    report_days: int = Field(default=14, ge=1, le=365)
    report_few_applications: int = Field(default=0, ge=0, le=1000)
    alerts_unopened_halving: int = Field(default=5, ge=0, le=1000)
    # --- WeCom (bot.wecom): group robots need none of these but the base URL ---
    wecom_api_base: str = Field(default="https://qyapi.weixin.qq.com", pattern=r"^https?://\S+$")
    wecom_corp_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9]{1,64}$")
    wecom_secret: SecretStr | None = None

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not _TOKEN.match(value.get_secret_value()):
            # Never echo the value: it may be a real token with a typo.
            raise ValueError("must look like 123456:ABC... (the token @BotFather gave you)")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            for part in parts:
                if not re.fullmatch(r"-?\d{1,20}", part):
                    raise ValueError(f"{part!r} is not a Telegram user id (use 123,456)")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("dashboard_passwords", mode="before")
    @classmethod
    def _password_hashes(cls, value: object) -> object:
        """``111:scrypt$...,222:scrypt$...``: admin id and the hash ``hash-password`` prints."""
        if not isinstance(value, str):
            return value
        hashes: dict[int, str] = {}
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            user, sep, encoded = part.partition(":")
            if not sep or not re.fullmatch(r"-?\d{1,20}", user.strip()):
                raise ValueError("must be admin_id:hash pairs, e.g. 111:scrypt$...")
            if not encoded.startswith("scrypt$") or encoded.count("$") != 5:
                # Never echo it: it may be a plain password pasted by mistake.
                raise ValueError(
                    f"the entry of {user.strip()} is not a hash from `python -m bot hash-password`"
                )
            hashes[int(user)] = encoded
        return hashes

    @field_validator("dashboard_passwords")
    @classmethod
    def _passwords_of_admins(
        cls, value: dict[int, SecretStr], info: ValidationInfo
    ) -> dict[int, SecretStr]:
        strangers = sorted(set(value) - info.data.get("admin_ids", frozenset()))
        if strangers:
            raise ValueError(f"names ids that are not in ADMIN_IDS: {strangers}")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        """``127.0.0.1,10.0.0.0/8``: the reverse proxies whose X-Forwarded-For is believed."""
        if not isinstance(value, str):
            return value
        networks = []
        for part in (p.strip() for p in value.split(",")):
            if part:
                try:
                    networks.append(ipaddress.ip_network(part, strict=False))
                except ValueError:
                    raise ValueError(f"{part!r} is not an address or network") from None
        return tuple(networks)

    @field_validator("web_apply_secret")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (e.g. secrets.token_urlsafe(32))")
        return value

    @field_validator("poster_font")
    @classmethod
    def _font_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"{value} is not a font file (a .ttf, .otf or .ttc)")
        return value

    @field_validator("wechat_oa_token")
    @classmethod
    def _oa_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # WeChat's admin console takes 3-32 letters and digits.
        if value is not None and not re.fullmatch(r"[A-Za-z0-9]{3,32}", value.get_secret_value()):
            raise ValueError("must be 3-32 letters and digits, as in the OA's 服务器配置")
        return value

    @field_validator("wechat_oa_aes_key")
    @classmethod
    def _oa_aes_key_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9]{43}", value.get_secret_value()):
            raise ValueError("must be the 43 letters and digits of the OA's EncodingAESKey")
        return value

    @field_validator("webhook_base_url", "telegram_api_base", "public_base_url", "wechat_api_base")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL such as https://bot.example.com")
        return value.rstrip("/") if value else value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_shape(cls, value: str | None) -> str | None:
        if value and not _QUIET.match(value):
            raise ValueError("must look like 22:00-07:00")
        return value or None

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value and not re.match(r"^(rediss?|unix)://\S+$", value):
            # Never echo it: a Redis URL may carry a password.
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value or None

    @field_validator("redis_sentinels", mode="before")
    @classmethod
    def _sentinel_addresses(cls, value: object) -> object:
        """``host:port,host:port``: where the sentinels listen."""
        if not isinstance(value, str):
            return value
        found = []
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            match = _HOST_PORT.match(part)
            if match is None or not 1 <= int(match[2]) <= 65535:
                raise ValueError(f"{part!r} is not host:port (use 10.0.0.1:26379,10.0.0.2:26379)")
            found.append((match[1], int(match[2])))
        return tuple(found)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone name such as Asia/Shanghai") from None
        return value

    @model_validator(mode="after")
    def _reward_month_is_asked(self) -> Settings:
        if self.broker_reward_months not in self.checkin_months:
            raise ValueError(
                "BROKER_REWARD_MONTHS must be one of CHECKIN_MONTHS: the reward is earned "
                "by the worker's answer at that check-in"
            )
        return self

    @model_validator(mode="after")
    def _webhook_pair(self) -> Settings:
        if (self.webhook_base_url is None) != (self.webhook_secret is None):
            raise ValueError(
                "WEBHOOK_BASE_URL and WEBHOOK_SECRET go together: set both or neither"
            )
        return self

    @model_validator(mode="after")
    def _wecom_pair(self) -> Settings:
        if (self.wecom_corp_id is None) != (self.wecom_secret is None):
            raise ValueError("WECOM_CORP_ID and WECOM_SECRET go together: set both or neither")
        return self

    @model_validator(mode="after")
    def _sentinel_pair(self) -> Settings:
        if bool(self.redis_sentinels) != bool(self.redis_sentinel_master):
            raise ValueError(
                "REDIS_SENTINELS and REDIS_SENTINEL_MASTER go together: set both or neither"
            )
        if self.redis_sentinels and self.redis_url:
            raise ValueError("set REDIS_URL or REDIS_SENTINELS, not both")
        return self

    @model_validator(mode="after")
    def _oa_complete(self) -> Settings:
        if self.wechat_oa_token and not (self.wechat_oa_appid and self.wechat_oa_secret):
            raise ValueError(
                "WECHAT_OA_TOKEN needs WECHAT_OA_APPID and WECHAT_OA_SECRET (replies sent late "
                "and status changes go through WeChat's customer-service API)"
            )
        return self

    @property
    def use_webhook(self) -> bool:
        return self.webhook_base_url is not None

    @property
    def bot_id(self) -> str:
        """The bot's numeric id: the token's public part (names its send budget)."""
        return self.bot_token.get_secret_value().partition(":")[0]


class SettingsError(Exception):
    """A setting is missing or malformed; ``str()`` is the one line to show."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"]).upper() or "settings"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "missing":
            message = "is required but not set"
        raise SettingsError(f"setting {name}: {message}") from None

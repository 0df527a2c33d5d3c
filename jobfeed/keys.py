"""Every Redis key and channel name the product uses, in one place.

All names start with a prefix (setting ``REDIS_PREFIX``), so several deployments
or test runs can share one Redis server, and a deployment's keys can be listed
with ``SCAN MATCH prefix:*`` (never ``KEYS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jobfeed.channels import Address


@dataclass(frozen=True, slots=True)
class Keys:
    prefix: str = "zp"

    def _k(self, *parts: object) -> str:
        return ":".join((self.prefix, *(str(p) for p in parts)))

    @property
    def pattern(self) -> str:
        """``SCAN`` pattern that matches every key of this prefix."""
        return f"{self.prefix}:*"

    @property
    def data_version(self) -> str:
        """String: the version of the data layout this prefix holds (``jobfeed.migrations``
        brings it up to date at startup; backups record it)."""
        return self._k("data", "version")

    @property
    def data_migration_lock(self) -> str:
        """Lease (owner token, PX) of the one process migrating the data at startup."""
        return self._k("data", "migrating")

    # --- Telegram update intake (bot.intake) ---------------------------------------------
    @property
    def updates_stream(self) -> str:
        return self._k("updates", "stream")

    @property
    def update_seen_prefix(self) -> str:
        """Prefix of the per-``update_id`` markers (``...:updates:seen:<update_id>``)."""
        return self._k("updates", "seen", "")

    @property
    def polling_offset(self) -> str:
        return self._k("updates", "offset")

    @property
    def update_receiver_prefix(self) -> str:
        """Prefix of each receiving process's heartbeat (``...:updates:receiver:<name>``)."""
        return self._k("updates", "receiver", "")

    @property
    def updates_dead(self) -> str:
        """Sorted set: dead-lettered update ids by the time they gave up."""
        return self._k("updates", "dead")

    @property
    def updates_dead_records(self) -> str:
        """Hash: dead-lettered update id -> JSON (the raw update, the error, attempts)."""
        return self._k("updates", "dead", "records")

    def update_calls(self, update_id: int) -> str:
        """Hash: the Bot API calls made while handling one update, ``index:method`` ->
        the result's JSON (so handling it again repeats none of them)."""
        return self._k("updates", "calls", update_id)

    # --- group matrix (jobfeed.groups) -----------------------------------------------------
    @property
    def groups(self) -> str:
        """Set of the address (``channel:chat``) of every group ever registered."""
        return self._k("groups")

    def group(self, address: Address) -> str:
        """Hash of one group's fields (``...:group:telegram:-100123``)."""
        return self._k("group", address)

    def group_migrated(self, old: Address) -> str:
        """A group's old address -> the address it migrated to."""
        return self._k("group", "migrated", old)

    def legacy_group(self, chat_id: str) -> str:
        """A group's hash as written before addresses (``jobfeed.migrations`` step 1)."""
        return self._k("group", chat_id)

    @property
    def legacy_group_migrated_pattern(self) -> str:
        """``SCAN`` pattern of the forwarding keys (old layout: ``group:migrated:<id>``)."""
        return self._k("group", "migrated", "*")

    # --- vacancies (jobfeed.vacancies) -----------------------------------------------------
    @property
    def vacancies(self) -> str:
        """Hash: vacancy id -> vacancy JSON."""
        return self._k("vacancies")

    @property
    def vacancies_version(self) -> str:
        """Counter bumped on every vacancy change; search indexes poll it."""
        return self._k("vacancies", "version")

    @property
    def vacancies_changes(self) -> str:
        """Pub/sub channel announcing changed vacancy ids."""
        return self._k("vacancies", "changes")

    @property
    def vacancies_active(self) -> str:
        """Sorted set: active vacancy ids by posting time (web pages, feeds)."""
        return self._k("vacancies", "active")

    @property
    def vacancies_active_city_prefix(self) -> str:
        """Prefix of the per-city sorted sets of active ids (``...:active:city:<city>``)."""
        return self._k("vacancies", "active", "city", "")

    @property
    def vacancies_city(self) -> str:
        """Hash: vacancy id -> the city it is listed under (to move it when that changes)."""
        return self._k("vacancies", "city")

    @property
    def vacancies_expiry(self) -> str:
        """Sorted set: active vacancy ids by expiry time (the expiry sweeper)."""
        return self._k("vacancies", "expiry")

    # --- roles (jobfeed.roles) -------------------------------------------------------------
    @property
    def recruiters(self) -> str:
        """Hash: Telegram user id -> recruiter JSON."""
        return self._k("recruiters")

    @property
    def audit_log(self) -> str:
        """List: the audit log, newest first (JSON entries; jobfeed.compliance.audit)."""
        return self._k("audit", "log")

    @property
    def posted_vacancy_seq(self) -> str:
        """Counter numbering vacancies posted from chat (``R-00001``)."""
        return self._k("posted", "seq")

    def submission(self, vacancy_id: str) -> str:
        """Hash: a recruiter's submitted vacancy, its targeting and the admin's decision."""
        return self._k("submission", vacancy_id)

    @property
    def submissions(self) -> str:
        """Sorted set: submitted vacancy ids by submission time."""
        return self._k("submissions")

    def recruiter_vacancies(self, user_id: int) -> str:
        """Sorted set: one recruiter's submitted vacancy ids by submission time."""
        return self._k("submissions", "recruiter", user_id)

    # --- broadcasts (jobfeed.broadcast) ----------------------------------------------------
    @property
    def broadcast_seq(self) -> str:
        """Counter handing out broadcast ids."""
        return self._k("bc", "seq")

    @property
    def broadcasts(self) -> str:
        """Sorted set: every broadcast id by creation time (ms)."""
        return self._k("bc", "all")

    @property
    def broadcasts_due(self) -> str:
        """Sorted set: broadcasts workers should work on, scored by not-before time (ms)."""
        return self._k("bc", "due")

    def broadcast_by_key(self, key: str) -> str:
        """The id of the broadcast created under an idempotency key (``create(key=...)``)."""
        return self._k("bc", "key", key)

    def broadcast(self, broadcast_id: str) -> str:
        """Hash: the broadcast's fields and its outcome counters."""
        return self._k("bc", broadcast_id)

    def broadcast_state(self, broadcast_id: str) -> str:
        """Hash: group address -> its state in this broadcast (the plan and its outcomes)."""
        return self._k("bc", broadcast_id, "state")

    def broadcast_queue(self, broadcast_id: str) -> str:
        """List of group addresses not yet claimed by a worker."""
        return self._k("bc", broadcast_id, "queue")

    def broadcast_address(self, broadcast_id: str) -> str:
        """Hash: group address -> "address|message_id" where it differs from the group's own
        (migrations, edits and withdrawals)."""
        return self._k("bc", broadcast_id, "address")

    def broadcast_unknown(self, broadcast_id: str) -> str:
        """Set of group addresses whose send had an unknown outcome and were not resent."""
        return self._k("bc", broadcast_id, "unknown")

    @property
    def broadcast_workers(self) -> str:
        """Sorted set: live broadcast worker ids by last heartbeat (ms)."""
        return self._k("bc", "workers")

    def broadcast_held(self, worker_id: str) -> str:
        """Set of "broadcast_id|address" tasks a worker has claimed and not finished."""
        return self._k("bc", "held", worker_id)

    # --- send pacing, a budget per channel (jobfeed.broadcast.pacing) ----------------------
    # ``bucket`` names the budget: Telegram's is its bot id (the limits are per bot token).
    def pace_global(self, bucket: str) -> str:
        """Theoretical arrival time (ms) of the next message of one budget."""
        return self._k("pace", bucket, "tat")

    def pace_sent(self, bucket: str) -> str:
        """Sorted set: recent send slots (ms) scored by the latest they can have arrived."""
        return self._k("pace", bucket, "sent")

    def pace_chat_prefix(self, bucket: str) -> str:
        """Prefix of the per-chat lists of reserved send times (ms) in the last window."""
        return self._k("pace", bucket, "chat", "")

    # --- search analytics (jobfeed.search) -------------------------------------------------
    def search_queries(self, day: str) -> str:
        """Sorted set: normalised query text -> searches on ``day`` (YYYY-MM-DD, China time)."""
        return self._k("search", "queries", day)

    def search_zero(self, day: str) -> str:
        """Sorted set: normalised query text -> searches on ``day`` that found nothing."""
        return self._k("search", "zero", day)

    def search_counts(self, day: str) -> str:
        """Hash: ``searches`` and ``zero`` counted on ``day``."""
        return self._k("search", "counts", day)

    def search_scratch(self, token: str) -> str:
        """Short-lived sorted set adding several days up for a summary."""
        return self._k("search", "scratch", token)

    # --- search in chat (jobfeed.search.saved, jobfeed.search.throttle) --------------------
    def search_saved(self, token: str) -> str:
        """A search (query and filters) named by a 更多 link or a paging button; expires."""
        return self._k("search", "saved", token)

    def search_last(self, user_id: int) -> str:
        """String: the token of the search a user last asked in private chat; expires."""
        return self._k("search", "last", user_id)

    def search_reply_user(self, user_id: int) -> str:
        """The group message a user was last answered for; expires after the user interval."""
        return self._k("search", "reply", "user", user_id)

    def search_reply_group(self, chat_id: int) -> str:
        """Sorted set: search replies in one group in the last minute, by time (ms)."""
        return self._k("search", "reply", "group", chat_id)

    # --- applications and résumés (jobfeed.applications) -----------------------------------
    def resume(self, user_id: int) -> str:
        """One job seeker's résumé JSON; expires after RESUME_RETENTION_DAYS."""
        return self._k("resume", user_id)

    @property
    def applications_seq(self) -> str:
        """Counter handing out application numbers."""
        return self._k("applications", "seq")

    def application(self, number: int | str) -> str:
        """Hash of one application's non-personal fields (status, vacancy, recruiter)."""
        return self._k("application", number)

    def application_personal(self, number: int | str) -> str:
        """The application's personal part (résumé snapshot, answers); expires."""
        return self._k("application", number, "personal")

    def application_history(self, number: int) -> str:
        """List of status changes of one application."""
        return self._k("application", number, "history")

    @property
    def applications_all(self) -> str:
        """Sorted set: every application number by creation time."""
        return self._k("applications", "all")

    def applications_by_vacancy(self, vacancy_id: str) -> str:
        return self._k("applications", "vacancy", vacancy_id)

    def applications_by_recruiter(self, recruiter_id: int) -> str:
        return self._k("applications", "recruiter", recruiter_id)

    def applications_by_applicant(self, user_id: int) -> str:
        return self._k("applications", "applicant", user_id)

    def applicant_vacancies(self, user_id: int) -> str:
        """Hash: vacancy id -> application number, so one applies once per vacancy."""
        return self._k("applications", "applicant", user_id, "vacancies")

    @property
    def applications_access(self) -> str:
        """Stream: every view, export and status change of an application by staff."""
        return self._k("applications", "access")

    @property
    def applications_undelivered(self) -> str:
        """Sorted set: applications whose card a transient error kept from the recruiter,
        by the time of the last attempt; sent again later."""
        return self._k("applications", "undelivered")

    def application_delivery_claim(self, number: int) -> str:
        """Lease (owner token, PX) of the one process sending this application's card."""
        return self._k("application", number, "delivering")

    # --- feeds (jobfeed.sources) -----------------------------------------------------------
    @property
    def feeds_seen(self) -> str:
        """Hash: source name + source id -> "vacancy id, content digest" of the last import."""
        return self._k("feeds", "seen")

    def feeds_fingerprints(self, city: str) -> str:
        """Hash: vacancy id -> "source, employer, title" keys of a city's feed vacancies."""
        return self._k("feeds", "fp", city)

    def feed_state(self, source: str) -> str:
        """Hash: one source's poll state (validators, failures, next poll, last report)."""
        return self._k("feeds", "state", source)

    @property
    def feeds_posts(self) -> str:
        """Hash: vacancy id -> "source, broadcast id" of the post that announced it."""
        return self._k("feeds", "posts")

    def feeds_digest(self, source: str) -> str:
        """Sorted set: a digest source's new vacancy ids waiting for its next digest."""
        return self._k("feeds", "digest", source)

    @property
    def feeds_digest_sent(self) -> str:
        """Hash: source -> when its last digest went out (Unix seconds)."""
        return self._k("feeds", "digest", "sent")

    @property
    def feeds_ended(self) -> str:
        """Sorted set: ended vacancies whose posts are still to edit or withdraw, by due time."""
        return self._k("feeds", "ended")

    # --- dashboard sessions and sign-in throttling (bot.dashboard) -------------------------
    def dashboard_session(self, digest: str) -> str:
        """One dashboard session, by the SHA-256 of its cookie value; expires."""
        return self._k("dashboard", "session", digest)

    def dashboard_failures_ip(self, ip: str) -> str:
        """Failed sign-ins from one address in the current window; expires."""
        return self._k("dashboard", "failures", "ip", ip)

    def dashboard_failures_account(self, account: str) -> str:
        """Failed sign-ins for one account in the current window; expires."""
        return self._k("dashboard", "failures", "account", account)

    # --- the web apply form (bot.web.apply) ------------------------------------------------
    def web_form_used(self, nonce: str) -> str:
        """A form token already submitted (a replay is refused); expires with the token."""
        return self._k("web", "form", "used", nonce)

    def web_apply_address(self, address: str) -> str:
        """Form submissions from one client address in the current window; expires."""
        return self._k("web", "apply", "address", address)

    def web_apply_phone(self, applicant: int) -> str:
        """Applications of one phone (by its keyed-hash applicant id) in the window; expires."""
        return self._k("web", "apply", "phone", applicant)

    # --- availability and alerts (jobfeed.matching) ----------------------------------------
    @property
    def availabilities(self) -> str:
        """Hash: availability id -> JSON (``jobfeed.matching.models.Availability``)."""
        return self._k("matching", "availability")

    def person_availabilities(self, person: int | str) -> str:
        """Set: the ids of one person's availabilities."""
        return self._k("matching", "person", person)

    @property
    def availabilities_off(self) -> str:
        """Set: availability ids whose alerts are stopped (``/unsubscribe``, a blocked bot)."""
        return self._k("matching", "off")

    @property
    def availabilities_expiry(self) -> str:
        """Sorted set: availability id -> when the retention period ends (Unix seconds)."""
        return self._k("matching", "expiry")

    @property
    def availabilities_changes(self) -> str:
        """Stream: an entry (``id``) per availability written or deleted, for the matchers."""
        return self._k("matching", "changes")

    @property
    def vacancies_opened(self) -> str:
        """Stream: an entry (``id``) per save of a listed vacancy (``save_vacancies.lua``),
        read by the alert matcher's consumer group."""
        return self._k("vacancies", "opened")

    @property
    def alerts_queue(self) -> str:
        """Sorted set: ``a:<person>:<vacancy id>`` (one alert) or ``d:<person>`` (the
        digest) -> when it is due (Unix seconds); a claimed item is leased ahead."""
        return self._k("alerts", "queue")

    def alerts_sent(self, person: int) -> str:
        """Set: vacancy ids a person was alerted of (or that went into their digest)."""
        return self._k("alerts", "sent", person)

    def alerts_day(self, person: int, day: str) -> str:
        """String: alerts sent to a person on a local day (``YYYYMMDD``); expires."""
        return self._k("alerts", "day", person, day)

    def alerts_digest(self, person: int) -> str:
        """Set: vacancy ids over the day's cap, waiting for the person's daily digest."""
        return self._k("alerts", "digest", person)

    @property
    def alerts_attempts(self) -> str:
        """Hash: queue item -> failed attempts so far."""
        return self._k("alerts", "attempts")

    @property
    def alerts_dead(self) -> str:
        """Hash: queue item -> JSON (the error, attempts, when) of alerts given up on."""
        return self._k("alerts", "dead")

    # --- chats named by a secret, and mass sends a person confirms -----------------------
    def chat_secrets(self, channel: str) -> str:
        """Hash: chat -> its secret (a group robot's webhook key); never logged or shown."""
        return self._k("channel", channel, "secrets")

    def chat_errors(self, channel: str) -> str:
        """Hash: chat -> JSON of the last error the channel answered for it (code, text, when)."""
        return self._k("channel", channel, "errors")

    def channel_token(self, channel: str) -> str:
        """String: a channel's access token, expiring before the channel's own expiry."""
        return self._k("channel", channel, "token")

    def channel_token_lock(self, channel: str) -> str:
        """String: held (with a TTL) by the one process refreshing the access token."""
        return self._k("channel", channel, "token", "lock")

    def channel_settings(self, channel: str) -> str:
        """Hash: a channel's settings registered at runtime (they override the environment)."""
        return self._k("channel", channel, "settings")

    def confirmations(self, broadcast_id: str) -> str:
        """Hash: ``task:<sender>`` -> JSON of one mass-send task a person must confirm, and
        ``chat:<chat>`` -> that chat's result (``jobfeed.confirmations``)."""
        return self._k("confirm", broadcast_id)

    @property
    def confirmations_open(self) -> str:
        """Sorted set: broadcast ids with mass sends not settled yet -> when next to look."""
        return self._k("confirm", "open")

    @property
    def confirmations_poll(self) -> str:
        """Lease (PX) of the one process asking the channel for results this round."""
        return self._k("confirm", "poll")

    def chat_members(self, channel: str) -> str:
        """Hash: chat (a person handed mass sends) -> JSON list of the chats they send to."""
        return self._k("channel", channel, "members")

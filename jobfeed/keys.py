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

    def applications_by_source(self, source: str) -> str:
        """Sorted set: the application numbers filed through one channel (or the web), by
        creation time (statistics per source)."""
        return self._k("applications", "source", source)

    @property
    def application_sources(self) -> str:
        """Set: every source an application was filed through."""
        return self._k("applications", "sources")

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

    # --- channels whose server pushes messages and waits for a reply (bot adapters) ---
    def channel_access_token(self, channel: str) -> str:
        """Hash: ``token`` and ``expires`` (Unix seconds) of a channel's API access token."""
        return self._k("channel", channel, "access_token")

    def channel_access_token_lock(self, channel: str) -> str:
        """Lease (owner token, PX) of the one process refreshing a channel's access token."""
        return self._k("channel", channel, "access_token", "refreshing")

    def channel_reply(self, channel: str, message: str) -> str:
        """String: the reply given to one inbound message (its id); a retry gets the same.
        ``pending`` while it is being worked out; expires after minutes."""
        return self._k("channel", channel, "reply", message)

    def channel_people(self, channel: str) -> str:
        """Hash: person (the number applications name) -> the channel's id of that person."""
        return self._k("channel", channel, "people")

    def channel_chat(self, channel: str, person: int) -> str:
        """String: JSON of a person's conversation in the channel (résumé step); expires."""
        return self._k("channel", channel, "chat", person)

    def channel_late(self, channel: str) -> str:
        """Hash: message key -> JSON of an inbound message acknowledged before it was
        handled (``jobfeed.inbound``); gone once its reply went out."""
        return self._k("channel", channel, "late")

    def channel_late_claim(self, channel: str, message: str) -> str:
        """String (owner token, PX): a process handling a kept message again."""
        return self._k("channel", channel, "late", "claim", message)

    def channel_dead(self, channel: str) -> str:
        """Hash: message key -> JSON of a kept message given up on, for an admin to replay."""
        return self._k("channel", channel, "dead")

    def channel_held(self, channel: str, person: int) -> str:
        """List: texts that could not reach a person yet, given with their next message."""
        return self._k("channel", channel, "held", person)

    # --- groupcare: welcomes, FAQ, moderation (jobfeed.groupcare) ------------------------
    def groupcare_settings(self, group: int) -> str:
        """Hash: a group's own settings: ``welcome`` (on/off), ``welcome_text``, ``policy``
        (off, warn, mute, ban)."""
        return self._k("groupcare", "settings", group)

    @property
    def welcome_due(self) -> str:
        """Sorted set: group -> when its next welcome is due (Unix seconds)."""
        return self._k("welcome", "due")

    def welcome_newcomers(self, group: int) -> str:
        """List: JSON ``[member id, name]`` of people who joined since the last welcome."""
        return self._k("welcome", "newcomers", group)

    @property
    def welcome_last(self) -> str:
        """Hash: group -> JSON ``{"at", "message"}`` of its last welcome (to delete it)."""
        return self._k("welcome", "last")

    @property
    def faq_entries(self) -> str:
        """Hash: FAQ id -> JSON entry (questions, keywords, answer, scope)."""
        return self._k("faq", "entries")

    @property
    def faq_seq(self) -> str:
        """String: the last FAQ id given."""
        return self._k("faq", "seq")

    @property
    def faq_stats(self) -> str:
        """Hash: ``answered``, ``escalated``, ``unanswered`` -> count."""
        return self._k("faq", "stats")

    @property
    def faq_unanswered(self) -> str:
        """List: JSON of questions the bot could not answer, newest first (capped)."""
        return self._k("faq", "unanswered")

    @property
    def escalation_seq(self) -> str:
        """String: the last escalation number given."""
        return self._k("escalation", "seq")

    def escalation(self, number: int) -> str:
        """Hash: an escalated question: asker, question, status, who answered."""
        return self._k("escalation", number)

    def moderation_strikes(self, group: int) -> str:
        """Hash: member -> scam or spam messages removed in the group (warn, then policy)."""
        return self._k("moderation", "strikes", group)

    @property
    def moderation_seq(self) -> str:
        """String: the last moderation case number given."""
        return self._k("moderation", "seq")

    def moderation_case(self, number: int) -> str:
        """Hash: one moderation case: ``data`` (JSON: what was removed, why, what was done),
        ``restored_by`` once an admin restored it (the first press wins)."""
        return self._k("moderation", "case", number)

    @property
    def moderation_log(self) -> str:
        """List: JSON of every moderation action, newest first (capped)."""
        return self._k("moderation", "log")

    @property
    def moderation_exceptions(self) -> str:
        """Set: ``rule<TAB>span`` the admins restored: the checker lets them through."""
        return self._k("moderation", "exceptions")

    # --- compliance: releasing a held vacancy once (jobfeed.compliance.release) ---
    def release_claim(self, vacancy_id: str) -> str:
        """String (owner token, PX): a release of this vacancy under way."""
        return self._k("compliance", "releasing", vacancy_id)

    # --- placements, retention check-ins and brokers (jobfeed.placements, jobfeed.brokers) ---
    def placement(self, number: int | str) -> str:
        """Hash: ``record`` (JSON, no personal data), ``start``, ``pay``, ``broker``, and per
        check-in month ``asked:<m>``, ``answer:<m>`` (JSON), ``reminded:<m>``, ``tries:<m>``."""
        return self._k("placement", number)

    def placement_personal(self, number: int | str) -> str:
        """String: JSON of the placed worker's personal data (gone after ``/forget``)."""
        return self._k("placement", number, "personal")

    @property
    def placements_all(self) -> str:
        """Sorted set: placement number -> start date (Unix seconds, local midnight)."""
        return self._k("placements", "all")

    def placements_by_worker(self, person: int | str) -> str:
        """Set: placement numbers of one worker (what ``/forget`` scrubs)."""
        return self._k("placements", "worker", person)

    @property
    def checkins_due(self) -> str:
        """Sorted set: ``<placement>:<months>`` -> when the worker is to be asked."""
        return self._k("placements", "checkins")

    @property
    def checkin_reminders(self) -> str:
        """Sorted set: ``<placement>:<months>`` -> when the recruiter is reminded of an
        unanswered check-in."""
        return self._k("placements", "reminders")

    def broker(self, person: int | str) -> str:
        """String: JSON of one broker (``jobfeed.brokers.models.Broker``)."""
        return self._k("broker", person)

    @property
    def broker_codes(self) -> str:
        """Hash: broker code -> the broker's person id."""
        return self._k("brokers", "codes")

    @property
    def brokers_pending(self) -> str:
        """Set: person ids asking to be brokers."""
        return self._k("brokers", "pending")

    @property
    def broker_touch(self) -> str:
        """Hash: person id -> the code of the broker who brought them (first touch only)."""
        return self._k("brokers", "touch")

    def broker_people(self, code: str) -> str:
        """Sorted set: person ids a broker brought -> when."""
        return self._k("brokers", "people", code)

    def broker_visits(self, code: str) -> str:
        """String: job-page visits through a broker's links (crawlers not counted)."""
        return self._k("brokers", "visits", code)

    @property
    def broker_invites(self) -> str:
        """Hash: a group invite link made for a broker -> the broker's code."""
        return self._k("brokers", "invites")

    def broker_invite_links(self, code: str) -> str:
        """Hash: group address -> the invite link made for one broker there."""
        return self._k("brokers", "invite-links", code)

    @property
    def batches_seq(self) -> str:
        """String: the last departure batch number."""
        return self._k("batches", "seq")

    def batch(self, number: int | str) -> str:
        """Hash: ``record`` (JSON), ``members`` (JSON list of placements), and per placement
        ``confirmed:<number>`` (when its worker confirmed)."""
        return self._k("batch", number)

    @property
    def batch_reminders(self) -> str:
        """Sorted set: batch number -> when its workers are reminded (the day before)."""
        return self._k("batches", "reminders")

    def placement_id_number(self, number: int | str) -> str:
        """String: the worker's ID number, encrypted (only when an office turns it on)."""
        return self._k("placement", number, "id")

    # --- matching: candidates, invitations, lists, figures (jobfeed.matching) ---------------
    def invitations(self, vacancy_id: str) -> str:
        """Hash: person -> JSON invitation (``jobfeed.matching.invitations``) to a vacancy."""
        return self._k("matching", "invitation", vacancy_id)

    def person_invitations(self, person: int | str) -> str:
        """Set: the vacancy ids a person was invited to (``/forget`` deletes their answers)."""
        return self._k("matching", "invitations", "person", person)

    def matching_figures(self, day: str) -> str:
        """Hash: counter -> value for one local day (``YYYYMMDD``): alerts sent, invitations…"""
        return self._k("matching", "figures", day)

    def matching_alerted(self, day: str) -> str:
        """Set: ``<person>:<vacancy id>`` alerted on a local day (applications from alerts)."""
        return self._k("matching", "alerted", day)

    def matching_invited(self, day: str) -> str:
        """Set: ``<person>:<vacancy id>`` invited on a local day (their outcomes)."""
        return self._k("matching", "invitations", "day", day)

    @property
    def seekers_access(self) -> str:
        """Stream: reads of job seekers' availabilities (who, what, when), capped."""
        return self._k("matching", "access")

    def group_cards(self, token: str) -> str:
        """String: a 找活 card's availability awaiting the poster's consent; expires."""
        return self._k("matching", "card", token)

    def alerts_unopened(self, person: int) -> str:
        """String: alerts sent to a person in a row without an open (the cap halves)."""
        return self._k("alerts", "unopened", person)

    def alerts_opened(self, person: int) -> str:
        """Set: vacancy ids whose alert the person opened (counted once each)."""
        return self._k("alerts", "opened", person)

    def recruiter_digest(self, recruiter: int, day: str) -> str:
        """String: the recruiter's daily digest of new candidates went out that day; expires."""
        return self._k("matching", "digest", recruiter, day)

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

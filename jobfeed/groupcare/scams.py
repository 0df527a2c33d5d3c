"""Which group messages are scams or spam: fees asked of job seekers, contacts and QR codes
that lead out of the group, links to other groups, mass mentions.

The rules are data (``templates/moderation/rules.json``), each naming where it comes from;
this module only runs them. It is pure and in memory: most group messages cost one
prefilter pass (the rules' ``needs`` words) and no Redis command.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jobfeed.search.normalise import simplified
from jobfeed.texts import TEMPLATES_DIR

RULES_FILE = TEMPLATES_DIR / "moderation" / "rules.json"
_FRAGMENT = re.compile(r"@([A-Z_]+)@")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31}\b")
WINDOW = 16  # characters looked at before and after a match for unless_before/after


@dataclass(frozen=True, slots=True)
class Probe:
    """What a checker sees of a message: its text or caption, and what else it carries."""

    text: str = ""
    picture: bool = False  # a photo or an image file (a QR code travels this way)
    contact_card: bool = False
    mentions: int = 0  # mention entities; @names in the text are counted too
    links: tuple[str, ...] = ()  # hidden link targets (text links)


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: str
    kind: str  # fee, contact, link, qr, contact_card, mentions
    span: str  # what triggered it, as the checker read it
    message: str  # why, for the report

    @property
    def exception_key(self) -> str:
        """What an admin's restore lets through from then on: this rule on this span."""
        return f"{self.rule}\t{self.span}"


@dataclass(frozen=True, slots=True)
class ScamRule:
    id: str
    kind: str
    source: tuple[str, ...]
    message: str
    needs: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    unless_before: re.Pattern[str] | None
    unless_after: re.Pattern[str] | None
    allow: tuple[re.Pattern[str], ...] = field(default=())


def message_key(text: str) -> str:
    """The exception that lets a restored message through again, word for word."""
    return f"message\t{' '.join(read_text(text).split())}"


def read_text(text: str) -> str:
    """The text as the rules read it: simplified, half-width, lower case, spaces kept."""
    return simplified(unicodedata.normalize("NFKC", text))


class ScamChecker:
    def __init__(
        self,
        rules: tuple[ScamRule, ...],
        sources: dict[str, str],
        mentions_threshold: int,
        own_links: tuple[str, ...] = (),
    ) -> None:
        self.rules = rules
        self.sources = sources
        self.mentions_threshold = mentions_threshold
        self.own_links = tuple(link.lower() for link in own_links if link)

    @classmethod
    def load(cls, path: Path = RULES_FILE, own_links: tuple[str, ...] = ()) -> ScamChecker:
        """``own_links``: the product's own addresses (the bot's own link, the job site),
        never taken for another group's."""
        data = json.loads(path.read_text("utf-8"))
        fragments: dict[str, str] = data["fragments"]
        rules = tuple(_rule(raw, fragments) for raw in data["rules"])
        return cls(rules, data["sources"], int(data["mentions_threshold"]), own_links)

    def with_links(self, own_links: tuple[str, ...]) -> ScamChecker:
        return ScamChecker(self.rules, self.sources, self.mentions_threshold, own_links)

    def check(self, probe: Probe, exceptions: frozenset[str] = frozenset()) -> Verdict | None:
        """The first rule the message breaks that no exception lets through, or None.
        ``exceptions``: ``Verdict.exception_key`` (a rule on a span) and ``message_key``."""
        if probe.contact_card:
            verdict = Verdict("contact_card", "contact_card", "名片", "发送联系人名片")
            if verdict.exception_key not in exceptions:
                return verdict
        mentions = max(probe.mentions, len(_MENTION.findall(probe.text)))
        if mentions >= self.mentions_threshold:
            verdict = Verdict("mentions", "mentions", f"@×{mentions}", "群发@成员")
            if verdict.exception_key not in exceptions:
                return verdict
        text = read_text(" ".join((probe.text, *probe.links)))
        if not text or (exceptions and message_key(probe.text) in exceptions):
            return None
        for rule in self.rules:
            if rule.kind == "qr":
                if probe.picture and (found := self._qr(rule, text, exceptions)):
                    return found
                continue
            if rule.needs and not any(word in text for word in rule.needs):
                continue
            if found := self._wording(rule, text, exceptions):
                return found
        return None

    def _wording(self, rule: ScamRule, text: str, exceptions: frozenset[str]) -> Verdict | None:
        for pattern in rule.patterns:
            for found in pattern.finditer(text):
                span = found.group().strip()
                if not span or self._excused(rule, text, found, span):
                    continue
                verdict = Verdict(rule.id, rule.kind, span, rule.message)
                if verdict.exception_key not in exceptions:
                    return verdict
        return None

    def _qr(self, rule: ScamRule, text: str, exceptions: frozenset[str]) -> Verdict | None:
        """A picture whose caption says to scan it, or leads to a group or a contact."""
        for pattern in rule.patterns:
            found = pattern.search(text)
            if found is not None:
                verdict = Verdict(rule.id, rule.kind, found.group(), rule.message)
                if verdict.exception_key not in exceptions:
                    return verdict
        return None

    def _excused(self, rule: ScamRule, text: str, found: re.Match[str], span: str) -> bool:
        if any(own in span for own in self.own_links):
            return True
        if any(allow.fullmatch(span) for allow in rule.allow):
            return True
        before = text[max(0, found.start() - WINDOW) : found.start()]
        after = text[found.end() : found.end() + WINDOW]
        if rule.unless_before is not None and rule.unless_before.search(before):
            return True
        return rule.unless_after is not None and bool(rule.unless_after.search(after))


def _expand(pattern: str, fragments: dict[str, str]) -> str:
    return _FRAGMENT.sub(lambda m: fragments[m.group(1)], pattern)


def _compiled(pattern: str, fragments: dict[str, str]) -> re.Pattern[str] | None:
    return re.compile(_expand(pattern, fragments)) if pattern else None


def _rule(raw: dict[str, Any], fragments: dict[str, str]) -> ScamRule:
    return ScamRule(
        id=raw["id"],
        kind=raw["kind"],
        source=tuple(raw["source"]),
        message=raw["message"],
        needs=tuple(raw.get("needs", ())),
        patterns=tuple(re.compile(_expand(p, fragments)) for p in raw["patterns"]),
        unless_before=_compiled(raw.get("unless_before", ""), fragments),
        unless_after=_compiled(raw.get("unless_after", ""), fragments),
        allow=tuple(re.compile(_expand(p, fragments)) for p in raw.get("allow", ())),
    )

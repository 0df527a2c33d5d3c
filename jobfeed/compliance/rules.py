"""The checker's rules, read from ``templates/compliance/rules.json`` (data, not code).

A rule names the law it comes from (keys of ``laws``). Wording rules are regular
expressions in which ``@NAME@`` stands for ``fragments[NAME]``; a match is let go when
``unless_before`` finds a negation just before it in the same clause ("不收押金"), when
``unless_after`` finds one just after it ("押金全免"), or when the whole span fits an
``allow`` pattern ("18岁以上", the legal minimum age).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jobfeed.compliance.findings import Severity
from jobfeed.texts import TEMPLATES_DIR

RULES_FILE = TEMPLATES_DIR / "compliance" / "rules.json"
_FRAGMENT = re.compile(r"@([A-Z_]+)@")
Check = Literal["text", "given", "pay", "expiry"]


class RulesError(ValueError):
    """The rules file is malformed: ``str()`` names the rule and what is wrong."""


@dataclass(frozen=True, slots=True)
class RequiredRule:
    id: str
    field: str
    check: Check
    law: str
    message: str
    suggestion: str
    invalid: re.Pattern[str] | None = None  # a value that does not count ("某公司")


@dataclass(frozen=True, slots=True)
class WordingRule:
    id: str
    severity: Severity
    law: str
    message: str
    suggestion: str
    replacement: str | None
    patterns: tuple[re.Pattern[str], ...]
    needs: re.Pattern[str] | None = None  # a text without one of these words is skipped
    needs_words: tuple[str, ...] = ()
    any: re.Pattern[str] | None = None  # every pattern in one: nothing found, nothing to do
    allow: tuple[re.Pattern[str], ...] = ()
    unless_before: re.Pattern[str] | None = None
    unless_after: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    required: tuple[RequiredRule, ...]
    wording: tuple[WordingRule, ...]

    @classmethod
    def load(cls, path: Path = RULES_FILE) -> Rules:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RulesError(f"{path}: {exc}") from None
        return cls.parse(data)

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Rules:
        laws: dict[str, str] = data.get("laws", {})
        fragments: dict[str, str] = data.get("fragments", {})
        seen: set[str] = set()

        def law_of(rule: dict[str, Any]) -> str:
            names = rule.get("law") or []
            unknown = [name for name in names if name not in laws]
            if not names or unknown:
                raise RulesError(f"rule {rule.get('id')}: unknown or no law {unknown}")
            return "；".join(laws[name] for name in names)

        def compile_(rule_id: str, text: str) -> re.Pattern[str]:
            expanded = _FRAGMENT.sub(lambda m: _fragment(fragments, rule_id, m.group(1)), text)
            try:
                return re.compile(expanded)
            except re.error as exc:
                raise RulesError(f"rule {rule_id}: bad pattern {text!r}: {exc}") from None

        def once(rule_id: str) -> str:
            if not rule_id or rule_id in seen:
                raise RulesError(f"rule id missing or repeated: {rule_id!r}")
            seen.add(rule_id)
            return rule_id

        required = tuple(
            RequiredRule(
                id=once(r["id"]),
                field=r["field"],
                check=r["check"],
                law=law_of(r),
                message=r["message"],
                suggestion=r["suggestion"],
                invalid=compile_(r["id"], r["invalid"]) if r.get("invalid") else None,
            )
            for r in data.get("required", [])
        )
        wording = []
        for r in data.get("wording", []):
            rule_id = once(r["id"])
            patterns = tuple(compile_(rule_id, p) for p in r.get("patterns", []))
            if not patterns:
                raise RulesError(f"rule {rule_id}: no patterns")
            wording.append(
                WordingRule(
                    id=rule_id,
                    severity=Severity(r["severity"]),
                    law=law_of(r),
                    message=r["message"],
                    suggestion=r["suggestion"],
                    replacement=r.get("replacement"),
                    patterns=patterns,
                    any=re.compile("|".join(f"(?:{p.pattern})" for p in patterns)),
                    needs_words=tuple(r.get("needs", [])),
                    needs=re.compile("|".join(map(re.escape, r["needs"])))
                    if r.get("needs")
                    else None,
                    allow=tuple(compile_(rule_id, p) for p in r.get("allow", [])),
                    unless_before=compile_(rule_id, r["unless_before"])
                    if r.get("unless_before")
                    else None,
                    unless_after=compile_(rule_id, r["unless_after"])
                    if r.get("unless_after")
                    else None,
                )
            )
        return cls(required=required, wording=tuple(wording))


def _fragment(fragments: dict[str, str], rule_id: str, name: str) -> str:
    if name not in fragments:
        raise RulesError(f"rule {rule_id}: unknown fragment @{name}@")
    return fragments[name]

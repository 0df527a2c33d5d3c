"""What the checker says about a vacancy: findings, a verdict, and an admin's override.

Kept apart from ``jobfeed.models`` (which stores a ``Review`` on each vacancy) so that the
checker can import the models without a cycle.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    forbid = "forbid"  # unlawful wording: the vacancy is held
    missing = "missing"  # a field the law requires is absent: the vacancy is held
    flag = "flag"  # discouraged (e.g. age limits): shown to the admin, not held


class Verdict(StrEnum):
    ok = "ok"
    flagged = "flagged"
    held = "held"


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str  # the rule's id in rules.json, e.g. "gender"
    severity: Severity
    law: str  # where the rule comes from
    field: str  # the vacancy's field: "requirements", "description", ...
    span: str = ""  # the words that triggered it ("" for a missing field)
    start: int | None = None  # offsets of ``span`` in the field's text
    end: int | None = None
    message: str  # what is wrong, in Chinese
    suggestion: str  # how to say it lawfully
    replacement: str | None = None  # what to write instead of ``span`` ("" = delete it)

    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.field, self.span)


class Override(BaseModel):
    """An admin let a held vacancy through; the reason is recorded (and audited)."""

    model_config = ConfigDict(frozen=True)

    by: str  # "web:<account>", "telegram:<user id>" or "api"
    reason: str = Field(min_length=1, max_length=500)
    at: datetime


class Review(BaseModel):
    """The checker's verdict on a vacancy, stored with it (``Vacancy.compliance``)."""

    model_config = ConfigDict(frozen=True)

    status: Verdict = Verdict.ok
    findings: list[Finding] = Field(default_factory=list)
    override: Override | None = None

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is not Severity.flag]

    @property
    def flags(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.flag]

    @property
    def holds(self) -> bool:
        """Held and not let through by an admin."""
        return self.status is Verdict.held and self.override is None

    def same_findings(self, other: Review | None) -> bool:
        return other is not None and {f.key() for f in self.findings} == {
            f.key() for f in other.findings
        }

    def summary(self, limit: int = 5) -> str:
        """One line naming the blocking findings, e.g. for an API error."""
        parts = [
            f"{f.rule} ({f.field}: {f.span})" if f.span else f"{f.rule} ({f.field})"
            for f in self.blocking[:limit]
        ]
        more = len(self.blocking) - limit
        return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")

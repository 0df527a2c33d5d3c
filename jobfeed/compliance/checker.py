"""The post checker: what the rules find in a vacancy, and the vacancy as it is kept.

``review`` reads; ``apply`` is what every path (API, ``/post``, import, edit) calls before
saving: a vacancy with a forbidden finding or a missing required field becomes ``held``
(not broadcast, not listed) unless an admin let the same findings through before.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from jobfeed.compliance.findings import Finding, Review, Severity, Verdict
from jobfeed.compliance.rules import RequiredRule, Rules, WordingRule
from jobfeed.models import Vacancy, VacancyStatus

_CLAUSE_END = re.compile(r"[，。,.;；！!？?\n、：:（）()]")
_BEFORE = 8  # characters before a match that unless_before looks at
_AFTER = 8
# Statuses the checker may turn into ``held`` (a closed or rejected vacancy stays so).
_HOLDABLE = frozenset({VacancyStatus.active, VacancyStatus.pending, VacancyStatus.held})


class PostChecker:
    def __init__(self, rules: Rules) -> None:
        self._rules = rules
        # One pass over a text finds the rules worth trying (their ``needs`` words);
        # rules without ``needs`` are always tried.
        self._always = {i for i, r in enumerate(rules.wording) if r.needs is None}
        self._by_word: dict[str, set[int]] = {}
        for index, rule in enumerate(rules.wording):
            for word in rule.needs_words:
                self._by_word.setdefault(word, set()).add(index)
        # A found word stands for every needs word inside it too ("体检费" holds "费"),
        # since the one pass does not report the words overlapping it.
        self._by_word = {
            word: set().union(
                *(rules_ for inner, rules_ in self._by_word.items() if inner in word)
            )
            for word in self._by_word
        }
        words = sorted(self._by_word, key=len, reverse=True)
        self._words = re.compile("|".join(map(re.escape, words))) if words else None

    @classmethod
    def load(cls) -> PostChecker:
        return cls(Rules.load())

    def review(self, vacancy: Vacancy, *, absent: Collection[str] = ()) -> Review:
        """Every finding on the vacancy. ``absent`` names fields the author did not give
        (an API body without ``headcount`` has the model's default of 1)."""
        findings = [f for rule in self._rules.required if (f := _missing(rule, vacancy, absent))]
        for field, text in _texts(vacancy):
            for rule in self._candidates(text):
                findings.extend(_wording(rule, field, text))
        if any(f.severity is not Severity.flag for f in findings):
            status = Verdict.held
        else:
            status = Verdict.flagged if findings else Verdict.ok
        return Review(status=status, findings=findings)

    def _candidates(self, text: str) -> list[WordingRule]:
        """The rules that may match ``text``, in the rules file's order."""
        found = set(self._always)
        if self._words is not None:
            for word in set(self._words.findall(text)):
                found |= self._by_word[word]
        return [self._rules.wording[i] for i in sorted(found)]

    def apply(
        self,
        vacancy: Vacancy,
        *,
        previous: Vacancy | None = None,
        absent: Collection[str] = (),
    ) -> Vacancy:
        """The vacancy with its review, and ``held`` if the review holds it.

        An admin's override carries over from ``previous`` while the findings stay the
        same. Otherwise the caller's status stands (a closed or rejected vacancy stays
        so), except that a held vacancy whose blocking findings are gone becomes active.
        """
        review = self.review(vacancy, absent=absent)
        before = previous.compliance if previous is not None else None
        if before is not None and before.override is not None and review.same_findings(before):
            review = review.model_copy(update={"override": before.override})
        status = vacancy.status
        if review.holds and status in _HOLDABLE:
            status = VacancyStatus.held
        elif status is VacancyStatus.held and not review.holds:
            status = VacancyStatus.active
        return vacancy.model_copy(update={"compliance": review, "status": status})


def _texts(vacancy: Vacancy) -> Iterator[tuple[str, str]]:
    yield "title", vacancy.title
    yield "requirements", vacancy.requirements
    yield "description", vacancy.description
    if vacancy.benefits:
        yield "benefits", "、".join(vacancy.benefits)


def _missing(rule: RequiredRule, vacancy: Vacancy, absent: Collection[str]) -> Finding | None:
    if rule.check == "given":
        ok = rule.field not in absent
    elif rule.check == "pay":
        ok = vacancy.salary_min is not None or vacancy.salary_max is not None
    elif rule.check == "expiry":
        ok = vacancy.expires_at is not None
    else:
        value = str(getattr(vacancy, rule.field, "") or "").strip()
        ok = bool(value) and not (rule.invalid is not None and rule.invalid.search(value))
    if ok:
        return None
    return Finding(
        rule=rule.id,
        severity=Severity.missing,
        law=rule.law,
        field=rule.field,
        message=rule.message,
        suggestion=rule.suggestion,
    )


def _wording(rule: WordingRule, field: str, text: str) -> list[Finding]:
    if not text:
        return []
    if rule.any is not None and rule.any.search(text) is None:
        return []
    matches = sorted(
        {(m.start(), m.end()) for pattern in rule.patterns for m in pattern.finditer(text)},
        key=lambda span: (span[0], -span[1]),
    )
    allowed = [s for s in matches if any(a.fullmatch(text[s[0] : s[1]]) for a in rule.allow)]
    taken: list[tuple[int, int]] = []  # overlapping matches become one span
    for start, end in matches:
        if any(start < b and a < end for a, b in allowed) or _negated(rule, text, start, end):
            continue
        if taken and start < taken[-1][1]:
            taken[-1] = (taken[-1][0], max(end, taken[-1][1]))
        else:
            taken.append((start, end))
    return [
        Finding(
            rule=rule.id,
            severity=rule.severity,
            law=rule.law,
            field=field,
            span=text[start:end],
            start=start,
            end=end,
            message=rule.message,
            suggestion=rule.suggestion,
            replacement=rule.replacement,
        )
        for start, end in taken
    ]


def _negated(rule: WordingRule, text: str, start: int, end: int) -> bool:
    if rule.unless_before is not None:
        before = text[max(0, start - _BEFORE) : start]
        cut = [m.end() for m in _CLAUSE_END.finditer(before)]
        if rule.unless_before.search(before[cut[-1] :] if cut else before):
            return True
    if rule.unless_after is not None:
        return bool(rule.unless_after.search(text[end : end + _AFTER]))
    return False

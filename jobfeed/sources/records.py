"""What parsers produce: records with canonical field names, or rejections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One row or entry. ``where`` names it for reports (``line 12``, ``row 7``, an id)."""

    where: str
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rejection:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


class SourceError(Exception):
    """The source as a whole is unusable (unreachable, timed out, not the format it should be)."""


@dataclass(slots=True)
class ImportReport:
    """What one import or poll did. Counts are records, not vacancies."""

    source: str
    imported: int = 0  # new vacancies
    updated: int = 0  # existing vacancies changed (same source id)
    merged: int = 0  # near-duplicates of another source's vacancy, folded into it
    unchanged: int = 0  # seen before with the same content
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. columns we did not understand
    new_ids: list[str] = field(default_factory=list)  # ids of the imported vacancies
    ended_ids: list[str] = field(default_factory=list)  # open before, closed or expired now
    held_ids: list[str] = field(default_factory=list)  # held by the post checker

    @property
    def accepted(self) -> int:
        return self.imported + self.updated + self.merged + self.unchanged

    def summary(self) -> str:
        return (
            f"{self.source}: imported {self.imported}, updated {self.updated}, "
            f"merged {self.merged}, unchanged {self.unchanged}, rejected {len(self.rejected)}"
            + (f", held {len(self.held_ids)}" if self.held_ids else "")
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "imported": self.imported,
            "updated": self.updated,
            "merged": self.merged,
            "unchanged": self.unchanged,
            "rejected": [{"where": r.where, "reason": r.reason} for r in self.rejected],
            "notes": self.notes,
            "held": self.held_ids,
        }

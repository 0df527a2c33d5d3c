"""Scam and spam recall, and false positives on group chatter, of the moderation rules.

Over ``samples/moderation/chatter.jsonl`` and ``scams.jsonl`` (labelled by hand-written
templates, ``samples/moderation/generate.py``), beside a baseline from the same run: a
plain keyword list (any fee word, 加V/微信/QQ, a link, 扫码, a picture with a caption).
Run: python -m bench.moderation [-v]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from jobfeed.groupcare.scams import Probe, ScamChecker, read_text

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "moderation"
BASELINE_WORDS = (
    "押金", "报名费", "服装费", "体检费", "培训费", "中介费", "定金", "交钱", "转账",
    "加v", "vx", "微信", "qq", "t.me", "http", "扫码", "二维码", "刷单", "@",
)  # fmt: skip


def load(name: str) -> list[dict[str, object]]:
    lines = (SAMPLES / f"{name}.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def probe(row: dict[str, object]) -> Probe:
    return Probe(
        text=str(row.get("text", "")),
        picture=bool(row.get("picture")),
        contact_card=bool(row.get("contact_card")),
        mentions=int(str(row.get("mentions", 0))),
    )


def baseline(row: dict[str, object]) -> bool:
    text = read_text(str(row.get("text", "")))
    if row.get("contact_card") or (row.get("picture") and text):
        return True
    return any(word in text for word in BASELINE_WORDS)


def main(verbose: bool = False) -> None:
    checker = ScamChecker.load()
    chatter, scams = load("chatter"), load("scams")
    started = time.perf_counter()
    flagged = [row for row in chatter if checker.check(probe(row))]
    caught = [row for row in scams if checker.check(probe(row))]
    elapsed = time.perf_counter() - started
    base_fp = sum(baseline(row) for row in chatter)
    base_caught = sum(baseline(row) for row in scams)
    recall, fp = len(caught) / len(scams), len(flagged) / len(chatter)
    print(f"samples: {len(chatter)} chatter, {len(scams)} scams")
    print(f"rules:    recall {recall:.3f} ({len(caught)}/{len(scams)}), "
          f"false positives {fp:.3f} ({len(flagged)}/{len(chatter)})")  # fmt: skip
    print(f"baseline: recall {base_caught / len(scams):.3f} ({base_caught}/{len(scams)}), "
          f"false positives {base_fp / len(chatter):.3f} ({base_fp}/{len(chatter)})")  # fmt: skip
    ratio = fp / (base_fp / len(chatter)) if base_fp else 0.0
    print(f"rules ÷ baseline: recall {recall / (base_caught / len(scams)):.2f}, "
          f"false positives {ratio:.2f}")  # fmt: skip
    per = elapsed / (len(chatter) + len(scams)) * 1e6
    print(f"cost: {per:.0f} µs a message")
    # Written after the rules and never used to tune them: what unseen wording gets.
    heldout = load("heldout")
    for label in ("chatter", "scam"):
        rows = [row for row in heldout if row["label"] == label]
        rules = sum(checker.check(probe(row)) is not None for row in rows)
        keywords = sum(baseline(row) for row in rows)
        print(f"held out {label}: {len(rows)}, flagged by the rules {rules}, "
              f"by the baseline {keywords}")  # fmt: skip
        if verbose:
            for row in rows:
                if (checker.check(probe(row)) is not None) != (label == "scam"):
                    print("HELD OUT MISS", row)
    if verbose:
        for row in flagged:
            print("FALSE POSITIVE", row, checker.check(probe(row)))
        for row in scams:
            if not checker.check(probe(row)):
                print("MISSED", row)


if __name__ == "__main__":
    main("-v" in sys.argv)

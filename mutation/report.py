"""The mutation score per package, from the results `mutmut run` left in mutants/.

A mutant counts as caught when a test failed (or timed out) under it. Mutants listed in
mutation/equivalent-<package>.txt behave exactly like the original code, so no test can
catch them; they are left out of the score, each with the reason it is equivalent. Exits
non-zero when a package is under its target or an equivalent entry no longer names a mutant.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"engine": 0.90, "backend": 0.85}
CAUGHT = {"killed", "timeout", "caught by type check", "segfault"}


def exit_codes() -> dict[str, int | None]:
    """Every mutant's name and the exit code of its test run."""
    codes: dict[str, int | None] = {}
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        codes.update(json.loads(meta.read_text())["exit_code_by_key"])
    return codes


def equivalent_mutants() -> dict[str, str]:
    """The names in the equivalent-*.txt files, each with its reason (``name  # reason``)."""
    listed: dict[str, str] = {}
    lines = [
        line
        for path in sorted((ROOT / "mutation").glob("equivalent-*.txt"))
        for line in path.read_text().splitlines()
    ]
    for line in lines:
        name, _, reason = line.partition("#")
        if name.strip():
            listed[name.strip()] = reason.strip()
    return listed


def main() -> int:
    codes, equivalent = exit_codes(), equivalent_mutants()
    stale = sorted(set(equivalent) - set(codes))
    tally: dict[str, Counter[str]] = {package: Counter() for package in TARGETS}
    survivors: list[str] = []
    for name, code in codes.items():
        package = name.split(".")[0]
        status = status_by_exit_code[code]
        if name in equivalent:
            tally[package]["equivalent"] += 1
        elif status in CAUGHT:
            tally[package]["caught"] += 1
        else:
            tally[package]["missed"] += 1
            survivors.append(f"{status:>12}  {name}")
    print("\n".join(survivors))
    failed = bool(stale)
    print(
        f"\n{'package':<10}{'mutants':>9}{'caught':>9}{'equivalent':>12}{'missed':>8}{'score':>9}"
    )
    for package, counts in tally.items():
        scored = counts["caught"] + counts["missed"]
        score = counts["caught"] / scored if scored else 0.0
        failed |= score < TARGETS[package]
        print(
            f"{package:<10}{scored + counts['equivalent']:>9}{counts['caught']:>9}"
            f"{counts['equivalent']:>12}{counts['missed']:>8}{score:>8.1%}"
            f"  (target {TARGETS[package]:.0%})"
        )
    for name in stale:
        print(f"equivalent.txt names {name}, which is no longer a mutant")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmarks of this checkout beside another commit's, alternating in one session.

Exports ``REF`` (a commit, default ``main``) into a temporary directory with ``git archive``
(no worktree is registered), then runs each benchmark once from there and once from here,
round after round, the side that goes first swapping each round, so that a slow spell of a
shared machine falls on both. Each bench runs with this checkout's interpreter and packages;
its own directory comes first on ``PYTHONPATH`` and is its working directory, so the engine,
the backend and the server it starts are that side's code.

Every number a bench prints becomes a figure; a figure is the median over the rounds of
each side, printed side by side with the ratio now / ref. Numbers that are the same on both
sides in every round (labels such as "16 clients") are left out.

    python bench/compare.py [--ref COMMIT] [--rounds 2] [--quick] [--only engine,api]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Bench:
    """One benchmark script: its arguments for a full run and for ``--quick``.

    Only options the reference commit's script also takes belong here, so both sides run
    the same measure.
    """

    script: str
    full: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()


BENCHES = {
    "engine": Bench("bench/engine_bench.py", quick=("--rounds", "3", "--repeats", "10")),
    "training": Bench("bench/training_bench.py"),
    "api": Bench("bench/api_bench.py", quick=("--requests", "600")),
    "isolation": Bench(
        "bench/isolation_bench.py",
        ("--classroom-only",),
        ("--classroom-only", "--classroom-seconds", "10"),
    ),
}
ENV = {"WENGERT_ACCESS_LOG": "false"}
# A number, with its sign only where it starts a word (not the dashes of "2-16-16-2").
NUMBER = re.compile(r"(?:(?<![\w.])[-+])?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")
# A verdict's words change with its figures: they are not part of what names a line.
VERDICT = re.compile(r"\((?:NOT )?met\)")
LineKey = tuple[str, str, int]  # bench, the line's text without its numbers, which occurrence


def export(ref: str, into: Path) -> str:
    """Write the tree of commit ``ref`` into ``into``; returns the commit's full hash."""
    commit = git("rev-parse", "--verify", f"{ref}^{{commit}}").strip()
    archive = subprocess.run(
        ["git", "archive", commit], cwd=HERE, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return commit


def git(*args: str) -> str:
    """The output of a git command run in this checkout."""
    return subprocess.run(
        ["git", *args], cwd=HERE, check=True, capture_output=True, text=True
    ).stdout


def run_bench(bench: Bench, root: Path, quick: bool) -> str:
    """The standard output of ``bench`` run from checkout ``root``; raises if it fails."""
    command = [sys.executable, str(root / bench.script), *(bench.quick if quick else bench.full)]
    env = {**os.environ, **ENV, "PYTHONPATH": str(root)}
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{bench.script} failed in {root}:\n{done.stderr[-3000:]}")
    return done.stdout


@dataclass
class Line:
    """One line of a bench's output as it came in each run: its text and its numbers."""

    text: str
    runs: list[list[float]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # its Markdown table's, if any


def read(name: str, output: str, into: dict[LineKey, Line]) -> None:
    """Add the numbers of each line of ``output`` to ``into``, keyed by the line's text
    without numbers (spacing and verdicts aside) and which occurrence of that text it is."""
    seen: dict[str, int] = defaultdict(int)
    lines = output.splitlines()
    header: list[str] = []
    for index, text in enumerate(lines):
        if not text.strip():
            continue
        if index + 1 < len(lines) and lines[index + 1].startswith("|---"):
            header = _cells(text)
        skeleton = " ".join(VERDICT.sub("", NUMBER.sub("#", text)).split())
        key = (name, skeleton, seen[skeleton])
        seen[skeleton] += 1
        line = into.setdefault(key, Line(text, header=header if text.startswith("|") else []))
        line.runs.append([float(m.group().replace(",", "")) for m in NUMBER.finditer(text)])


def _cells(text: str) -> list[str]:
    return [cell.strip() for cell in text.strip().strip("|").split("|")]


def rows(name: str, before: Line, after: Line) -> list[tuple[str, float, float]]:
    """(figure's name, ref's median, now's median) for each number of a line both sides
    printed that is not the same in every run (a label such as "16 clients")."""
    places = range(len(before.runs[0]))
    values = [([r[p] for r in before.runs], [r[p] for r in after.runs]) for p in places]
    varying = [p for p, (b, a) in enumerate(values) if len({*b, *a}) > 1]
    found = []
    for place in varying:
        b, a = values[place]
        found.append((f"{name}: {_figure_name(before, place, varying)}", _median(b), _median(a)))
    return found


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _figure_name(line: Line, place: int, varying: list[int]) -> str:
    # The line with its labels, the figure itself as * and the other figures as #; in a
    # Markdown table, the row's label cells and the figure's column instead.
    matches = list(NUMBER.finditer(line.text))
    text, last = "", 0
    for index, match in enumerate(matches):
        shown = "*" if index == place else "#" if index in varying else match.group()
        text += line.text[last : match.start()] + shown
        last = match.end()
    text = VERDICT.sub("", text + line.text[last:])
    if not line.header:
        return " ".join(text.split())
    cells = _cells(text)
    labels = [cell for cell in cells if cell and not {"*", "#"} & set(cell)]
    column = next(i for i, cell in enumerate(cells) if "*" in cell)
    return " · ".join([*labels, line.header[column] if column < len(line.header) else "?"])


Sides = tuple[dict[LineKey, Line], dict[LineKey, Line]]


def compare(ref_root: Path, names: list[str], rounds: int, quick: bool) -> Sides:
    """Run every bench of ``names`` ``rounds`` times per side, alternating; the lines seen."""
    sides: dict[str, dict[LineKey, Line]] = {"ref": {}, "now": {}}
    for round_number in range(rounds):
        order = [("ref", ref_root), ("now", HERE)]
        if round_number % 2:
            order.reverse()
        for name in names:
            for side, root in order:
                print(f"round {round_number + 1}/{rounds}: {name} ({side})", file=sys.stderr)
                read(name, run_bench(BENCHES[name], root, quick), sides[side])
    return sides["ref"], sides["now"]


def table(ref: dict[LineKey, Line], now: dict[LineKey, Line]) -> str:
    """The figures side by side as a Markdown table, in the order the benches printed them,
    then the lines only one side printed."""
    lines = ["| figure | ref | now | now / ref |", "|---|---:|---:|---:|"]
    for key, after in now.items():
        if key in ref:
            for name, b, a in rows(key[0], ref[key], after):
                ratio = f"{a / b:.2f}" if b else "—"
                lines.append(f"| {name} | {_shown(b)} | {_shown(a)} | {ratio} |")
    for side, lines_of, other in (("ref", ref, now), ("now", now, ref)):
        alone = [f"  {k[0]}: {line.text}" for k, line in lines_of.items() if k not in other]
        if alone:
            lines += ["", f"Only in {side} (its last run):", *alone]
    return "\n".join(lines)


def _shown(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def main() -> None:
    """Parse the options, export the reference, run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="main", help="the commit to compare with (main)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each bench per side")
    parser.add_argument("--quick", action="store_true", help="short runs: a few minutes")
    parser.add_argument("--only", default=",".join(BENCHES), help="benches, comma-separated")
    args = parser.parse_args()
    names = args.only.split(",")
    unknown = set(names) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benches {sorted(unknown)}; choose from {sorted(BENCHES)}")
    with tempfile.TemporaryDirectory(prefix="wengert-ref-") as ref_dir:
        commit = export(args.ref, Path(ref_dir))
        now = git("rev-parse", "--short", "HEAD").strip()
        dirty = " with uncommitted changes" if git("status", "--porcelain", "-uno") else ""
        ref, current = compare(Path(ref_dir), names, args.rounds, args.quick)
    print(f"ref {args.ref} = {commit[:10]}; now {now}{dirty}; median of {args.rounds} rounds")
    print(table(ref, current))


if __name__ == "__main__":
    main()

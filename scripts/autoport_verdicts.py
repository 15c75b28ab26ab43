"""Check the machine port's verdicts against the ones MIGRATION.md states.

    python scripts/autoport_verdicts.py REPORT.json [--expected FILE]

REPORT.json is `portproof compare --json` run on the machine port (scripts/autoport.py). FILE
(default scripts/autoport_expected.txt, shown in MIGRATION.md) has one line per expected failure:
EXAMPLE SIDE PYTHON START_METHOD REASON, where PYTHON is a version (3.12) or a version and every
later one (3.12+) and REASON is text each failing run's problem contains. Exit 0 when every cell
it matches fails with that reason in every run and every other cell holds; 1, with one line per
cell that differs, when not; 2 on a bad report or file.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import NamedTuple

EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "autoport_expected.txt")
LINE = re.compile(r"(?P<example>\S+)\s+(?P<side>\S+)\s+(?P<python>\d+\.\d+)(?P<later>\+?)\s+"
                  r"(?P<method>\S+)\s+(?P<reason>\S.*)")


class Expected(NamedTuple):
    example: str
    side: str
    python: tuple[int, int]
    later: bool  # the version and every later one
    method: str
    reason: str

    def matches(self, cell: dict) -> bool:
        python = tuple(map(int, cell["python"].split(".")))
        return (cell["example"], cell["side"], cell["start_method"]) == (
            self.example, self.side, self.method) and (
            python >= self.python if self.later else python == self.python)


class Unusable(Exception):
    """A report or an expectations file that cannot be read."""


def read_expected(path: str) -> list[Expected]:
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as exc:
        raise Unusable(f"{path}: {exc.strerror}") from None
    expected = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        m = LINE.fullmatch(line.strip())
        if m is None:
            raise Unusable(f"{path}:{n}: not EXAMPLE SIDE PYTHON START_METHOD REASON")
        expected.append(Expected(m["example"], m["side"],
                                 tuple(map(int, m["python"].split("."))), bool(m["later"]),
                                 m["method"], m["reason"]))
    return expected


KEYS = ("example", "side", "python", "start_method", "verdict", "problems")


def read_cells(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except OSError as exc:
        raise Unusable(f"{path}: {exc.strerror}") from None
    except ValueError:
        report = None
    cells = report.get("cells") if isinstance(report, dict) else None
    if (not isinstance(report, dict) or report.get("command") != "compare"
            or not isinstance(cells, list)
            or not all(isinstance(c, dict) and all(k in c for k in KEYS) for c in cells)):
        raise Unusable(f"{path}: not a report of `portproof compare --json`")
    if not cells:
        raise Unusable(f"{path}: no cell was run")
    return cells


def differences(cells: list[dict], expected: list[Expected]) -> list[str]:
    """One line per cell whose verdict is not the expected one."""
    out = []
    for cell in cells:
        name = f"{cell['example']} [{cell['side']}-{cell['python']}-{cell['start_method']}]"
        rule = next((e for e in expected if e.matches(cell)), None)
        problems = cell["problems"]
        if rule is None:
            if cell["verdict"] != "holds":
                out.append(f"{name}: expected to hold, fails: {problems[0]}")
        elif cell["verdict"] == "holds":
            out.append(f"{name}: expected to fail ({rule.reason}), holds")
        else:
            other = [p for p in problems if rule.reason not in p]
            # Every run must fail, each for the reason given: one problem line per run at least.
            runs = {p.split(":", 1)[0] for p in problems}
            wanted = {f"{r['mode']} run {r['n']}" for r in cell.get("runs", [])} or runs
            if other:
                out.append(f"{name}: fails, but not (only) for the reason given: {other[0]}")
            elif wanted - runs:
                out.append(f"{name}: {', '.join(sorted(wanted - runs))} did not fail")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", help="the JSON report of `portproof compare --json`")
    parser.add_argument("--expected", default=EXPECTED, metavar="FILE",
                        help="the expected verdicts (default: scripts/autoport_expected.txt)")
    args = parser.parse_args(argv)
    try:
        expected = read_expected(args.expected)
        cells = read_cells(args.report)
    except Unusable as exc:
        print(f"autoport_verdicts: {exc}", file=sys.stderr)
        return 2
    found = differences(cells, expected)
    for line in found:
        print(f"DIFFERS {line}")
    # An expectation no cell was run for (no Python 3.12 found, say) is not checked: say so.
    for rule in expected:
        if not any(rule.matches(c) for c in cells):
            print(f"not checked: no cell of {rule.example} {rule.side} "
                  f"{'.'.join(map(str, rule.python))}{'+' if rule.later else ''} "
                  f"{rule.method} was run")
    failing = sum(c["verdict"] != "holds" for c in cells)
    print(f"{len(cells)} cells, {failing} failing: "
          + ("as MIGRATION.md says" if not found else f"{len(found)} not as MIGRATION.md says"))
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())

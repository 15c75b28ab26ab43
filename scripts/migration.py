"""Regenerate the generated blocks of MIGRATION.md from real runs.

    python scripts/migration.py

A generated block sits between `<!-- generated: KIND ARGS -->` and `<!-- end generated -->`:
  run EXAMPLE MODE      the original under Python 2.7 and the port under the newest Python 3,
                        as a person would type them, pids shown by role (pty: a terminal,
                        pipe: `| cat`)
  autoport-report       what the 2to3 fixers and pyupgrade did to py2_original/
  autoport-diff EXAMPLE the machine port against our port
  autoport-matrix       the machine port's verdicts on every interpreter and start method
tests/test_migration.py checks the run and autoport-diff blocks against fresh runs.
"""
from __future__ import annotations

import argparse
import difflib
import io
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from contextlib import redirect_stdout

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import autoport  # noqa: E402
from portcheck import _run  # noqa: E402
from portcheck._cli import main as portcheck_main  # noqa: E402
from portcheck._interpreters import discover  # noqa: E402
from portcheck._specs import SPECS, normalise  # noqa: E402

MIGRATION = os.path.join(ROOT, "MIGRATION.md")
BLOCK = re.compile(r"(<!-- generated: (?P<what>[^>]*?) -->\n)(?P<body>.*?)(<!-- end generated -->)",
                   re.S)


def interpreters():
    found = discover()
    py2 = [i for i in found if i.minor == "2.7"]
    py3 = [i for i in found if i.version[0] == 3]
    if not py2 or not py3:
        raise SystemExit("needs Python 2.7 and a Python 3 to show before/after runs")
    return py2[0], py3[-1]


def run_lines(example: str, side: str, python, mode: str) -> list[str]:
    path = os.path.join(ROOT, side, f"{example}.py")
    trace = _run.run(python, path, start_method="fork", mode=mode)
    return normalise(SPECS[example], trace)


def command(python, side: str, example: str, mode: str) -> str:
    pipe = " | cat" if mode == "pipe" else ""
    return f"$ python{python.minor} {side}/{example}.py{pipe}"


def run_block(example: str, mode: str) -> str:
    py2, py3 = interpreters()
    lines = ["```console"]
    for python, side in ((py2, "py2_original"), (py3, "py3_port")):
        lines.append(command(python, side, example, mode))
        lines += run_lines(example, side, python, mode)
    return "\n".join(lines + ["```"]) + "\n"


def parse_run_block(body: str) -> dict[str, list[str]]:
    """{side: its lines} from a run block's body."""
    sides: dict[str, list[str]] = {}
    current = None
    for line in body.splitlines():
        m = re.match(r"\$ python\S+ (\w+)/", line)
        if m:
            current = sides.setdefault(m[1], [])
        elif current is not None and not line.startswith("```"):
            current.append(line)
    return sides


def diff_block(example: str, machine: str) -> str:
    with open(os.path.join(machine, "py3_port", f"{example}.py"), encoding="utf-8") as f:
        theirs = f.read().splitlines(keepends=True)
    with open(os.path.join(ROOT, "py3_port", f"{example}.py"), encoding="utf-8") as f:
        ours = f.read().splitlines(keepends=True)
    diff = difflib.unified_diff(theirs, ours, f"machine/{example}.py", f"py3_port/{example}.py")
    return "```diff\n" + "".join(diff) + "```\n"


def matrix_block(machine: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        portcheck_main(["compare", "--root", machine])
    return "```text\n" + out.getvalue().strip("\n") + "\n```\n"


def generate(what: str, machine: str, report: list[str]) -> str:
    kind, *args = what.split()
    if kind == "run":
        return run_block(*args)
    if kind == "autoport-report":
        return "```text\n" + "\n".join(report) + "\n```\n"
    if kind == "autoport-diff":
        return diff_block(*args, machine)
    if kind == "autoport-matrix":
        return matrix_block(machine)
    raise SystemExit(f"unknown generated block {what!r}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    with open(MIGRATION, encoding="utf-8") as f:
        text = f.read()
    with tempfile.TemporaryDirectory() as machine:
        report = autoport.machine_port(machine)
        text = BLOCK.sub(
            lambda m: m[1] + generate(m["what"], machine, report) + m[4], text)
    with open(MIGRATION, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

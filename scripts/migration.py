"""Regenerate the generated blocks of MIGRATION.md from real runs.

    python scripts/migration.py

A generated block sits between `<!-- generated: KIND ARGS -->` and `<!-- end generated -->`:
  run EXAMPLE MODE      the original under Python 2.7 and the port under the newest Python 3,
                        as a person would type them, pids shown by role (pty: a terminal,
                        pipe: `| cat`)
  autoport-report       what the 2to3 fixers and pyupgrade did to py2_original/
  autoport-diff EXAMPLE the machine port against our port
  autoport-matrix       the machine port's verdicts on every interpreter and start method
  timeline EXAMPLE      a picture of what ran when (`portproof timeline`): the original on 2.7
                        fork and the port on the newest Python 3 under each start method, real
                        time, in a terminal; written to docs/EXAMPLE_timeline.svg, its rows and
                        bars beside it as docs/EXAMPLE_timeline.json
tests/test_migration.py checks the run and autoport-diff blocks against fresh runs;
tests/test_timeline.py checks the timeline's rows and bars against a fresh run's.

    python scripts/migration.py --only timeline    # regenerate the blocks of one kind only
"""
from __future__ import annotations

import argparse
import difflib
import io
import json
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
from portproof import _plot, _run  # noqa: E402
from portproof._cli import main as portproof_main  # noqa: E402
from portproof._interpreters import discover  # noqa: E402
from portproof._spec import with_roles  # noqa: E402
from portproof.specs import SPECS  # noqa: E402

MIGRATION = os.path.join(ROOT, "MIGRATION.md")
DOCS = os.path.join(ROOT, "docs")
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
    trace = _run.run_script(python, path, "fork", mode)
    return with_roles(SPECS[example], trace)


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
        portproof_main(["compare", "--root", machine])
    return "```text\n" + out.getvalue().strip("\n") + "\n```\n"


def timeline_panels(example: str) -> list[tuple[str, object, str]]:
    """(side, interpreter, start method) of each panel of the example's timeline."""
    py2, py3 = interpreters()
    return [("py2_original", py2, "fork"),
            *(("py3_port", py3, method) for method in py3.start_methods)]


def timeline_model(example: str, side: str, python, method: str, time_scale: float = 1.0,
                   mode: str = "pty"):
    script = f"{side}/{example}.py"
    trace = _run.run_script(python, os.path.join(ROOT, script), method, mode,
                            _run.RunOptions(time_scale=time_scale))
    return _plot.model(trace, SPECS[example], script=script, time_scale=time_scale)


def timeline_block(example: str) -> str:
    panels = [(side, python, method, timeline_model(example, side, python, method))
              for side, python, method in timeline_panels(example)]
    image = os.path.join(DOCS, f"{example}_timeline.svg")
    os.makedirs(DOCS, exist_ok=True)
    _plot.draw([model for *_, model in panels], image,
                   heading=f"{example}: the original on Python {panels[0][1].minor} and the "
                           f"port on Python {panels[-1][1].minor}, real time, in a terminal")
    record = {"panels": [{"side": side, "python": python.minor, "start_method": method,
                          "mode": "pty", **model.as_json()}
                         for side, python, method, model in panels]}
    with open(os.path.join(DOCS, f"{example}_timeline.json"), "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    rel = os.path.relpath(image, ROOT)
    return f"![{example}: one row per process, each task a bar on its worker's row]({rel})\n"


def generate(what: str, machine: str, report: list[str]) -> str:
    kind, *args = what.split()
    if kind == "timeline":
        return timeline_block(*args)
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
    parser.add_argument("--only", metavar="KIND",
                        help="regenerate only the blocks of this kind (default: every block)")
    args = parser.parse_args(argv)
    with open(MIGRATION, encoding="utf-8") as f:
        text = f.read()

    def regenerate(m, machine, report):
        if args.only is not None and m["what"].split()[0] != args.only:
            return m[0]
        return m[1] + generate(m["what"], machine, report) + m[4]

    with tempfile.TemporaryDirectory() as machine:
        # The autoport blocks need the machine port; the others do not.
        wanted = args.only is None or args.only.startswith("autoport")
        report = autoport.machine_port(machine) if wanted else []
        text = BLOCK.sub(lambda m: regenerate(m, machine, report), text)
    with open(MIGRATION, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Regenerate the generated blocks of MIGRATION.md and its appendix from real runs.

    python scripts/migration.py

A generated block sits between `<!-- generated: KIND ARGS -->` and `<!-- end generated -->`, in
MIGRATION.md or docs/migration_appendix.md (DOCS: every file that may hold one):
  run EXAMPLE MODE      the original under Python 2.7 and the port under the newest Python 3,
                        as a person would type them, pids shown by role (pty: a terminal,
                        pipe: `| cat`)
  port-diff EXAMPLE     the original against our port, the whole file
  probe NAME PY...      docs/probes/NAME.py run on each Python named (2.7, 3.13, ...), its
                        output on a pipe, in an environment of its own
  autoport-report       what the 2to3 fixers and pyupgrade did to py2_original/
  autoport-diff EXAMPLE the machine port against our port
  autoport-expected     the machine port's expected verdicts (scripts/autoport_expected.txt,
                        which `tox -e autoport` checks)
  autoport-matrix       the machine port's verdicts on every interpreter and start method
  timeline EXAMPLE      a picture of what ran when (`portproof timeline`): the original on 2.7
                        fork and the port on the newest Python 3 under each start method, real
                        time, in a terminal; written to docs/EXAMPLE_timeline.svg, its rows and
                        bars beside it as docs/EXAMPLE_timeline.json
tests/case_study/test_guide.py checks the run, port-diff, probe, autoport-report, autoport-diff
and autoport-expected blocks against fresh ones; tests/harness/test_timeline.py checks the
timeline's rows and bars against a fresh run's.

    python scripts/migration.py --only timeline    # regenerate the blocks of one kind only
"""
from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import re
import subprocess
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
APPENDIX = os.path.join(ROOT, "docs", "migration_appendix.md")
DOCS = os.path.join(ROOT, "docs")
# The files whose generated blocks this script regenerates and the suite checks.
GUIDES = (MIGRATION, APPENDIX)
PROBES = os.path.join(DOCS, "probes")
# A probe waits 3 s at most for what hangs; the slowest starts 3 pools under spawn.
PROBE_TIMEOUT = 120
BLOCK = re.compile(r"(<!-- generated: (?P<what>[^>]*?) -->\n)(?P<body>.*?)(<!-- end generated -->)",
                   re.S)


def interpreters():
    found = discover()
    py2 = [i for i in found if i.minor == "2.7"]
    py3 = [i for i in found if i.version[0] == 3]
    if not py2 or not py3:
        raise SystemExit("needs Python 2.7 and a Python 3 to show before/after runs")
    return py2[0], py3[-1]


def by_minor(minor: str):
    found = [i for i in discover() if i.minor == minor]
    if not found:
        raise SystemExit(f"needs Python {minor} to run a probe")
    return found[-1]


def probe_env() -> dict[str, str]:
    """A probe's environment: none of the caller's PYTHON* settings (this machine exports
    PYTHONUNBUFFERED=1), so that what it shows is the interpreter's own behaviour."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def probe_block(name: str, *minors: str) -> str:
    script = os.path.join(PROBES, f"{name}.py")
    lines = ["```console"]
    for minor in minors:
        python = by_minor(minor)
        proc = subprocess.run([python.path, script], capture_output=True, text=True,
                              env=probe_env(), cwd=ROOT, stdin=subprocess.DEVNULL,
                              timeout=PROBE_TIMEOUT)
        if proc.returncode != 0:
            raise SystemExit(f"probe {name} on Python {minor} exited {proc.returncode}: "
                             f"{proc.stderr.strip().splitlines()[-1:]}")
        lines.append(f"$ python{minor} docs/probes/{name}.py")
        lines += proc.stdout.rstrip("\n").splitlines()
    return "\n".join(lines + ["```"]) + "\n"


def port_diff_block(example: str) -> str:
    with open(os.path.join(ROOT, "py2_original", f"{example}.py"), encoding="utf-8") as f:
        original = f.read().splitlines(keepends=True)
    with open(os.path.join(ROOT, "py3_port", f"{example}.py"), encoding="utf-8") as f:
        port = f.read().splitlines(keepends=True)
    diff = difflib.unified_diff(original, port, f"py2_original/{example}.py",
                                f"py3_port/{example}.py")
    return "```diff\n" + "".join(diff) + "```\n"


def expected_block() -> str:
    with open(os.path.join(ROOT, "scripts", "autoport_expected.txt"), encoding="utf-8") as f:
        return "```text\n" + f.read() + "```\n"


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


def timeline_block(example: str, guide: str = MIGRATION) -> str:
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
    rel = os.path.relpath(image, os.path.dirname(guide))
    return f"![{example}: one row per process, each task a bar on its worker's row]({rel})\n"


def generate(what: str, machine: str, report: list[str], guide: str = MIGRATION) -> str:
    kind, *args = what.split()
    if kind == "timeline":
        return timeline_block(*args, guide=guide)
    if kind == "run":
        return run_block(*args)
    if kind == "port-diff":
        return port_diff_block(*args)
    if kind == "probe":
        return probe_block(*args)
    if kind == "autoport-expected":
        return expected_block()
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
    texts = {}
    for guide in GUIDES:
        with open(guide, encoding="utf-8") as f:
            texts[guide] = f.read()

    def regenerate(m, machine, report, guide):
        if args.only is not None and m["what"].split()[0] != args.only:
            return m[0]
        return m[1] + generate(m["what"], machine, report, guide) + m[4]

    with tempfile.TemporaryDirectory() as machine:
        # The autoport blocks need the machine port; the others do not.
        wanted = args.only is None or args.only.startswith("autoport")
        report = autoport.machine_port(machine) if wanted else []
        for guide, text in texts.items():
            texts[guide] = BLOCK.sub(lambda m, g=guide: regenerate(m, machine, report, g), text)
    for guide, text in texts.items():
        with open(guide, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

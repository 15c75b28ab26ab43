"""`portproof compare`: every example, both sides, on every interpreter and start method."""
from __future__ import annotations

import os
import sys
import textwrap
from functools import partial

from portproof import _args, _report, _table, _terminal
from portproof._interpreters import Interpreter, discover
from portproof._matrix import SIDES, cells, judge_script, script, side_interpreters, skips
from portproof._stop import STOPS, results, stopped, workers
from portproof._usage import UsageError
from portproof.specs import EXAMPLES


def add_arguments(parser) -> None:
    parser.add_argument("--root", default=".",
                        help="folder holding py2_original/ and py3_port/ (default: .)")
    parser.add_argument("--python", metavar="PY", action="append",
                        help=f"interpreter to use, {_args.PYTHON}; repeatable (default: all "
                             "found). Naming only Python 3s, py2_original still runs on the "
                             "Python 2 found")
    parser.add_argument("--no-python2", action="store_true",
                        help="leave py2_original out: run no Python 2")
    _args.add_jobs(parser)
    _args.add_runs(parser, default=1)
    _args.add_real_time(parser)
    _args.add_timeout(parser)
    _args.add_reports(parser)
    parser.set_defaults(command=compare)


def compare(args) -> int:
    root = os.path.abspath(args.root)
    if not all(os.path.isdir(os.path.join(root, side)) for side in SIDES):
        raise UsageError(f"no {' and '.join(f'{s}/' for s in SIDES)} under {root}; "
                         "run from the repository root or pass --root")
    _report.check_paths(args)
    interpreters = compare_interpreters(args)
    held_by = _args.containment()
    todo = cells(interpreters)
    header = (f"portproof compare: {len(EXAMPLES)} examples x {len(SIDES)} sides on "
              f"{', '.join(i.minor for i in interpreters) or 'no interpreter'}; "
              f"{args.runs} run(s) per cell in pty and pipe mode; processes held by {held_by}")
    # Folded, as the matrix is, where the terminal is narrower.
    for line in textwrap.wrap(header, _table.width() or len(header),
                              subsequent_indent=" " * len("portproof compare: ")):
        _terminal.Out().line(line)
    sys.stdout.flush()
    verdicts: dict = {}
    try:
        # The progress line is inside the pool's block: it is gone before the pool's clean-up
        # and the matrix, and a stop reaches it only where the main thread waits.
        with workers(args.jobs) as (pool, cancel), \
                _terminal.progress("compare", len(todo), "cells", "failing") as bar:
            options = _args.run_options(args, held_by)
            calls = {
                c: partial(judge_script, c.example, script(root, c.side, c.example), c.python,
                           c.start_method, options, runs=args.runs, cancel=cancel, side=c.side)
                for c in todo
            }
            for cell, verdict in results(pool, calls):
                verdicts[cell] = verdict
                bar.advance(failed=not verdict.holds)
    except STOPS as stop:  # what it had, as diff says it: the cells judged and why they fail
        _print_matrix(interpreters, verdicts)
        _report.print_groups(_report.as_json(
            "compare", [verdicts[c] for c in todo if c in verdicts], interpreters, [],
            runs=args.runs, time_scale=_args.time_scale(args), containment=str(held_by)))
        _terminal.Out().line(f"stopped: {len(verdicts)} of {len(todo)} cells judged")
        return stopped(stop, f" after {len(verdicts)} of {len(todo)} cells judged")
    _print_matrix(interpreters, verdicts)
    failing = [v for v in verdicts.values() if not v.holds]
    explicit = bool(args.python or os.environ.get("PORTPROOF_PYTHONS"))
    skipped = skips(interpreters, explicit, left_out=_left_out(args, interpreters))
    # In the matrix's order, whichever cell finished first.
    report = _report.as_json("compare", [verdicts[c] for c in todo if c in verdicts],
                             interpreters, skipped, runs=args.runs,
                             time_scale=_args.time_scale(args), containment=str(held_by))
    _report.print_groups(report)
    out = _terminal.Out()
    for skip in skipped:
        out.line(("skipped:", "dim"), f" {skip.reason}")
    out.line(f"{len(verdicts) - len(failing)} of {len(verdicts)} cells hold"
             + (f", {len(failing)} do not" if failing else ""))
    _report.write(args, report, _report.page)
    return 1 if failing or not verdicts else 0


def compare_interpreters(args) -> list[Interpreter]:
    """The interpreters compare runs on, oldest first: those named, or every one found. The
    originals are the reference: naming only Python 3s, they still run on the Python 2 found;
    --no-python2 leaves them out."""
    named = _args.interpreters(args.python)
    python2 = [i for i in named if i.version[0] == 2]
    if args.no_python2:
        if args.python and python2:
            raise UsageError(f"--no-python2 leaves out the Python 2 that --python names "
                             f"({', '.join(i.minor for i in python2)})")
        return [i for i in named if i.version[0] != 2]
    if args.python and not python2:
        found = [i for i in discover() if i.version[0] == 2]
        named = sorted(named + found[-1:], key=lambda i: i.version)
    return named


def _left_out(args, interpreters: list[Interpreter]) -> dict[str, str]:
    """The sides not run by the user's choice, and why."""
    if args.no_python2:
        return {"py2_original": "--no-python2"}
    if args.python and not any(i.version[0] == 3 for i in interpreters):
        return {"py3_port": "no Python 3 among the interpreters named"}
    return {}


def _print_matrix(interpreters: list[Interpreter], verdicts: dict) -> None:
    columns = [
        (side, python, method)
        for side in SIDES
        for python in side_interpreters(side, interpreters)
        for method in python.start_methods
    ]
    by_cell = {(c.example, c.side, c.python, c.start_method): v for c, v in verdicts.items()}
    rows = {
        example: ["-" if v is None else "ok" if v.holds else "FAIL"
                  for v in (by_cell.get((example, *column)) for column in columns)]
        for example in EXAMPLES
    }
    _table.print_table([(side, python.minor, method) for side, python, method in columns], rows)

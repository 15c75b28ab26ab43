"""`portproof compare`: every example, both sides, on every interpreter and start method."""
from __future__ import annotations

import os
from functools import partial

from portproof import _args, _report, _terminal
from portproof._args import UsageError
from portproof._interpreters import START_METHODS, Interpreter
from portproof._matrix import KNOWN_VERSIONS, SIDES, Verdict, cells, judge_script, script
from portproof._matrix import side_interpreters
from portproof.specs import EXAMPLES
from portproof._stop import STOPS, results, stopped, workers


def add_parser(sub) -> None:
    compare = sub.add_parser("compare",
                             help="run every example of the case study, both sides, everywhere; "
                                  "print the matrix")
    compare.add_argument("--root", default=".",
                         help="folder holding py2_original/ and py3_port/ (default: .)")
    compare.add_argument("--python", metavar="PY", action="append",
                         help=f"interpreter to use, {_args.PYTHON}; repeatable (default: all "
                              "found)")
    add_jobs(compare)
    _args.add_runs(compare, default=1)
    _args.add_real_time(compare)
    _args.add_timeout(compare)
    _args.add_reports(compare)
    compare.set_defaults(command=run)


# Twice the cores: a run mostly waits (sleeps, pipes, interpreters starting), so two per core
# keep the cores busy. Measured on 2 cores, the full compare: 94 s with 2 jobs, 67 s with 4,
# 68 s with 8, every verdict the same.
JOBS = 2 * (os.cpu_count() or 1)


def add_jobs(parser, default: int = JOBS) -> None:
    parser.add_argument("--jobs", type=_args.positive, default=default, metavar="N",
                        help="cells run at once (default: %(default)s)")


def run(args) -> int:
    root = os.path.abspath(args.root)
    if not all(os.path.isdir(os.path.join(root, side)) for side in SIDES):
        raise UsageError(f"no {' and '.join(f'{s}/' for s in SIDES)} under {root}; "
                         "run from the repository root or pass --root")
    _report.check_paths(args)
    interpreters = _args.interpreters(args.python)
    held_by = _args.containment()
    todo = cells(interpreters)
    print(f"portproof compare: {len(EXAMPLES)} examples x {len(SIDES)} sides on "
          f"{', '.join(i.minor for i in interpreters) or 'no interpreter'}; "
          f"{args.runs} run(s) per cell in pty and pipe mode; processes held by {held_by}",
          flush=True)
    verdicts: dict = {}
    try:
        # The progress line is inside the pool's block: it is gone before the pool's clean-up
        # and the matrix, and a stop reaches it only where the main thread waits.
        with workers(args.jobs) as (pool, cancel), \
                _terminal.progress("compare", len(todo), "cells", "failing") as bar:
            calls = {
                c: partial(judge_script, c.example, script(root, c.side, c.example), c.python,
                           c.start_method, runs=args.runs, time_scale=_args.time_scale(args),
                           cancel=cancel, side=c.side, timeout=args.timeout)
                for c in todo
            }
            for cell, verdict in results(pool, calls):
                verdicts[cell] = verdict
                bar.advance(failed=not verdict.holds)
    except STOPS as stop:
        _print_matrix(interpreters, verdicts)
        return stopped(stop, f" after {len(verdicts)} of {len(todo)} cells")
    _print_matrix(interpreters, verdicts)
    failing = [v for v in verdicts.values() if not v.holds]
    _print_failures(failing)
    explicit = bool(args.python or os.environ.get("PORTPROOF_PYTHONS"))
    skipped = skips(interpreters, explicit)
    out = _terminal.Out()
    for skip in skipped:
        out.line(("skipped:", "dim"), f" {skip.reason}")
    print(f"{len(verdicts) - len(failing)} of {len(verdicts)} cells hold"
          + (f", {len(failing)} do not" if failing else ""))
    # In the matrix's order, whichever cell finished first.
    report = _report.as_json("compare", [verdicts[c] for c in todo if c in verdicts],
                             interpreters, skipped, runs=args.runs,
                             time_scale=_args.time_scale(args), containment=held_by)
    _report.write(args, report, _report.page)
    return 1 if failing or not verdicts else 0


SHORT = {"fork": "fork", "spawn": "spawn", "forkserver": "fsrv"}


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
    print_table([(side, python.minor, method) for side, python, method in columns], rows)


def print_table(columns: list[tuple[str, str, str]], rows: dict[str, list[str]]) -> None:
    """A matrix with three header lines (group, interpreter, start method), each header shown
    where it changes, and one row per entry of `rows`."""
    label = max(map(len, rows), default=0) + 2
    # A column is 6 wide; the first column of a group is wide enough for the group's name.
    new_group = [i == 0 or columns[i - 1][0] != c[0] for i, c in enumerate(columns)]
    new_python = [i == 0 or columns[i - 1][:2] != c[:2] for i, c in enumerate(columns)]
    widths = [max(6, len(column[0]) + 1) if new else 6
              for column, new in zip(columns, new_group, strict=True)]

    out = _terminal.Out()

    def row(title: str, texts: list[str]) -> None:
        cells = [part for cell, width in zip(texts, widths, strict=True)
                 for part in (_terminal.word(cell), " " * (width - len(cell)))]
        out.line(f"{title:<{label}}", *cells, rstrip=True)

    print()
    row("", [c[0] if new else "" for c, new in zip(columns, new_group, strict=True)])
    row("", [c[1] if new else "" for c, new in zip(columns, new_python, strict=True)])
    row("", [SHORT[c[2]] for c in columns])
    for title, texts in rows.items():
        row(title, texts)
    print()


def _print_failures(failing: list[Verdict]) -> None:
    out = _terminal.Out()
    for verdict in failing:
        c = verdict.cell
        for problem in verdict.problems:
            out.line(_terminal.word("FAIL"), f" {c.example} [{c.id}] {problem}")


def skips(interpreters: list[Interpreter], explicit: bool,
          sides: dict[str, int] = SIDES) -> list[_report.Skip]:
    """The columns of the matrix not run, each group with its reason."""
    found = {i.minor for i in interpreters}
    missing = [v for v in KNOWN_VERSIONS if v not in found]
    out = []

    def columns(minors, methods=START_METHODS) -> tuple:
        return tuple((side, minor, method) for side, major in sides.items() for minor in minors
                     if int(minor.split(".")[0]) == major for method in methods)

    if missing:
        where = ("not among the interpreters named" if explicit else
                 "none found on PATH or in pyenv's versions folder")
        out.append(_report.Skip(f"Python {', '.join(missing)}: {where}", columns(missing)))
    for side, major in sides.items():
        if not any(i.version[0] == major for i in interpreters):
            out.append(_report.Skip(f"{side} was not run: no Python {major} found",
                                    columns([v for v in KNOWN_VERSIONS
                                             if int(v.split(".")[0]) == major])))
    out += [skip for python in interpreters if (skip := methods_skip(python, sides))]
    return out


def methods_skip(python: Interpreter, sides: dict = SIDES) -> _report.Skip | None:
    """The start methods `python` lacks, as one skip of the columns of `sides` (side: major;
    check's one side is None), or None."""
    lacking = [m for m in START_METHODS if m not in python.start_methods]
    if not lacking:
        return None
    return _report.Skip(f"Python {python.minor} has no {' or '.join(lacking)} start method",
                        tuple((side, python.minor, method) for side, major in sides.items()
                              if python.version[0] == major for method in lacking))

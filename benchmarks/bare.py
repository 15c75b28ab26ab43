"""The runs a `diff` or `compare` makes, made bare: the same scripts, interpreters, start methods,
modes and number of runs, as many at once (--jobs), with nothing observed or judged. Time it
against the command itself to see what diff's and compare's own work costs:

    python benchmarks/bare.py diff OLD.py NEW.py [--python PY ...] [--fast] [--staged]
    python benchmarks/bare.py compare [--python PY ...]

diff's runs are those it makes when every cell is the same (OLD's baseline runs, then one run of
each cell and mode); compare's, one run of each cell and mode. Prints the number of runs made.
With --staged, NEW's runs start once OLD's have all ended, as in diff (NEW's time limit is
learned from OLD's runs): timed against the same runs made in one go, it is what that wait
costs; timed against diff, what diff's own work costs.
"""
from __future__ import annotations

import argparse
import os
import sys
from functools import partial

from portproof import _args, _run, _trace
from portproof._args import add_jobs
from portproof._matrix import cells, script
from portproof._stop import results, workers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE_RUNS = 3  # diff's default --baseline-runs


def diff_runs(args) -> list[list[tuple]]:
    interpreters = _args.interpreters(args.python)
    old = _args.newest(2, "--old-python")
    calls = [(old, args.old, "fork", mode, args.time_scale)
             for mode in _trace.MODES for _ in range(BASELINE_RUNS)]
    new = [(python, args.new, method, mode, args.time_scale)
           for python in interpreters if python.version[0] == 3
           for method in python.start_methods for mode in _trace.MODES]
    return [calls, new] if args.staged else [calls + new]


def compare_runs(args) -> list[list[tuple]]:
    return [[(c.python, script(ROOT, c.side, c.example), c.start_method, mode, _run.FAST)
             for c in cells(_args.interpreters(args.python)) for mode in _trace.MODES]]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    diff = sub.add_parser("diff")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--fast", dest="time_scale", action="store_const", const=_run.FAST,
                      default=1.0)
    diff.add_argument("--staged", action="store_true",
                      help="NEW's runs once OLD's have ended, as diff makes them")
    compare = sub.add_parser("compare")
    for command in (diff, compare):
        command.add_argument("--python", action="append")
    # Each command's own default: diff runs one per core (_diff_options), compare two.
    add_jobs(diff, os.cpu_count() or 1)
    add_jobs(compare)
    args = parser.parse_args(argv)
    stages = diff_runs(args) if args.command == "diff" else compare_runs(args)
    with workers(args.jobs) as (pool, cancel):
        for todo in stages:
            calls = {n: partial(_run.run_script, python, os.path.abspath(path), method, mode,
                                _run.RunOptions(time_scale=scale), cancel)
                     for n, (python, path, method, mode, scale) in enumerate(todo)}
            for _ in results(pool, calls):
                pass
    print(f"{sum(map(len, stages))} bare runs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`portproof check EXAMPLE SCRIPT`: judge one script against one example's spec, cell by cell."""
from __future__ import annotations

import sys
from functools import partial

from portproof import _args, _report, _terminal
from portproof._escape import quoted
from portproof._matrix import judge_script, methods_skip
from portproof._stop import results, workers
from portproof._trace import MODES
from portproof._usage import UsageError
from portproof.specs import EXAMPLES


def add_arguments(parser) -> None:
    parser.add_argument("example", metavar="EXAMPLE",
                        help=f"the spec to apply: one of {', '.join(EXAMPLES)}")
    parser.add_argument("script", metavar="SCRIPT", help="the script to run")
    parser.add_argument("--python", metavar="PY",
                        help=f"interpreter to run it with, {_args.PYTHON} (default: the "
                             "newest Python 3 found)")
    _args.add_start_method(parser)
    _args.add_mode(parser)
    _args.add_runs(parser, default=3)
    _args.add_real_time(parser)
    _args.add_timeout(parser)
    _args.add_reports(parser)
    parser.set_defaults(command=check)


def check(args) -> int:
    if args.example not in EXAMPLES:
        raise UsageError(f"unknown example {quoted(args.example)}; choose from "
                         f"{', '.join(EXAMPLES)}")
    _args.script(args.script)
    _report.check_paths(args)
    held_by = _args.containment()
    python = _args.interpreter(args.python) if args.python else _args.newest(3)
    if args.start_method == "all":
        methods = python.start_methods
    elif args.start_method in python.start_methods:
        methods = (args.start_method,)
    else:
        raise UsageError(f"Python {python.minor} has no start method {args.start_method!r}; "
                         f"it has {', '.join(python.start_methods)}")
    _args.readable(python, args.script)
    modes = MODES if args.mode == "both" else (args.mode,)
    out = _terminal.Out()
    out.line(f"{args.example}: {args.script} on {python}; processes held by {held_by}")
    sys.stdout.flush()
    failed = 0
    verdicts = []
    # One cell at a time, in order: each is printed as soon as it is judged.
    with workers(1) as (pool, cancel):
        options = _args.run_options(args, held_by)
        calls = {(method, mode): partial(judge_script, args.example, args.script, python, method,
                                         options, modes=(mode,), runs=args.runs, cancel=cancel)
                 for method in methods for mode in modes}
        for (method, mode), verdict in results(pool, calls):
            failed += not verdict.holds
            verdicts.append(verdict)
            out.line(f"  {method:<10} {mode:<4}  ",
                     _terminal.word("ok" if verdict.holds else "FAIL"))
            sys.stdout.flush()  # a cell's line as soon as it is judged, also on a pipe
    total = len(methods) * len(modes)
    skip = methods_skip(python, {None: python.version[0]})
    skipped = [skip] if skip and args.start_method == "all" else []
    report = _report.as_json("check", verdicts, [python], skipped, runs=args.runs,
                             time_scale=_args.time_scale(args), containment=str(held_by))
    # Why, once every cell is judged: each reason once, under the cells that show it.
    _report.print_groups(report)
    out.line(f"{args.example}: holds" if not failed else
             f"{args.example}: does not hold in {failed} of {total} cells")
    _report.write(args, report, _report.page)
    return 1 if failed else 0

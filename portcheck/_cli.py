"""Command line: `python -m portcheck check ...` and `python -m portcheck compare`.

Exit status: 0 every verdict holds, 1 some does not, 2 usage error (one line on stderr),
130 interrupted (Ctrl-C), 128 + N terminated by signal N (143 SIGTERM, 129 SIGHUP).

Runs go to worker threads and the main thread only waits for them: Ctrl-C, SIGTERM and SIGHUP
are raised in the main thread, so a stop never cuts a run's clean-up short. While the runs are
in the pool, a stop is only recorded where the signal lands and raised where the main thread
waits: raised inside concurrent.futures' own code, it could leave one of its locks held and
hang the clean-up. On a stop every running subject is cancelled (each sees it within
timeouts.CANCEL_POLL), killed and cleaned up before portcheck says so and exits.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from portcheck import _run, timeouts
from portcheck._interpreters import START_METHODS, Interpreter, NotPython, discover, probe
from portcheck._matrix import (
    KNOWN_VERSIONS, SIDES, Verdict, cells, judge_script, script, side_interpreters,
)
from portcheck._specs import EXAMPLES


class UsageError(Exception):
    pass


class Terminated(BaseException):
    """A signal asking portcheck to end arrived: it stops as for Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


STOPS = (KeyboardInterrupt, Terminated)
# The signals that ask a program to end, besides Ctrl-C's: `timeout`, CI runners and `kill`
# send SIGTERM; a closed terminal or ssh session sends SIGHUP.
ENDING = (signal.SIGTERM, signal.SIGHUP)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise UsageError(message)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} runs: give 1 or more")
    return value


def _parser() -> _Parser:
    parser = _Parser(prog="portcheck", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    common = _Parser(add_help=False)
    common.add_argument("--runs", type=_positive, metavar="N",
                        help="runs per cell and mode (default: %(default)s)")
    common.add_argument("--real-time", action="store_true",
                        help=f"let the subject sleep for real (default: sleeps x{_run.FAST})")

    check = sub.add_parser("check", parents=[common], help="judge one script against a spec")
    check.add_argument("example", metavar="EXAMPLE",
                       help=f"the spec to apply: one of {', '.join(EXAMPLES)}")
    check.add_argument("script", metavar="SCRIPT", help="the script to run")
    check.add_argument("--python", metavar="PY",
                       help="interpreter to run it with (default: the newest Python 3 found)")
    check.add_argument("--start-method", choices=[*START_METHODS, "all"], default="all")
    check.add_argument("--mode", choices=[*_run.MODES, "both"], default="both")
    check.set_defaults(runs=3)

    compare = sub.add_parser("compare", parents=[common],
                             help="run every example, both sides, everywhere; print the matrix")
    compare.add_argument("--root", default=".",
                         help="folder holding py2_original/ and py3_port/ (default: .)")
    compare.add_argument("--python", metavar="PY", action="append",
                         help="interpreter to use, repeatable (default: all found)")
    compare.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1,
                         help="cells run at once (default: %(default)s)")
    compare.set_defaults(runs=1)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        with _ending_signals_stop():
            args = _parser().parse_args(argv)
            if args.command == "check":
                return _check(args)
            return _compare(args)
    except UsageError as exc:
        print(f"portcheck: error: {exc}", file=sys.stderr)
        return 2
    except STOPS as stop:
        return _stopped(stop)


def _stopped(stop: BaseException, when: str = "") -> int:
    if isinstance(stop, Terminated):
        word, status = f"terminated by {signal.Signals(stop.signum).name}", 128 + stop.signum
    else:
        word, status = "interrupted", 130
    print(f"portcheck: {word}{when}; every process it started is gone", file=sys.stderr)
    return status


def _stop_for(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


class _Signals:
    """Where a stop goes: raised at once, or, while `deferring`, kept for `check`."""

    def __init__(self) -> None:
        self.deferring = False
        self.pending: int | None = None

    def handle(self, signum: int, frame) -> None:
        if signum in ENDING:  # one is enough: let the clean-up finish
            for s in ENDING:
                if signal.getsignal(s) == self.handle:
                    signal.signal(s, signal.SIG_IGN)
        if not self.deferring:
            raise _stop_for(signum)
        if self.pending is None:
            self.pending = signum

    def check(self) -> None:
        """Raise a stop that came while deferring, here, where the main thread waits."""
        if self.pending is not None:
            signum, self.pending = self.pending, None
            raise _stop_for(signum)


_signals = _Signals()


@contextlib.contextmanager
def _ending_signals_stop() -> Iterator[None]:
    """Each ENDING signal stops portcheck as Ctrl-C does, instead of killing it and leaving its
    subjects, each in a session of its own, running. A signal the caller ignores or handles is
    left alone, and so is every signal off the main thread, where no handler can be set."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    defaults = {signal.SIGINT: signal.default_int_handler,
                **{s: signal.SIG_DFL for s in ENDING}}
    ours = [s for s, default in defaults.items() if signal.getsignal(s) == default]
    for s in ours:
        signal.signal(s, _signals.handle)
    try:
        yield
    finally:
        for s in ours:
            signal.signal(s, defaults[s])
        _signals.pending = None


@contextlib.contextmanager
def _workers(jobs: int) -> Iterator[tuple[ThreadPoolExecutor, threading.Event]]:
    """A pool for the runs and the event that cancels them. However the block ends, every run
    still going is cancelled and waited for, so its processes are gone when this returns."""
    cancel = threading.Event()
    pool = ThreadPoolExecutor(jobs)
    _signals.deferring = True
    try:
        yield pool, cancel
    finally:
        cancel.set()  # nothing to cancel when every run is done
        pool.shutdown(wait=True, cancel_futures=True)
        _signals.deferring = False
    _signals.check()  # a stop that came as the last run ended


def _wait_any(futures) -> tuple[set, set]:
    """Wait until one of `futures` is done, raising a stop as soon as one has come."""
    while True:
        _signals.check()
        done, pending = wait(futures, timeout=timeouts.CANCEL_POLL, return_when=FIRST_COMPLETED)
        if done:
            return done, pending


def _interpreter(path: str) -> Interpreter:
    try:
        return probe(path)
    except NotPython as exc:
        raise UsageError(f"--python {exc}") from None


def _time_scale(args) -> float:
    return 1.0 if args.real_time else _run.FAST


def _check(args) -> int:
    if args.example not in EXAMPLES:
        raise UsageError(f"unknown example {args.example!r}; choose from {', '.join(EXAMPLES)}")
    if not os.path.isfile(args.script):
        what = "is a directory" if os.path.isdir(args.script) else "does not exist"
        raise UsageError(f"script {args.script!r} {what}; give the path of a Python file")
    if args.python:
        python = _interpreter(args.python)
    else:
        found = [i for i in discover() if i.version[0] == 3]
        if not found:
            raise UsageError("no Python 3 found on PATH or in pyenv; name one with --python")
        python = found[-1]
    if args.start_method == "all":
        methods = python.start_methods
    elif args.start_method in python.start_methods:
        methods = (args.start_method,)
    else:
        raise UsageError(f"Python {python.minor} has no start method {args.start_method!r}; "
                         f"it has {', '.join(python.start_methods)}")
    modes = _run.MODES if args.mode == "both" else (args.mode,)
    print(f"{args.example}: {args.script} on {python}", flush=True)
    failed = 0
    with _workers(1) as (pool, cancel):
        for method in methods:
            for mode in modes:
                future = pool.submit(judge_script, args.example, args.script, python, method,
                                     modes=(mode,), runs=args.runs,
                                     time_scale=_time_scale(args), cancel=cancel)
                verdict = _wait_any([future])[0].pop().result()
                failed += not verdict.holds
                print(f"  {method:<10} {mode:<4}  {'ok' if verdict.holds else 'FAIL'}")
                for problem in verdict.problems:
                    print(f"      {problem}")
                sys.stdout.flush()  # a cell's lines as soon as it is judged, also on a pipe
    total = len(methods) * len(modes)
    print(f"{args.example}: holds" if not failed else
          f"{args.example}: does not hold in {failed} of {total} cells")
    return 1 if failed else 0


def _compare(args) -> int:
    root = os.path.abspath(args.root)
    if not all(os.path.isdir(os.path.join(root, side)) for side in SIDES):
        raise UsageError(f"no {' and '.join(f'{s}/' for s in SIDES)} under {root}; "
                         "run from the repository root or pass --root")
    if args.python:
        interpreters = sorted((_interpreter(p) for p in args.python), key=lambda i: i.version)
    else:
        interpreters = discover()
    todo = cells(interpreters)
    print(f"portcheck compare: {len(EXAMPLES)} examples x {len(SIDES)} sides on "
          f"{', '.join(i.minor for i in interpreters) or 'no interpreter'}; "
          f"{args.runs} run(s) per cell in pty and pipe mode", flush=True)
    verdicts: dict = {}
    try:
        with _workers(args.jobs) as (pool, cancel):
            futures = {
                pool.submit(judge_script, c.example, script(root, c.side, c.example), c.python,
                            c.start_method, runs=args.runs, time_scale=_time_scale(args),
                            cancel=cancel, side=c.side): c
                for c in todo
            }
            pending = set(futures)
            while pending:
                done, pending = _wait_any(pending)
                for future in done:
                    verdicts[futures[future]] = future.result()
    except STOPS as stop:
        _print_matrix(interpreters, verdicts)
        return _stopped(stop, f" after {len(verdicts)} of {len(todo)} cells")
    _print_matrix(interpreters, verdicts)
    failing = [v for v in verdicts.values() if not v.holds]
    _print_failures(failing)
    _print_skips(interpreters, explicit=bool(args.python or os.environ.get("PORTCHECK_PYTHONS")))
    print(f"{len(verdicts) - len(failing)} of {len(verdicts)} cells hold"
          + (f", {len(failing)} do not" if failing else ""))
    return 1 if failing or not verdicts else 0


_SHORT = {"fork": "fork", "spawn": "spawn", "forkserver": "fsrv"}


def _print_matrix(interpreters: list[Interpreter], verdicts: dict) -> None:
    columns = [
        (side, python, method)
        for side in SIDES
        for python in side_interpreters(side, interpreters)
        for method in python.start_methods
    ]
    by_cell = {(c.example, c.side, c.python, c.start_method): v for c, v in verdicts.items()}
    label = max(map(len, EXAMPLES)) + 2
    # A column is 6 wide; the first column of a side is wide enough for the side's name.
    new_side = [i == 0 or columns[i - 1][0] != side for i, (side, _, _) in enumerate(columns)]
    new_python = [i == 0 or columns[i - 1][1] != c[1] for i, c in enumerate(columns)]
    widths = [max(6, len(column[0]) + 1) if new else 6
              for column, new in zip(columns, new_side, strict=True)]

    def row(title: str, cells: list[str]) -> None:
        text = "".join(f"{cell:<{width}}" for cell, width in zip(cells, widths, strict=True))
        print(f"{title:<{label}}{text}".rstrip())

    print()
    row("", [side if new else "" for (side, _, _), new in zip(columns, new_side, strict=True)])
    row("", [column[1].minor if new else ""
             for column, new in zip(columns, new_python, strict=True)])
    row("", [_SHORT[method] for _, _, method in columns])
    for example in EXAMPLES:
        verdicts_here = [by_cell.get((example, *column)) for column in columns]
        row(example, ["-" if v is None else "ok" if v.holds else "FAIL" for v in verdicts_here])
    print()


def _print_failures(failing: list[Verdict]) -> None:
    for verdict in failing:
        c = verdict.cell
        for problem in verdict.problems:
            print(f"FAIL {c.example} [{c.id}] {problem}")


def _print_skips(interpreters: list[Interpreter], explicit: bool) -> None:
    found = {i.minor for i in interpreters}
    missing = [v for v in KNOWN_VERSIONS if v not in found]
    if missing:
        where = ("not among the interpreters named" if explicit else
                 "none found on PATH or in pyenv's versions folder")
        print(f"skipped: Python {', '.join(missing)}: {where}")
    for side, major in SIDES.items():
        if not any(i.version[0] == major for i in interpreters):
            print(f"skipped: {side} was not run: no Python {major} found")
    for python in interpreters:
        lacking = [m for m in START_METHODS if m not in python.start_methods]
        if lacking:
            print(f"skipped: Python {python.minor} has no {' or '.join(lacking)} start method")

"""What `diff` and `port` share: diff's options, the settings they ask for, and diff run as
a command runs it (in worker threads, with a progress line, its report printed and written)."""
from __future__ import annotations

import os
import re
import sys
from functools import partial

from portproof import _args, _diff_report, _report, _run, _terminal, timeouts
from portproof._differ import DiffCell, DiffReport, DiffSettings, SoFar, compare_with_old
from portproof._escape import quoted
from portproof._stop import STOPS, results, stopped, workers
from portproof._trace import MODES
from portproof._usage import UsageError

# diff's exit status by its verdict: where no cell differs and one is unstable, 4 and not 1, so
# that a CI check tells a port that differs from one whose runs do not settle.
STATUS = {"same": 0, "differs": 1, "unstable": 4}
EXIT_STATUS = (f"Exit status: {STATUS['same']} every cell the same, {STATUS['differs']} a cell "
               f"differs, {STATUS['unstable']} no cell differs and one is unstable (NEW showed, "
               "in some runs only, what OLD's runs never did), 2 a usage error; "
               "the others as `portproof --help` says.")

def add_options(parser) -> None:
    """The options `port` shares with `diff`, and what its exit status says."""
    parser.epilog = EXIT_STATUS
    parser.add_argument("--old-python", metavar="PY",
                        help=f"interpreter for OLD, {_args.PYTHON} (default: the Python 2 "
                             "found)")
    parser.add_argument("--python", metavar="PY", action="append",
                        help=f"Python 3 interpreter for NEW, {_args.PYTHON}; repeatable "
                             "(default: all found)")
    _args.add_start_method(parser)
    _args.add_mode(parser)
    _args.add_runs(parser, default=1)
    parser.add_argument("--baseline-runs", type=_args.positive, default=3, metavar="N",
                        help="runs of OLD per mode to learn its noise from (default: 3)")
    parser.add_argument("--ignore", action="append", default=[], metavar="REGEX",
                        help="mask what matches in every line, repeatable")
    parser.add_argument("--workdir", metavar="DIR",
                        help="a folder copied afresh as each run's working directory "
                             "(default: an empty one)")
    parser.add_argument("--stdin", metavar="FILE", help="the scripts' stdin (default: /dev/null)")
    _args.add_reports(parser)
    time = parser.add_mutually_exclusive_group()
    # Real time by default: scaled, a program that mixes its own sleeps with timeouts it passes
    # to the library (join(1) on a process that sleeps 2 s) prints what it never prints in real
    # life; diff runs code nobody here has read, so it does not assume.
    time.add_argument("--fast", action="store_true",
                      help=f"scale the scripts' own sleeps x{_run.FAST} (default: real time)")
    time.add_argument("--real-time", action="store_true",
                      help="let the scripts sleep for real (the default; as check and compare "
                           "spell it)")
    parser.add_argument("--strict", action="store_true",
                        help="a warning NEW prints and OLD does not is a difference, not a note")
    _args.add_timeout(parser, None, f"{timeouts.RUN:g} for OLD's runs; for NEW's, "
                      f"{timeouts.NEW_LIMIT_FACTOR:g} times OLD's slowest run, at least "
                      f"{timeouts.NEW_LIMIT_FLOOR:g}, at most {timeouts.RUN:g}")
    # One per core: diff's rules about the order of lines were soaked at that load.
    _args.add_jobs(parser, os.cpu_count() or 1)
    # A default, or argparse lists it among the arguments required when a script is missing.
    parser.add_argument("args", nargs="*", metavar="-- ARGS", default=[],
                        help="arguments after -- go to both scripts")


def run_diff(args, more: dict | None = None) -> tuple[int, DiffReport | None]:
    """What `diff` does: its exit status and its report (None when stopped); `more` are keys
    added to the JSON report (`port`'s)."""
    settings = settings_from(args)
    planned = len(settings.modes) * (settings.baseline_runs + len(settings.cells) * settings.runs)
    # What is compared with what, first: the runs take minutes.
    _diff_report.print_header(settings)
    sys.stdout.flush()
    so_far = SoFar()
    try:
        # Inside the pool's block, as compare's: gone before the clean-up and the report.
        with workers(args.jobs) as (pool, cancel), \
                _terminal.progress("diff", planned, "runs", "cell(s) showed a difference") as bar:
            report = compare_with_old(settings, partial(_runs, pool, cancel, bar), bar, so_far)
    except STOPS as stop:  # what it had, as compare prints the cells it had
        judged = _diff_report.print_stopped(settings, so_far)
        return stopped(stop, f" after {judged} of {len(settings.cells)} cells judged"), None
    _diff_report.print_report(report, header=False, baseline_runs=settings.baseline_runs)
    _report.write(args, {**_diff_report.as_json(report), **(more or {})}, _report.diff_page)
    return STATUS[report.verdict], report


def settings_from(args, check_new: bool = True) -> DiffSettings:
    """The settings `args` ask for, or a UsageError; `port` checks them before NEW exists."""
    old = _args.script(args.old, "OLD")
    new = _args.script(args.new, "NEW") if check_new else args.new
    _report.check_paths(args)
    ignore = []
    for text in args.ignore:
        try:
            ignore.append(re.compile(text))
        except re.error as exc:
            raise UsageError(f"--ignore {quoted(text)} is not a regular expression: "
                             f"{exc}") from None
    for option, path, check in (("--workdir", args.workdir, os.path.isdir),
                                ("--stdin", args.stdin, os.path.isfile)):
        if path is not None and not check(path):
            kind = "folder" if check is os.path.isdir else "file"
            raise UsageError(f"{option} {quoted(path)} is not a {kind}")
    if args.workdir is not None:
        _args.folder(os.path.abspath(args.workdir), "--workdir")
    if args.old_python:
        old_python = _args.interpreter(args.old_python, "--old-python")
    else:
        old_python = _args.newest(2, "--old-python")
    named = _args.interpreters(args.python)
    pythons = [p for p in named if p.version[0] == 3]
    python2 = [(name, p) for name, p in zip(args.python or (), map(_args.interpreter,
                                                                  args.python or ()),
                                            strict=True) if p.version[0] != 3]
    if python2:
        # A usage error, not a note: NEW run on the Python 3s alone makes a report that reads
        # as covering every interpreter named, and nothing has run yet.
        said = " ".join(f"--python {name}" for name, _ in python2)
        minors = ", ".join(p.minor for _, p in python2)
        rest = (f"NEW would run on {', '.join(p.minor for p in pythons)} only: leave {said} out"
                if pythons else "name a Python 3")
        raise UsageError(f"{said}: NEW is the Python 3 port, and {minors} "
                         f"{'is a Python 2' if len(python2) == 1 else 'are Python 2s'} (OLD's, "
                         f"chosen with --old-python); {rest}")
    if not pythons:
        raise UsageError("no Python 3 found on PATH or in pyenv to run NEW with; name one with "
                         "--python")
    if args.start_method != "all" and not any(args.start_method in p.start_methods
                                              for p in pythons):
        raise UsageError(f"no interpreter given has the start method {args.start_method!r}")
    cells = tuple(DiffCell(p, m) for p in pythons for m in p.start_methods
                  if args.start_method in ("all", m))
    for python, path, name in ((old_python, old, "OLD"),
                               *((p, new, "NEW") for p in pythons if check_new)):
        _args.readable(python, path, name)
    options = _run.RunOptions(
        time_scale=_run.FAST if args.fast else 1.0, timeout=args.timeout or timeouts.RUN,
        containment=_args.containment(),
        workdir=args.workdir and os.path.abspath(args.workdir),
        stdin=args.stdin and os.path.abspath(args.stdin), args=tuple(args.args))
    return DiffSettings(
        old=os.path.abspath(old), new=os.path.abspath(new), old_python=old_python, cells=cells,
        modes=MODES if args.mode == "both" else (args.mode,), options=options, runs=args.runs,
        baseline_runs=args.baseline_runs, ignore=tuple(ignore), strict=args.strict,
        new_timeout=args.timeout,
    )


def _runs(pool, cancel, bar: _terminal.Bar, calls: dict, skip=lambda key: False,
          ended=lambda key, trace: None):
    """Run every `key: (python, script, start_method, mode, options)` of `calls`, as many at
    once as the pool has workers, in order, and yield (key, its trace) as each ends. A run whose
    key `skip` names when its turn comes is left out, and one it names while it goes is stopped
    and left out; `ended(key, trace)` is called in the run's worker as soon as it ends, so that
    what it says holds before the worker's next run."""
    def run(key, python, script, method, mode, options):
        if skip(key):
            return None
        try:
            trace = _run.run_script(python, script, method, mode, options,
                                    _Either(cancel, partial(skip, key)))
        except _run.Cancelled:
            if cancel.is_set():
                raise
            return None
        ended(key, trace)
        return trace

    todo = {key: partial(run, key, *call) for key, call in calls.items()}
    for key, trace in results(pool, todo):
        bar.advance()
        if trace is not None:
            yield key, trace


class _Either:
    """A run's cancel: set when `cancel` is, or when `stop()` says so."""

    def __init__(self, cancel, stop) -> None:
        self.cancel, self.stop = cancel, stop

    def is_set(self) -> bool:
        return self.cancel.is_set() or self.stop()

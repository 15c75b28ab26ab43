"""`portproof timeline SCRIPT -o FILE.svg|.png`: run a script once and draw what ran when
(the picture: _plot)."""
from __future__ import annotations

import os
import tempfile
from functools import partial

from portproof import _args, _plot, _run, _terminal
from portproof._escape import quoted
from portproof._interpreters import START_METHODS
from portproof._stop import results, workers
from portproof._trace import MODES
from portproof._usage import UsageError
from portproof.specs import EXAMPLES, SPECS


def output(path: str) -> str:
    """`path` if a picture can be written there, else a usage error."""
    if os.path.isdir(path):
        raise UsageError(f"-o {quoted(path)} is a directory; give a file name")
    if os.path.splitext(path)[1].lower() not in _plot.SUFFIXES:
        raise UsageError(f"-o {quoted(path)}: give a file name ending in "
                         f"{' or '.join(_plot.SUFFIXES)}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"-o {quoted(path)}: folder {quoted(folder)} does not exist")
    try:  # a file that is gone when closed: can the picture be written here at all?
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as exc:
        raise UsageError(f"-o {quoted(path)}: cannot write in {quoted(folder)}: "
                         f"{exc.strerror}") from None
    return path


def example_of(script: str, named: str | None) -> str | None:
    if named is not None:
        if named not in EXAMPLES:
            raise UsageError(f"unknown example {quoted(named)}; choose from {', '.join(EXAMPLES)}")
        return named
    guess = os.path.splitext(os.path.basename(script))[0]
    return guess if guess in EXAMPLES else None


def add_parser(sub) -> None:
    parser = sub.add_parser("timeline",
                            help="run a script once and draw what ran when (SVG or PNG)")
    parser.add_argument("script", metavar="SCRIPT", help="the script to run")
    parser.add_argument("-o", "--output", metavar="FILE", required=True,
                        help="the picture to write: FILE.svg or FILE.png")
    parser.add_argument("--python", metavar="PY",
                        help=f"interpreter to run it with, {_args.PYTHON} (default: the newest "
                             "Python 3 found)")
    parser.add_argument("--start-method", choices=START_METHODS,
                        help="the multiprocessing start method to run under (default: the "
                             "interpreter's first, fork on Linux)")
    parser.add_argument("--mode", choices=MODES, default="pty",
                        help=f"{_args.MODE_HELP} (default: %(default)s)")
    parser.add_argument("--example", metavar="NAME",
                        help="draw this example's spec events too (default: guessed from "
                             "the file name)")
    _args.add_real_time(parser)
    _args.add_timeout(parser)
    parser.set_defaults(command=timeline)


def timeline(args) -> int:
    _args.script(args.script)
    path = output(args.output)
    example = example_of(args.script, args.example)
    _plot.pyplot()  # before the run: no use running what cannot be drawn
    held_by = _args.containment()
    python = _args.interpreter(args.python) if args.python else _args.newest(3)
    method = args.start_method or python.start_methods[0]
    if method not in python.start_methods:
        raise UsageError(f"Python {python.minor} has no start method {method!r}; "
                         f"it has {', '.join(python.start_methods)}")
    _args.readable(python, args.script)
    options = _args.run_options(args, held_by)
    # In a worker thread, as every command runs: a stop never cuts the run's clean-up short.
    with workers(1) as (pool, cancel):
        call = partial(_run.run_script, python, args.script, method, args.mode, options, cancel)
        ((_, trace),) = results(pool, {"run": call})
    picture = _plot.model(trace, SPECS[example] if example else None, script=args.script,
                     time_scale=options.time_scale)
    try:
        _plot.draw([picture], path)
    except OSError as exc:
        raise UsageError(f"-o {quoted(path)}: {exc.strerror or exc}") from None
    counts = picture.counts()
    _terminal.Out().line(f"{path}: {counts['rows']} processes, {counts['marks']} lines"
                         + (f", {counts['tasks']} tasks" if example in _plot.TASKS else "")
                         + (f"; the run timed out after {trace.timeout:g} s"
                            if trace.timeout else ""))
    return 0

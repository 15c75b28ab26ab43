"""What the commands share on the command line: option types, and turning a name
into an interpreter or a script."""
from __future__ import annotations

import argparse
import os
import re
import shutil

from portproof import _contain, _folders, _run, timeouts
from portproof._escape import quoted
from portproof._interpreters import (START_METHODS, Interpreter, NotPython, compile_error,
                                     discover, probe)
from portproof._trace import MODES
from portproof._usage import UsageError


MODE_HELP = ("pty: stdout on a terminal, line-buffered, as a person sees it; pipe: stdout on a "
             "pipe, block-buffered, as a log or CI sees it")


def add_start_method(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start-method", choices=[*START_METHODS, "all"], default="all",
                        help="the multiprocessing start method to run under (default: all, "
                             "each one the interpreter has)")


def add_mode(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mode", choices=[*MODES, "both"], default="both",
                        help=f"{MODE_HELP}; both (the default) runs each")


# The most runs or jobs a count may ask for: far beyond any use, so that a slip of the keyboard
# (--baseline-runs 100000000) is a usage error, not minutes of planning and gigabytes of memory.
MAX_COUNT = 1000


def count(what: str):
    """An argparse type: a whole number of `what` ("runs", "jobs") from 1 to MAX_COUNT."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{quoted(text)} is not a whole number") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{value} {what}: give 1 or more")
        if value > MAX_COUNT:
            raise argparse.ArgumentTypeError(f"{value} {what}: give at most {MAX_COUNT}")
        return value

    parse.__name__ = what  # argparse names the type in its own messages
    return parse


positive = count("runs")


def containment() -> _contain.Containment:
    """The containment the runs will have (see _contain: PORTPROOF_CONTAINMENT, or the best
    this machine allows), or a usage error."""
    try:
        return _contain.choose()
    except _contain.ContainmentError as exc:
        raise UsageError(f"PORTPROOF_CONTAINMENT: {exc}") from None


def add_runs(parser: argparse.ArgumentParser, default: int) -> None:
    parser.add_argument("--runs", type=positive, metavar="N", default=default,
                        help="runs per cell and mode (default: %(default)s)")


# Twice the cores: a run mostly waits (sleeps, pipes, interpreters starting), so two per core
# keep the cores busy. Measured on 2 cores, the full compare: 94 s with 2 jobs, 67 s with 4,
# 68 s with 8, every verdict the same.
JOBS = 2 * (os.cpu_count() or 1)


def add_jobs(parser: argparse.ArgumentParser, default: int = JOBS) -> None:
    parser.add_argument("--jobs", type=count("jobs"), default=default, metavar="N",
                        help="cells run at once (default: %(default)s)")


def add_real_time(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--real-time", action="store_true",
                        help=f"let the subject sleep for real (default: sleeps x{_run.FAST})")


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} seconds: give more than 0")
    return value


def add_timeout(parser: argparse.ArgumentParser, default: float | None = timeouts.RUN,
                default_text: str = "%(default)g") -> None:
    parser.add_argument("--timeout", type=positive_seconds, default=default, metavar="SECONDS",
                        help="a run taking longer is killed and reported "
                             f"(default: {default_text})")


def add_reports(parser: argparse.ArgumentParser, html_only: bool = False) -> None:
    if not html_only:
        parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    parser.add_argument("--html", metavar="FILE",
                        help="also write the report as one self-contained HTML page")


def time_scale(args) -> float:
    return 1.0 if args.real_time else _run.FAST


def run_options(args, held_by: _contain.Containment) -> _run.RunOptions:
    """What --real-time and --timeout ask of every run, held by `held_by`."""
    return _run.RunOptions(time_scale=time_scale(args), timeout=args.timeout, containment=held_by)


# What --python and --old-python take.
PYTHON = "a path, a command on PATH or a version found (3.13)"


def interpreter(name: str, option: str = "--python") -> Interpreter:
    """The interpreter `name` names: a path, a command on PATH (`python3.13`, as a shell finds
    it), or a version (`3.13`) of those portproof finds."""
    if re.fullmatch(r"\d+\.\d+", name):
        found = [i for i in discover() if i.minor == name]
        if not found:
            raise UsageError(f"{option} {name}: no Python {name} found on PATH or in pyenv's "
                             "versions folder")
        return found[-1]
    path = name
    if os.sep not in name:
        path = shutil.which(name)
        if path is None:
            raise UsageError(f"{option} {name}: no such command on PATH")
    try:
        return probe(path)
    except NotPython as exc:
        raise UsageError(f"{option} {exc}".replace(path, name, 1)) from None


def interpreters(paths: list[str] | None) -> list[Interpreter]:
    """The interpreters named, oldest first, or every one found."""
    if paths:
        return sorted((interpreter(p) for p in paths), key=lambda i: i.version)
    return discover()


def newest(major: int, option: str = "--python") -> Interpreter:
    found = [i for i in discover() if i.version[0] == major]
    if not found:
        raise UsageError(f"no Python {major} found on PATH or in pyenv; name one with {option}")
    return found[-1]


def script(path: str, what: str = "script") -> str:
    if not os.path.isfile(path):
        problem = "is a directory" if os.path.isdir(path) else "does not exist"
        raise UsageError(f"{what} {quoted(path)} {problem}; give the path of a Python file")
    folder(os.path.dirname(os.path.abspath(path)), f"{what} {quoted(path)}: its folder",
           _folders.measure_script_folder)
    return path


def folder(path: str, what: str, measure=_folders.measure) -> None:
    """A UsageError unless a run can copy the folder `path` (each run works in a copy)."""
    try:
        measure(path)
    except _folders.TooBig as exc:
        raise UsageError(f"{what} {exc}; give one with fewer") from None
    except OSError as exc:
        raise UsageError(f"{what} {quoted(path)} cannot be read: {exc.strerror or exc}") from None


def readable(python: Interpreter, path: str, what: str = "script") -> None:
    """A usage error if `python` cannot compile the script at `path` (a Python 2 script given
    to a Python 3): nothing is run that could only fail."""
    problem = compile_error(python, path)
    if problem:
        raise UsageError(f"{what} {quoted(path)} is not valid Python {python.minor}: {problem}")

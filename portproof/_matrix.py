"""The cells of the comparison: example x side x interpreter x start method, and their verdicts.

A side runs on the interpreters of its own major version: py2_original on Python 2, py3_port on
Python 3. A cell is judged by compiling its script with the cell's interpreter (a script it
cannot read is not run), then running it in every mode, `runs` times each; it holds when no run
breaks the example's spec.
"""
from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass, field

from portproof import _run
from portproof._interpreters import START_METHODS, Interpreter, compile_error
from portproof._trace import MODES, Trace
from portproof._spec import judge
from portproof.specs import SPECS

SIDES = {"py2_original": 2, "py3_port": 3}
# The interpreters the case study is checked on; others found are used too.
KNOWN_VERSIONS = ("2.7", *(f"3.{n}" for n in range(6, 15)))


@dataclass(frozen=True)
class Cell:
    example: str
    side: str
    python: Interpreter
    start_method: str

    @property
    def id(self) -> str:
        return f"{self.side}-{self.python.minor}-{self.start_method}"


@dataclass(frozen=True)
class JudgedRun:
    """One run of a cell, kept for the reports (_report): its trace and what it broke."""

    mode: str
    n: int
    trace: Trace
    problems: tuple[str, ...]


@dataclass
class Verdict:
    cell: Cell
    problems: list[str] = field(default_factory=list)  # "<mode> run <n>: <sentence>"
    made: list[JudgedRun] = field(default_factory=list)
    script: str = ""
    modes: tuple[str, ...] = MODES

    @property
    def runs(self) -> int:
        return len(self.made)

    @property
    def holds(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Skip:
    """Columns of the matrix that were not run, and why (as `compare` prints it)."""

    reason: str
    # (side, interpreter minor, start method); check's side is None: its script has none
    columns: tuple[tuple[str | None, str, str], ...]


def side_interpreters(side: str, interpreters: list[Interpreter]) -> list[Interpreter]:
    return [i for i in interpreters if i.version[0] == SIDES[side]]


def cells(interpreters: list[Interpreter], examples=tuple(SPECS)) -> list[Cell]:
    return [
        Cell(example, side, python, method)
        for example in examples
        for side in SIDES
        for python in side_interpreters(side, interpreters)
        for method in START_METHODS
        if method in python.start_methods
    ]


def script(root: str, side: str, example: str) -> str:
    return os.path.join(root, side, f"{example}.py")


# A script judged without options: the defaults, containment chosen by each run.
_DEFAULT_OPTIONS = _run.RunOptions()


@functools.lru_cache(maxsize=256)
def _compile(python: Interpreter, path: str, mtime_ns: int) -> str | None:
    return compile_error(python, path)


def _compile_error(python: Interpreter, path: str) -> str | None:
    """compile_error, once per interpreter and version of the script (a cell's modes and the
    cells of one script under each start method ask the same)."""
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        return None  # the run says what is wrong
    return _compile(python, path, mtime)


def judge_script(example: str, path: str, python: Interpreter, start_method: str,
                 options: _run.RunOptions = _DEFAULT_OPTIONS, *, modes=MODES, runs: int = 1,
                 cancel: threading.Event | None = None, side: str = "") -> Verdict:
    verdict = Verdict(Cell(example, side, python, start_method), script=path, modes=tuple(modes))
    error = _compile_error(python, path)
    if error:  # nothing to run: the interpreter cannot read the script
        verdict.problems.append(f"is not valid Python {python.minor}: {error}")
        return verdict
    for mode in modes:
        for n in range(1, runs + 1):
            trace = _run.run_script(python, path, start_method, mode, options, cancel)
            problems = tuple(judge(SPECS[example], trace))
            verdict.made.append(JudgedRun(mode, n, trace, problems))
            verdict.problems += [f"{mode} run {n}: {p}" for p in problems]
    return verdict


def skips(interpreters: list[Interpreter], explicit: bool, sides: dict[str, int] = SIDES,
          left_out: dict[str, str] | None = None) -> list[Skip]:
    """The columns of the matrix not run, each group with its reason; `left_out`: the sides
    not run by choice, and why (their versions are not missing)."""
    left_out = left_out or {}
    found = {i.minor for i in interpreters}
    chosen_out = {sides[side] for side in left_out}
    missing = [v for v in KNOWN_VERSIONS
               if v not in found and int(v.split(".")[0]) not in chosen_out]
    out = []

    def columns(minors, methods=START_METHODS) -> tuple:
        return tuple((side, minor, method) for side, major in sides.items() for minor in minors
                     if int(minor.split(".")[0]) == major for method in methods)

    if missing:
        where = ("not among the interpreters named" if explicit else
                 "none found on PATH or in pyenv's versions folder")
        out.append(Skip(f"Python {', '.join(missing)}: {where}", columns(missing)))
    for side, major in sides.items():
        if not any(i.version[0] == major for i in interpreters):
            why = left_out.get(side, f"no Python {major} found")
            out.append(Skip(f"{side} was not run: {why}",
                                    columns([v for v in KNOWN_VERSIONS
                                             if int(v.split(".")[0]) == major])))
    out += [skip for python in interpreters if (skip := methods_skip(python, sides))]
    return out


def methods_skip(python: Interpreter, sides: dict = SIDES) -> Skip | None:
    """The start methods `python` lacks, as one skip of the columns of `sides` (side: major;
    check's one side is None), or None."""
    lacking = [m for m in START_METHODS if m not in python.start_methods]
    if not lacking:
        return None
    return Skip(f"Python {python.minor} has no {' or '.join(lacking)} start method",
                        tuple((side, python.minor, method) for side, major in sides.items()
                              if python.version[0] == major for method in lacking))

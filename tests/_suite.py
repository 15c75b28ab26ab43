"""What the suite's tests share: where things are, the interpreters found, the matrix's cells,
and a cache of example runs. A plain module, so that tests import it by name (`from _suite
import ...`); the hooks that use it are in conftest.py."""
from __future__ import annotations

import importlib.metadata
import json
import os
import re
from dataclasses import dataclass

import psutil
import pytest

from portproof import _contain, _run
from portproof._interpreters import START_METHODS, Interpreter, discover
from portproof._matrix import KNOWN_VERSIONS, SIDES
from portproof._trace import Trace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASE_STUDY = os.path.join(ROOT, "tests", "case_study")
PITFALLS = os.path.join(CASE_STUDY, "pitfalls")  # pitfalls/<example>/<what>.py
LEGACY = os.path.join(CASE_STUDY, "legacy")  # legacy/<topic>/{py2,py3,naive,machine}.py
MACHINE_PORT = os.path.join(CASE_STUDY, "machine_port")  # machine_port/<example>.py
SUBJECTS = os.path.join(ROOT, "tests", "harness", "subjects")
MANUAL = os.path.join(ROOT, "docs", "harness.md")  # the commands, their options and reports

INTERPRETERS = {i.minor: i for i in discover()}
PY3 = [i for i in INTERPRETERS.values() if i.version[0] == 3]  # oldest first
# The versions the matrix has a column for, found here or not.
VERSIONS = list(KNOWN_VERSIONS) + [v for v in INTERPRETERS if v not in KNOWN_VERSIONS]
MISSING = [v for v in VERSIONS if v not in INTERPRETERS]


NEWEST = PY3[-1] if PY3 else None
CONTAINMENTS = ["cgroup", "subreaper", "token"]


def needs_containment(kind):
    """The containment `kind`, or a skip where this machine cannot hold runs by it (no cgroup,
    no subreaper)."""
    try:
        return _contain.choose(kind)
    except _contain.ContainmentError as e:
        pytest.skip(f"no {kind} containment here: {e}")


def run(name, python=None, *, start_method="fork", mode="pipe", containment=None, cancel=None,
        **options):
    """A run of the subject `name` (tests/harness/subjects), with the newest Python 3 unless
    `python` is given."""
    held_by = needs_containment(containment) if containment else None
    return _run.run_script(python or NEWEST, os.path.join(SUBJECTS, name), start_method, mode,
                           _run.RunOptions(containment=held_by, **options), cancel)


def alive(p: psutil.Process) -> bool:
    """Running, not a zombie."""
    try:
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def gone(pids) -> bool:
    """Each of `pids` gone, or dead and waiting for init to reap it."""
    for pid in pids:
        try:
            if alive(psutil.Process(pid)):
                return False
        except psutil.NoSuchProcess:
            continue
    return True


def pitfall(name: str) -> str:
    """The path of a pitfall port, named as the gallery names it ("pool/with_no_wait.py")."""
    return os.path.join(PITFALLS, name)


def legacy(topic: str, version: str) -> str:
    """The path of a legacy topic's program: version is py2, py3, naive or machine."""
    return os.path.join(LEGACY, topic, f"{version}.py")


@dataclass(frozen=True)
class Slot:
    """A cell of the matrix this machine can run: a side on an interpreter found, under one of
    that interpreter's start methods."""

    side: str
    python: Interpreter
    start_method: str

    @property
    def minor(self) -> str:
        return self.python.minor

    @property
    def id(self) -> str:
        return f"{self.side}-{self.minor}-{self.start_method}"


def slots(sides=tuple(SIDES)) -> list[Slot]:
    """The cells of `sides` on the interpreters found: a start method an interpreter lacks
    (Python 2.7 has fork only) and an interpreter not found have none."""
    return [
        Slot(side, INTERPRETERS[minor], method)
        for side in sides
        for minor in VERSIONS
        if minor in INTERPRETERS and INTERPRETERS[minor].version[0] == SIDES[side]
        for method in START_METHODS
        if method in INTERPRETERS[minor].start_methods
    ]


class Traces:
    """Runs of the examples, each made once per test process (the tests of one xdist worker
    share them: test_examples and test_equivalence judge the same runs)."""

    def __init__(self):
        self._runs: dict[tuple, Trace] = {}

    def run(self, example: str, side: str, python: Interpreter, method: str, mode: str,
            n: int = 1) -> Trace:
        """Run `n` of `side`/<example>.py in that cell and mode."""
        key = (example, side, python.minor, method, mode, n)
        if key not in self._runs:
            path = os.path.join(ROOT, side, f"{example}.py")
            self._runs[key] = _run.run_script(python, path, method, mode)
        return self._runs[key]


def diff(old, new, *options, pythons=None, capsys=None, fast=True):
    """Run `portproof diff` (sleeps scaled unless not `fast`, to keep the suite short); return
    its exit status, its output and its JSON report."""
    __tracebackhide__ = True
    from portproof._cli import main  # the CLI, imported by the tests that drive it only

    pythons = [p.path for p in (pythons or PY3)]
    json_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"diff-{os.getpid()}.json")
    argv = ["diff", old, new, "--fast" if fast else "--real-time", "--json", json_path,
            *options]
    for path in pythons:
        argv += ["--python", path]
    try:
        status = main(argv)
        out = capsys.readouterr().out if capsys else ""
        with open(json_path) as f:
            report = json.load(f)
    finally:
        if os.path.exists(json_path):
            os.remove(json_path)
    return status, out, report


def json_keys(value) -> set:
    """Every key of a JSON value, at any depth (a list's first item stands for the rest)."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in json_keys(v)}
    if isinstance(value, list) and value:
        return json_keys(value[0])
    return set()


def manual_json_keys(end: str) -> set:
    """The keys of the harness manual's JSON example that ends with `end` ('"holds": false}')."""
    with open(MANUAL, encoding="utf-8") as f:
        text = f.read()
    stop = text.index(end)
    block = text[text.rindex('{"version": 1,', 0, stop):stop + len(end)]
    return set(re.findall(r'"(\w+)":', block))


# The machine port's pinned texts (MIGRATION.md, machine_port/, each legacy topic's machine.py)
# are this pyupgrade's output: the version pyproject.toml's port extra pins.
PYUPGRADE = "3.22.0"


def needs_pinned_pyupgrade(what: str = "the pinned texts") -> None:
    """Skip, saying why, unless the pinned pyupgrade is the one installed."""
    __tracebackhide__ = True
    try:
        version = importlib.metadata.version("pyupgrade")
    except importlib.metadata.PackageNotFoundError:
        version = None
    if version != PYUPGRADE:
        pytest.skip(f"{what} are pyupgrade {PYUPGRADE}'s output; here it is {version}")

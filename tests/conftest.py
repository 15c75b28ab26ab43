"""The shared suite's matrix, its skips (decided here and nowhere else), and its leak checks
(processes, temporary files)."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass

import psutil
import pytest

from portproof._boot import protocol
from portproof import _contain, _run
from portproof._interpreters import START_METHODS, Interpreter, discover
from portproof._matrix import KNOWN_VERSIONS, SIDES

# Marks every process this test run starts (subjects inherit it), so the final leak check sees
# only ours, not those of another suite running beside it. xdist workers inherit the
# controller's.
os.environ.setdefault("PORTPROOF_SUITE", uuid.uuid4().hex)
# The pytest that owns the suite's mark: its xdist workers share it, and so does a pytest that a
# test runs (test_migration collects ids), which must not sweep the suite's subjects at its end.
os.environ.setdefault("PORTPROOF_SUITE_OWNER", str(os.getpid()))
# A temporary folder of the suite's own, for every process it starts (portproof, and through it
# the subjects, whose TMPDIR is made under it): what is left there at the end is a leak.
if "PORTPROOF_SUITE_TMP" not in os.environ:
    os.environ["PORTPROOF_SUITE_TMP"] = os.environ["TMPDIR"] = tempfile.mkdtemp(
        prefix="portproof-suite-")
    tempfile.tempdir = None  # asked again, under the new TMPDIR
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORTS = os.path.join(ROOT, "tests", "ports")
INTERPRETERS = {i.minor: i for i in discover()}
PY3 = [i for i in INTERPRETERS.values() if i.version[0] == 3]  # oldest first
# Runs per cell and mode, more where scheduling makes each run different.
RUNS = {"pool": 3, "queue_shared": 2, "value_array": 2}


@dataclass(frozen=True)
class Slot:
    """A column of the matrix, whether or not this machine can fill it."""

    side: str
    minor: str
    start_method: str

    @property
    def id(self) -> str:
        return f"{self.side}-{self.minor}-{self.start_method}"


def slots(sides=tuple(SIDES)) -> list[Slot]:
    versions = list(KNOWN_VERSIONS) + [v for v in INTERPRETERS if v not in KNOWN_VERSIONS]
    return [
        Slot(side, minor, method)
        for side in sides
        for minor in versions
        if int(minor.split(".")[0]) == SIDES[side]
        for method in START_METHODS
    ]


def interpreter_for(slot: Slot) -> Interpreter:
    """The interpreter that fills `slot`, or a skip that says why none can."""
    python = INTERPRETERS.get(slot.minor)
    if python is None:
        pytest.skip(f"no Python {slot.minor} on PATH or in pyenv's versions folder")
    if slot.start_method not in python.start_methods:
        pytest.skip(f"Python {slot.minor} has no {slot.start_method} start method")
    return python


def pytest_generate_tests(metafunc):
    if "slot" in metafunc.fixturenames:
        sides = getattr(metafunc.module, "SLOT_SIDES", tuple(SIDES))
        found = slots(sides)
        metafunc.parametrize("slot", found, ids=[s.id for s in found])


# The subject matrix: tests that run subjects on one interpreter (or column) each, whose outcome
# depends on the interpreters under test, not on the harness's own Python. tox runs the matrix
# once per CI run (py311); the other harness envs run the harness's own tests and a smoke set:
# the columns of Python 2.7 and of the newest Python 3, every start method.
SMOKE = {"2.7", *(p.minor for p in PY3[-1:])}


def pytest_collection_modifyitems(items):
    for item in items:
        spec = getattr(item, "callspec", None)
        minors = {value.minor for value in (spec.params.values() if spec else ())
                  if isinstance(value, (Slot, Interpreter))}
        if minors - SMOKE:
            item.add_marker(pytest.mark.matrix)


_traces: dict = {}


def trace(example: str, side: str, python: Interpreter, method: str, mode: str, n: int = 1):
    """A run of the example, shared by the tests of one worker (the same cell is run once)."""
    key = (example, side, python.minor, method, mode, n)
    if key not in _traces:
        path = os.path.join(ROOT, side, f"{example}.py")
        _traces[key] = _run.run_script(python, path, method, mode)
    return _traces[key]


@pytest.fixture(autouse=True)
def no_leaked_processes():
    """As CPython's tests do with dangling processes: a test that leaves one fails."""
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    yield
    leaked = [p for p in me.children(recursive=True) if p.pid not in before]
    leaked = [p for p in leaked if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    for p in leaked:
        p.kill()
    assert not leaked, f"the test left processes behind: {[p.pid for p in leaked]}"


def pytest_sessionfinish(session):
    """After the whole run (the xdist controller, once every worker is done), no process of any
    subject may be alive, nor any file left in the suite's temporary folder, which goes."""
    if hasattr(session.config, "workerinput"):
        return
    if os.environ["PORTPROOF_SUITE_OWNER"] != str(os.getpid()):
        return
    if session.config.option.collectonly:  # nothing ran: only the folder is to go
        shutil.rmtree(os.environ["PORTPROOF_SUITE_TMP"], ignore_errors=True)
        return
    suite = f"PORTPROOF_SUITE={os.environ['PORTPROOF_SUITE']}"
    left = _contain.processes_with(suite, f"{protocol.RUN}=")
    for p in left:
        p.kill()
    if left:
        print(f"\nprocesses of subjects outlived the suite: {[p.pid for p in left]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    # pytest's own tmp_path folders live there too, and are pytest's to keep or remove.
    tmp = os.environ["PORTPROOF_SUITE_TMP"]
    files = sorted(name for name in os.listdir(tmp) if not name.startswith("pytest-of-"))
    shutil.rmtree(tmp, ignore_errors=True)
    if files:
        print(f"\ntemporary files outlived the suite: {files}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def json_keys(value) -> set:
    """Every key of a JSON value, at any depth (a list's first item stands for the rest)."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in json_keys(v)}
    if isinstance(value, list) and value:
        return json_keys(value[0])
    return set()


def readme_json_keys(end: str) -> set:
    """The keys of README's JSON example that ends with `end` ('"holds": false}')."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    stop = text.index(end)
    block = text[text.rindex('{"version": 1,', 0, stop):stop + len(end)]
    return set(re.findall(r'"(\w+)":', block))

"""The suite's hooks: the matrix's cells (decided at collection, here and nowhere else), the
matrix marker, the suite's own temporary folder, and its leak checks (processes, temporary
files, cgroup groups; /dev/shm entries are reported). What tests share is in _suite.py."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
import uuid

import psutil
import pytest

from portproof import _contain, timeouts
from portproof._boot import protocol
from portproof._interpreters import Interpreter
from portproof._matrix import SIDES

# Marks every process this test run starts (subjects inherit it), so the final leak check sees
# only ours, not those of another suite running beside it. xdist workers inherit the
# controller's.
os.environ.setdefault("PORTPROOF_SUITE", uuid.uuid4().hex)
# The pytest that owns the suite's mark: its xdist workers share it, and so does a pytest that a
# test runs (test_guide collects ids), which must not sweep the suite's subjects at its end.
os.environ.setdefault("PORTPROOF_SUITE_OWNER", str(os.getpid()))
# A temporary folder of the suite's own, for every process it starts (portproof, and through it
# the subjects, whose TMPDIR is made under it): what is left there at the end is a leak.
if "PORTPROOF_SUITE_TMP" not in os.environ:
    os.environ["PORTPROOF_SUITE_TMP"] = os.environ["TMPDIR"] = tempfile.mkdtemp(
        prefix="portproof-suite-")
    tempfile.tempdir = None  # asked again, under the new TMPDIR

# What /dev/shm and the cgroup tree hold when the suite starts: what it made and left there is
# a leak. Names as multiprocessing makes them (a named semaphore, a SharedMemory; glibc's
# temporary name of a semaphore being made), and as portproof names its groups.
SHM = "/dev/shm"
SHM_NAMES = re.compile(r"sem\.mp-.*|sem\.[A-Za-z0-9]{6}|psm_.*|wnsm_.*")
GROUPS = re.compile(r"portproof-(?:trial-)?(\d+)-.*")


def _shm_entries() -> set[str]:
    try:
        return {name for name in os.listdir(SHM) if SHM_NAMES.fullmatch(name)}
    except OSError:
        return set()


def _groups() -> set[str]:
    found = set()
    for parent in _contain._cgroup_mounts():
        with contextlib.suppress(OSError):
            found |= {os.path.join(parent, n) for n in os.listdir(parent) if GROUPS.fullmatch(n)}
    return found


def _held(path: str) -> bool:
    """Whether a process has `path` open or mapped (another program's, alive)."""
    for p in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if any(f.path == path for f in p.open_files()) or any(
                    m.path == path for m in p.memory_maps(grouped=False)):
                return True
    return False


def _shm_left() -> list[str]:
    """The entries made since the suite started that no process holds, and still there after
    the time a resource tracker is given to unlink what its processes left
    (timeouts.HELPERS_END)."""
    def unheld():
        return {name for name in _shm_entries() - SHM_BEFORE
                if not _held(os.path.join(SHM, name))}
    left = unheld()
    if left:
        time.sleep(timeouts.HELPERS_END)
        left &= unheld()
    return sorted(left)


SHM_BEFORE, GROUPS_BEFORE = _shm_entries(), _groups()

# After the set-up above: it probes the interpreters, which must run as the suite's processes.
from _suite import INTERPRETERS, MISSING, PY3, Slot, Traces, slots  # noqa: E402


def pytest_report_header(config):
    found = ", ".join(f"{i.minor} ({' '.join(i.start_methods)})" for i in INTERPRETERS.values())
    lines = [f"interpreters under test: {found or 'none'}"]
    if MISSING:
        lines.append(f"not found, so their cells are not collected: Python {', '.join(MISSING)} "
                     f"(see test_interpreter_found)")
    return lines


# After the parameters a test declares, so its ids read example first: pool-py3_port-3.13-spawn.
@pytest.hookimpl(trylast=True)
def pytest_generate_tests(metafunc):
    """A test that takes `slot` runs in each cell this machine can fill: a start method an
    interpreter lacks and an interpreter not found are never collected (the matrix's columns
    are reported once, by test_interpreter_found)."""
    if "slot" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("sides")
    sides = marker.args if marker else tuple(SIDES)
    found = slots(sides)
    if not found:
        reason = f"no interpreter found for {', '.join(sides)}"
        found = [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="none-found")]
    metafunc.parametrize("slot", found, ids=lambda s: s.id if isinstance(s, Slot) else None)


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


@pytest.fixture(scope="session")
def traces():
    """The examples' runs, each made once per test process and judged by every test that
    asks for it."""
    return Traces()


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
    # Made while the suite ran, and held by no process: left by it (a machine shared with other
    # programs that make such entries may put theirs here too; the names say whose).
    shm = _shm_left()
    for name in shm:
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(SHM, name))
    if shm:
        print(f"\n/dev/shm entries outlived the suite: {shm}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    # Each named by the pid of the portproof that made it: one still running is another
    # suite's (or this one's: the controller's own).
    makers = {g: int(GROUPS.fullmatch(os.path.basename(g))[1]) for g in _groups() - GROUPS_BEFORE}
    groups = sorted(g for g, pid in makers.items()
                    if pid == os.getpid() or not _contain.running(pid))
    if groups:
        print(f"\ncgroup groups outlived the suite: {groups}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


"""The runner survives what ordinary programs do that a runner does not expect: tidying up the
folders they were given, putting something else in place of the files named in their
environment. Whatever a subject does, portproof does not crash or hang, leaves none of the run's
processes running and none of its own files behind, and says what happened. Each subject is in
tests/harness/subjects; each test runs under every containment the machine allows."""
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import psutil
import pytest

from _suite import CONTAINMENTS, NEWEST, ROOT, gone, needs_containment, run
from portproof import _contain, timeouts
from portproof._spec import judge
from portproof.specs import SPECS

needs_py3 = pytest.mark.skipif(NEWEST is None, reason="no Python 3 found")
# The subjects that find the processes above them read /proc.
needs_proc = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="no /proc here")


@pytest.fixture
def mark(monkeypatch):
    """A variable that reaches every process of the subject, to find any left running; they
    are killed after the test, whatever it found."""
    mark = f"SUBJECT_MARK={uuid.uuid4().hex}"
    monkeypatch.setenv(*mark.split("="))
    yield mark
    for p in _contain.processes_with(mark):
        p.kill()


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """portproof's temporary folder for the test: empty after a run, whatever the run did."""
    root = tmp_path / "portproof-temp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


# A program that tidies up may remove the temporary folder it was given, the folder above its
# working folder, or a file it finds named in its environment: the run still ends as it should,
# with its daemon killed and reported, nothing of the run left.
@needs_py3
@pytest.mark.parametrize("tidy", ["tmpdir", "parent", "record"])
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_subject_that_tidies_up_is_run_and_ended_as_any(tidy, containment, mark, temp_root,
                                                          monkeypatch):
    monkeypatch.setenv("SUBJECT_TIDY", tidy)
    trace = run("tidies_up.py", containment=containment)
    assert trace.text == ["tidied"], trace.stderr
    assert trace.returncode == 0
    assert len(trace.leaked) == 1 and gone(trace.leaked), trace.leaked
    assert _contain.processes_with(mark) == []  # the subject's, and the supervisor
    assert list(temp_root.iterdir()) == []
    assert groups_of_this_portproof() == []


def groups_of_this_portproof() -> list[str]:
    """The cgroup groups this process made that are still there."""
    parent = _contain._cgroup_parent()
    if parent is None:
        return []
    return [name for name in os.listdir(parent) if name.startswith(f"portproof-{os.getpid()}-")]


def ends(call, *args, **kwargs):
    """What `call` returns, or a failure if it has not returned within a minute: a run that
    reads what it must not trust may otherwise never end."""
    done = []
    worker = threading.Thread(target=lambda: done.append(call(*args, **kwargs)), daemon=True)
    worker.start()
    worker.join(timeouts.RUN)
    assert done, f"{call.__name__} did not return"
    return done[0]


# What portproof reads from the subject's side (the record, the stack files) is read without
# following links or blocking, within a byte budget, and parsed with a bound on depth.
@needs_py3
@pytest.mark.parametrize("spoil", ["zero", "fifo", "deep"])
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_what_the_subject_puts_in_place_of_portproofs_files_is_not_trusted(
        spoil, containment, mark, monkeypatch):
    monkeypatch.setenv("SUBJECT_SPOIL", spoil)
    trace = ends(run, "spoils_own_files.py", containment=containment, timeout=2.0)
    assert trace.text == ["spoiled"], trace.stderr
    assert (trace.timeout is not None) == (spoil == "fifo")
    if spoil == "deep":  # the lines around it are read
        assert [p.pid for p in trace.processes] == [trace.pid]
    assert _contain.processes_with(mark) == []


# What a program may send its parent: the usual "I am ready" (SIGUSR1), and any other signal.
# The run goes on to its end, with its exit status, and nothing is said of it.
CATCHABLE = ["SIGUSR1", "SIGUSR2", "SIGHUP", "SIGTERM", "SIGINT", "SIGQUIT", "SIGALRM",
             "SIGPIPE", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGVTALRM", "SIGPROF", "SIGXCPU",
             "SIGXFSZ", "SIGTRAP", "SIGABRT", "SIGSYS", "SIGPWR", "SIGRTMIN", "SIGRTMAX"]


@needs_py3
@needs_proc
@pytest.mark.parametrize("sent", [" ".join(CATCHABLE), "SIGSTOP"], ids=["catchable", "SIGSTOP"])
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_subject_that_signals_its_parent_is_run_to_its_end(sent, containment, mark,
                                                             monkeypatch):
    monkeypatch.setenv("SUBJECT_SIGNALS", sent)
    trace = ends(run, "signals_parent.py", containment=containment, timeout=10.0)
    assert trace.text == ["sent", "still here"], trace.stderr
    assert trace.timeout is None
    assert trace.returncode == 3
    problems = judge(SPECS["process"], trace)
    assert "exited with status 3" in problems
    assert not any("killed" in p or "supervisor" in p for p in problems), problems
    assert _contain.processes_with(mark) == []
    assert groups_of_this_portproof() == []


# A program that kills its parent, or the one above it, with SIGKILL: the run says so, keeps
# the main process's exit status while one of them lives, and finds and ends every process of
# the run, one in a cgroup below the run's or one whose parent died among them.
@needs_py3
@needs_proc
@pytest.mark.parametrize("kill", ["parent", "grandparent", "both"])
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_subject_that_kills_its_parent_is_held_to_its_end(kill, containment, mark,
                                                            monkeypatch):
    monkeypatch.setenv("SUBJECT_KILL", kill)
    trace = ends(run, "kills_its_keepers.py", containment=containment, timeout=10.0)
    assert trace.text[1:] == ["killed", "still here"], trace.stderr
    if containment == "cgroup":
        assert trace.text[0] == "daemon below"
    assert trace.timeout is None
    problems = judge(SPECS["process"], trace)
    assert "portproof's supervisor of the run was killed by SIGKILL" in problems
    if kill == "both":  # nothing of portproof's was left to hear it
        assert trace.returncode is None
        assert "its exit status is not known" in problems
    else:
        assert trace.returncode == 3
    assert len(trace.leaked) == 1 and gone(trace.leaked), trace.leaked
    assert _contain.processes_with(mark) == []
    assert groups_of_this_portproof() == []


# Runs a subject that hangs, through the API, with the containment in argv[1].
_HOLDER = """
import sys
sys.path.insert(0, sys.argv[2])
from _suite import run
run("hang_tree.py", containment=sys.argv[1], timeout=60.0)
"""


def _poll(found, bound):
    """Whether `found()` comes true within `bound` seconds."""
    deadline = time.monotonic() + bound
    while not found():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


# A portproof killed by SIGKILL (a CI runner's hard timeout, the OOM killer) takes its runs with
# it: the subject, the supervisor, the cgroup; and what its supervisor could not end (it was
# killed too) is ended and removed by the next portproof.
@needs_py3
@pytest.mark.parametrize("also", ["", "supervisor"])
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_the_runs_of_a_portproof_killed_by_sigkill_die_with_it(also, containment, mark,
                                                              monkeypatch):
    if also and containment != "cgroup":
        pytest.skip("only a cgroup outlives the supervisor: the next portproof finds it")
    needs_containment(containment)
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, containment,
                               os.path.join(ROOT, "tests")],
                              stdin=subprocess.DEVNULL)
    try:
        assert _poll(lambda: any("sleep(600)" in _contain.command_line(p.pid)
                                 for p in _contain.processes_with(mark)), timeouts.RUN)
        if also:
            for p in psutil.Process(holder.pid).children():
                p.kill()  # the supervisor, first
        holder.kill()
        holder.wait()
        if also:  # the next portproof
            monkeypatch.setattr(timeouts, "STALE_GROUP", 0.0)
            run("after_child.py", containment=containment)
        assert _poll(lambda: _contain.processes_with(mark) == [], 5.0), \
            [p.cmdline() for p in _contain.processes_with(mark)]
        parent = _contain._cgroup_parent()
        assert parent is None or not [name for name in os.listdir(parent)
                                      if name.startswith(f"portproof-{holder.pid}-")]
    finally:
        holder.kill()
        holder.wait()


# The kernel's kill of the run's group, written at the end of every cgroup run whatever was
# found: here portproof is made to find none of the run's processes.
@needs_py3
def test_the_group_is_killed_at_the_end_of_a_cgroup_run_whatever_was_found(mark, monkeypatch):
    needs_containment("cgroup")
    monkeypatch.setattr(_contain.Box, "members", lambda box: {})
    trace = run("hang_tree.py", containment="cgroup", timeout=1.0)
    assert trace.text[0].startswith("pids "), trace.stderr
    assert _poll(lambda: _contain.processes_with(mark) == [], 1.0)
    assert groups_of_this_portproof() == []

"""The runner survives what ordinary programs do that a runner does not expect: tidying up the
folders they were given, putting something else in place of the files named in their
environment. Whatever a subject does, portproof does not crash or hang, leaves none of the run's
processes running and none of its own files behind, and says what happened. Each subject is in
tests/harness/subjects; each test runs under every containment the machine allows."""
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

import psutil
import pytest

from _suite import CONTAINMENTS, NEWEST, ROOT, SUBJECTS, gone, needs_containment, run
from portproof import _aftermath, _contain, _folders, _run, timeouts
from portproof._interpreters import probe
from portproof._noise import Model
from portproof._observe import observe
from portproof._spec import excerpt, judge
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
# killed too) is ended and removed by the next portproof, as are the run's folders in TMPDIR,
# which its own clean-up never removed.
@needs_py3
@pytest.mark.parametrize("also", ["", "supervisor"])
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_the_runs_of_a_portproof_killed_by_sigkill_die_with_it(also, containment, mark,
                                                              monkeypatch, tmp_path):
    if also and containment != "cgroup":
        pytest.skip("only a cgroup outlives the supervisor: the next portproof finds it")
    needs_containment(containment)
    tmp = tmp_path / "tmp"  # the killed portproof's TMPDIR, and the next one's
    tmp.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, containment,
                               os.path.join(ROOT, "tests")],
                              stdin=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(tmp)})
    try:
        assert _poll(lambda: any("sleep(600)" in _contain.command_line(p.pid)
                                 for p in _contain.processes_with(mark)), timeouts.RUN)
        if also:
            for p in psutil.Process(holder.pid).children():
                p.kill()  # the supervisor, first
        holder.kill()
        holder.wait()
        assert [name for name in os.listdir(tmp) if name.startswith("portproof-")]
        # The next portproof.
        monkeypatch.setattr(timeouts, "STALE_GROUP", 0.0)
        monkeypatch.setattr(tempfile, "tempdir", str(tmp))
        run("after_child.py", containment=containment)
        assert os.listdir(tmp) == []
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


def tree(root) -> dict[str, bytes]:
    """Every entry under `root`: a file's bytes, a link's target, b"/" for a folder."""
    found = {}
    for folder, names, files in os.walk(root):
        for name in names + files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = (
                os.readlink(path).encode() if os.path.islink(path) else b"/"
                if os.path.isdir(path) else Path(path).read_bytes())
    return found


# A script that writes beside itself (by __file__) runs from a copy of its folder: the writes
# land in the copy and are told as files written beside the script; its sibling modules import,
# and its links lead where they led, within its folder or out of it; the folder above is not
# copied.
@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_what_a_script_writes_beside_itself_stays_out_of_the_users_folder(containment, mark,
                                                                           tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    shutil.copy(os.path.join(SUBJECTS, "beside_itself.py"), user)
    (user / "sibling.py").write_text("NAME = 'sibling'\n")
    (tmp_path / "data.txt").write_text("outside\n")
    (user / "inside").symlink_to("sibling.py")
    (user / "outside").symlink_to(os.path.join("..", "data.txt"))
    before = tree(tmp_path)
    trace = run(str(user / "beside_itself.py"), containment=containment)
    assert tree(tmp_path) == before, trace.stderr
    assert trace.text[:3] == ["sibling", "NAME = 'sibling'", "outside"], trace.stderr
    assert sorted(trace.script_files) == ["out.txt", "sibling.py"]
    assert trace.script_files["out.txt"].head == b"beside"
    seen = observe(trace)
    assert seen.stdout[3:] == ["<script folder>/out.txt", "False"]  # only its folder is copied
    assert seen.files["<script folder>/out.txt"] == trace.script_files["out.txt"].sha256


# A run that leaves a sparse file of 16 GiB is judged, and stops when asked, at once: what a
# run changed is told without reading every byte of a file.
@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_huge_file_left_by_the_run_is_looked_at_within_a_bound(containment, mark):
    cancel = threading.Event()
    threading.Timer(1.5, cancel.set).start()
    start = time.monotonic()
    try:
        trace = run("huge_file.py", containment=containment, cancel=cancel)
    except _run.Cancelled:
        trace = None
    took = time.monotonic() - start
    cancel.set()
    assert took < 1.5 + 1.0, took  # done before the stop, or within a second of it
    if trace is not None:
        assert trace.text == ["made"], trace.stderr
        assert trace.files["huge"].size == 16 << 30


# Names no path can hold (longer than PATH_MAX), or that hold a newline or bytes that are not
# UTF-8, are files as any other: told, escaped where said, never an internal error; folders
# nested deeper than Python's recursion limit are removed as any other.
@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_files_of_any_name_are_told(containment, mark, temp_root):
    trace = run("odd_names.py", containment=containment)
    assert trace.text == ["made"], trace.stderr
    deep = [path for path in trace.files if path.endswith("deep.txt")]
    assert len(deep) == 1 and len(os.fsencode(deep[0])) > 4096
    assert {"new\nline", os.fsdecode(b"\xff\xfe.txt")} <= set(trace.files)
    said = [d.text for d in Model([observe(replace(trace, files={}))]).differences(
        observe(trace))]
    assert len(said) == 3 and all(s.isprintable() and s.encode() for s in said), said
    assert list(temp_root.iterdir()) == []


# A --workdir too big to copy, or a script's folder too big to copy or link, is refused before
# anything runs, in one line naming the folder and the bound, with the usage error's status.
@needs_py3
@pytest.mark.parametrize(("what", "entries", "bound"), [
    ("workdir", _folders.MAX_ENTRIES + 1, "2000"),
    ("script-folder", _folders.MAX_LINKED + 1, "10000"),
])
def test_a_folder_too_big_is_refused(tmp_path, capsys, what, entries, bound):
    from portproof._cli import main

    big = tmp_path / "big"
    big.mkdir()
    for n in range(entries):
        (big / f"{n}.txt").write_text("")
    script = (big if what == "script-folder" else tmp_path) / "process.py"
    shutil.copy(os.path.join(SUBJECTS, "after_child.py"), script)
    workdir = ["--workdir", str(big)] if what == "workdir" else []
    assert main(["diff", str(script), str(script), "--old-python", NEWEST.path, "--python",
                 NEWEST.path, *workdir]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("portproof: ") and str(big) in line and bound in line, line


# A script whose folder is too big to copy (/tmp, a home folder) runs from a folder of links to
# each entry beside it: its modules import, a file it makes beside itself lands in the run's
# folder and is told; a file that was there is the user's, and a write to it reaches the user's.
@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_script_in_a_folder_too_big_to_copy_runs_among_links(containment, mark, tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    for n in range(2001):
        (user / f"{n}.txt").write_text("")
    shutil.copy(os.path.join(SUBJECTS, "beside_itself.py"), user)
    (user / "sibling.py").write_text("NAME = 'sibling'\n")
    (tmp_path / "data.txt").write_text("outside\n")
    (user / "inside").symlink_to("sibling.py")
    (user / "outside").symlink_to(os.path.join("..", "data.txt"))
    trace = run(str(user / "beside_itself.py"), containment=containment)
    assert trace.text[:3] == ["sibling", "NAME = 'sibling'", "outside"], trace.stderr
    assert not (user / "out.txt").exists()
    assert list(trace.script_files) == ["out.txt"]
    assert (user / "sibling.py").read_text() == "NAME = 'sibling'\n# changed\n"


# A run that merely attaches to another program's segment, made after the run began, leaves it
# to that program: portproof removes only what the run's processes made through
# multiprocessing (an entry made by os.open is not removed either).
@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_segment_the_run_attached_to_is_left_to_its_owner(containment, mark, tmp_path,
                                                           monkeypatch):
    named = tmp_path / "name"
    monkeypatch.setenv("SUBJECT_SHM", str(named))
    # Named as multiprocessing names a SharedMemory, made without one (its resource tracker
    # would carry the test's mark, and be ended with the subject's processes).
    name = f"psm_{uuid.uuid4().hex[:8]}"
    path = os.path.join("/dev/shm", name)

    def make():  # another program's segment, once the run has begun
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        os.ftruncate(fd, 4096)
        os.close(fd)
        (tmp_path / "name.new").write_text(name)
        os.rename(tmp_path / "name.new", named)

    maker = threading.Timer(0.5, make)
    maker.start()
    try:
        trace = run("attaches_shm.py", containment=containment, timeout=3.0)
        (line,) = trace.text
        assert line.startswith(f"attached {name} made psm_own"), trace.stderr
        own = os.path.join("/dev/shm", line.split()[-1])
        assert trace.shm_removed == []
        assert os.path.exists(path)
        assert os.path.exists(own)  # made by os.open, not multiprocessing: not removed
        os.unlink(own)
    finally:
        maker.join()
        if os.path.exists(path):
            os.unlink(path)


FREEZER = "/sys/fs/cgroup/freezer"


@pytest.fixture
def freezer():
    """A cgroup v1 freezer group of its own (a frozen task survives SIGKILL until thawed),
    thawed, emptied and removed after the test; and the run's own group, which the frozen task
    kept portproof from removing, removed once that task is gone."""
    if not os.access(FREEZER, os.W_OK):
        pytest.skip("no writable cgroup v1 freezer here")
    group = os.path.join(FREEZER, f"portproof-test-{uuid.uuid4().hex}")
    os.mkdir(group)
    yield group
    with open(os.path.join(group, "freezer.state"), "w") as f:
        f.write("THAWED")
    with open(os.path.join(group, "cgroup.procs")) as f:
        pids = [int(pid) for pid in f.read().split()]
    for pid in pids:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            continue
    parent = _contain._cgroup_parent()
    deadline = time.monotonic() + timeouts.REAP
    while time.monotonic() < deadline:
        left = [os.path.join(parent, name) for name in groups_of_this_portproof()]
        for path in [group, *left]:
            with contextlib.suppress(OSError):
                os.rmdir(path)
        if not os.path.exists(group) and not groups_of_this_portproof():
            break
        time.sleep(0.05)


# "portproof killed them" only when they are gone: a process that SIGKILL did not end (frozen
# in a cgroup v1 freezer) is said to be still running.
@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_process_that_survives_sigkill_is_said_to(containment, mark, freezer, monkeypatch):
    monkeypatch.setenv("SUBJECT_FREEZER", freezer)
    trace = run("frozen_child.py", containment=containment)
    (line,) = trace.text
    child = int(line.split()[1])
    assert list(trace.leaked) == [child], trace.stderr
    (said,) = (p for p in judge(SPECS["process"], trace) if p.startswith("left 1 process"))
    assert "portproof killed" not in said
    assert said.endswith("still running after SIGKILL: " + excerpt(trace.leaked[child])), said


# A process left running is named by its script and arguments, wherever the interpreter and
# the script are: here both in a folder 200 characters deep, with a long name of its own.
@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_leaked_process_is_named_by_its_script_and_arguments_however_deep(containment, mark,
                                                                            tmp_path):
    deep = tmp_path.joinpath("d" * 60, "e" * 60, "f" * 80)
    deep.mkdir(parents=True)
    assert len(str(deep)) > 200
    (deep / "python3").symlink_to(NEWEST.path)
    shutil.copy(os.path.join(SUBJECTS, "daemon.py"), deep)
    shutil.copy(os.path.join(SUBJECTS, "_daemonize.py"), deep)
    trace = run(str(deep / "daemon.py"), probe(str(deep / "python3")),
                containment=containment, args=["--named", "by-its-arguments"])
    assert trace.text == ["parent done"], trace.stderr
    (said,) = (p for p in judge(SPECS["process"], trace) if p.startswith("left 1 process"))
    assert "daemon.py --named by-its-arguments" in said, said


def test_only_the_same_file_the_run_made_in_dev_shm_is_removed():
    """An entry is removed by the inode the boot recorded: the run's own, still there, goes;
    one another program made under the same name since (another file) stays, and so does one
    already gone."""
    names = [f"psm_{uuid.uuid4().hex[:8]}" for _ in range(3)]
    paths = [os.path.join("/dev/shm", name) for name in names]
    try:
        inodes = []
        for path in paths:
            with open(path, "w"):
                pass
            inodes.append(os.stat(path).st_ino)
        # the run's, replaced by another program's file under its name (made while the first
        # is still there: another inode)
        with open(paths[1] + ".new", "w"):
            pass
        os.replace(paths[1] + ".new", paths[1])
        os.unlink(paths[2])  # the run's, unlinked by its resource tracker
        made = dict(zip(names, inodes, strict=True))
        assert _aftermath.remove_shm(made) == [names[0]]
        assert [os.path.exists(p) for p in paths] == [False, True, False]
    finally:
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def test_a_process_that_leaves_the_runs_cgroup_is_still_found(mark):
    """Under a cgroup, a child that moves itself to the group above the run's (root may) is
    still found, as a descendant of the supervisor, reported as left and killed."""
    needs_containment("cgroup")
    trace = run("leaves_its_group.py", containment="cgroup")
    (line,) = trace.text
    word, pid = line.split()
    assert word == "moved", trace.stderr
    assert list(trace.leaked) == [int(pid)], trace.leaked
    assert gone(trace.leaked)
    assert _contain.processes_with(mark) == []

"""Keep hold of every process of a run: list them, signal them, reap them, whatever they do.

Three kinds, the best this machine allows (or the one asked for, by keyword or
PORTPROOF_CONTAINMENT):

- "cgroup": a fresh cgroup v2 group per run, under the group portproof itself is in (or the
  root) of the first writable cgroup2 mount where a trial process could join a group. The
  subject joins it before it runs a line of its own, so everything it starts is in it or in a
  group below it, whatever session, group or environment it gives itself; the kernel lists the
  members (cgroup.procs, read in every group below too) and kills them at once (cgroup.kill,
  written at the end of every run). A group is named by the pid of the portproof that made it,
  so that a later run can remove the groups of one killed by SIGKILL (_sweep).
  A subreaper supervisor (below) starts the subject and reaps its orphans.
- "subreaper": a supervisor per run (a small Python, run by portproof's own interpreter) that
  makes itself a child subreaper (PR_SET_CHILD_SUBREAPER), so every orphan of the run becomes
  its child instead of init's: the run's processes are the supervisor's descendants, and it
  reaps each as it dies. It is per run, not portproof itself, so runs in several threads at once
  never share their orphans.
- "token": the run's processes are those of the subject's process group and those whose
  environment carries the run's token, found by reading every process's environment. A
  process that leaves the group and replaces its environment escapes. The supervisor starts
  the subject here too, a subreaper where the system has one.

The supervisor does not start the subject itself: its child, the subject's parent, does, and
tells portproof, on a pipe they share, the subject's pid and then its exit status as soon as
the subject has exited: that is the end of the run. Both ignore every signal that can be
ignored; a subject that kills its parent leaves its status to the supervisor, one that kills
the supervisor leaves it to its parent, and portproof then also finds the run's processes by
the token. The supervisor dies with portproof (PR_SET_PDEATHSIG), killing every process of the
run first.
"""
from __future__ import annotations

import functools
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

import psutil

from portproof import timeouts
from portproof._boot import protocol

KINDS = ("cgroup", "subreaper", "token")
# Run by portproof's interpreter with -E -s -S: argv is CONTROL_FD OWNER_PID SUBREAP GROUP
# SUBJECT... (SUBREAP "must" or "try"; GROUP a cgroup folder or ""). Forks the subject's parent,
# which starts the subject and says its pid and exit status; says itself the status of a
# subject whose parent was killed, and that it was. SIGHUP is its parent-death signal.
SUPERVISOR = r"""
import ctypes, os, signal, sys, time
control, owner, subreap, group = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
argv = sys.argv[5:]
prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)  # Linux only
supervisor, main = os.getpid(), None


def tell(message):
    try:
        os.write(control, message.encode())
    except OSError:  # portproof has gone: reap on regardless
        pass


def descendants(pid):
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir("/proc/%d/task" % parent)
        except OSError:
            continue
        for tid in tasks:
            try:
                with open("/proc/%d/task/%s/children" % (parent, tid)) as f:
                    children = [int(child) for child in f.read().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def in_group():
    pids = []
    for folder, _, _ in os.walk(group):
        try:
            with open(os.path.join(folder, "cgroup.procs")) as f:
                pids += [int(pid) for pid in f.read().split()]
        except OSError:
            continue
    return pids


def orphaned(signum, frame):
    # PR_SET_PDEATHSIG fires when the thread that started this process ends, and anyone may
    # send SIGHUP: only a new parent says that portproof has gone.
    if os.getpid() != supervisor or os.getppid() == owner:
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if group:
            try:
                with open(os.path.join(group, "cgroup.kill"), "w") as f:
                    f.write("1")
            except OSError:  # Linux < 5.14: the signals below do the work
                pass
        left = descendants(os.getpid()) + (in_group() if group else [])
        for pid in left + ([-main] if main else []):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        if not left:
            break
        time.sleep(0.01)
    if group:
        for folder, _, _ in os.walk(group, topdown=False):
            try:
                os.rmdir(folder)
            except OSError:
                pass
    os._exit(0)


reaping = prctl is not None and prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
if subreap == "must" and not reaping:
    tell("error cannot become a subreaper\n")
    sys.exit(125)
kept = {}  # the dispositions the subject starts with
for number in signal.valid_signals():
    if number not in (signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD):
        try:
            kept[number] = signal.signal(number, signal.SIG_IGN)
        except (OSError, ValueError):  # the C library's own real-time signals
            continue
signal.signal(signal.SIGHUP, orphaned)
if prctl is not None:
    prctl(1, signal.SIGHUP, 0, 0, 0)  # PR_SET_PDEATHSIG
if os.getppid() != owner:  # portproof had gone before the death signal was set
    orphaned(signal.SIGHUP, None)


def quiet():
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # the subject's streams end when the subject's processes close them
        os.dup2(devnull, fd)


def start(go):
    try:
        os.close(control)
        os.read(go, 1)  # until its parent has said its pid
        os.setsid()
        if group:
            with open(os.path.join(group, "cgroup.procs"), "w") as procs:
                procs.write("0")
        for number, disposition in kept.items():
            if disposition is not None:
                signal.signal(number, disposition)
        for number in (signal.SIGINT, signal.SIGQUIT):  # as a terminal starts a program
            signal.signal(number, signal.SIG_DFL)
        os.execv(argv[0], argv)
    except BaseException as exc:
        os.write(2, ("portproof: cannot start %s: %s\n" % (argv[0], exc)).encode())
    os._exit(127)


said_read, said_write = os.pipe()
parent = os.fork()
if parent == 0:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    os.close(said_read)
    go_read, go_write = os.pipe()
    main = os.fork()
    if main == 0:
        os.close(said_write)
        os.close(go_write)
        start(go_read)
    os.close(go_read)
    os.write(said_write, ("%d" % main).encode())
    os.close(said_write)
    tell("%d %d\n" % (main, os.getpid()))
    os.close(go_write)
    quiet()
    try:
        status = os.waitpid(main, 0)[1]
    except ChildProcessError:
        os._exit(0)
    tell("exit %d\n" % os.waitstatus_to_exitcode(status))
    os._exit(0)
os.close(said_write)
said = b""
while True:
    data = os.read(said_read, 64)
    if not data:
        break
    said += data
os.close(said_read)
main = int(said) if said else None
quiet()
while True:
    try:
        pid, status = os.waitpid(-1, 0)
    except ChildProcessError:
        break
    if pid == main:
        tell("exit %d\n" % os.waitstatus_to_exitcode(status))
    elif pid == parent and os.WIFSIGNALED(status):
        tell("killed %d\n" % os.WTERMSIG(status))
"""
# The multiprocessing resource tracker, ended last so it can unlink what it tracks.
TRACKERS = ("resource_tracker", "semaphore_tracker")
# multiprocessing's helper processes, which end on their own once the processes they serve are
# gone.
HELPERS = (*TRACKERS, "forkserver")


class ContainmentError(Exception):
    """The containment asked for cannot be had here."""


def _cgroup_mounts() -> list[str]:
    """Folders where a new cgroup v2 group may be made: in each cgroup2 mount, the group
    portproof is in, then the root, where writable."""
    try:
        with open("/proc/self/mounts") as f:
            mounts = [line.split()[1] for line in f if line.split()[2:3] == ["cgroup2"]]
        with open("/proc/self/cgroup") as f:
            own = next((line.strip()[3:] for line in f if line.startswith("0::")), "/")
    except OSError:
        return []
    return [parent for mount in mounts for parent in (os.path.join(mount, own.lstrip("/")), mount)
            if os.access(parent, os.W_OK) and os.path.exists(os.path.join(parent, "cgroup.procs"))]


# Run by portproof's interpreter with -E -s -S: joins the group argv[1], then exits 0 only if
# the kernel says it is in it.
_JOIN = r"""
import os, sys
with open(os.path.join(sys.argv[1], "cgroup.procs"), "w") as procs:
    procs.write("0")
with open("/proc/self/cgroup") as f:
    here = [line.rstrip("\n") for line in f if line.startswith("0::")]
sys.exit(0 if here and here[0].endswith("/" + os.path.basename(sys.argv[1])) else 1)
"""


@functools.lru_cache(maxsize=None)
def joinable(parent: str) -> bool:
    """Whether a process can join a group made under `parent`: a writable folder is not proof
    (a delegated tree may refuse the move), so a trial group is made and joined, once per
    folder and portproof process."""
    trial = os.path.join(parent, f"portproof-trial-{os.getpid()}-{uuid.uuid4().hex}")
    try:
        os.mkdir(trial)
    except OSError:
        return False
    try:
        return subprocess.run([sys.executable, "-E", "-s", "-S", "-c", _JOIN, trial],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=timeouts.PROBE).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        try:
            os.rmdir(trial)  # a group: empty once its one member is reaped
        except OSError:
            shutil.rmtree(trial, ignore_errors=True)  # a plain folder, not a group


# The groups portproof makes: named by the pid of the portproof that made it.
_GROUP = re.compile(r"portproof-(?:trial-)?(\d+)-[0-9a-f]{32}")


def _sweep(parent: str) -> None:
    """End and remove what a portproof killed by SIGKILL left under `parent` when its supervisor
    could not (killed too): each group made by a pid that is no process now, older than
    STALE_GROUP, with the groups below it. Its processes are killed only if each is one of this
    pid namespace (a process of another one shows as 0): a portproof in another container that
    shares the cgroup tree has pids this one does not see."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        m = _GROUP.fullmatch(name)
        if m is None or running(int(m[1])):
            continue
        path = os.path.join(parent, name)
        try:
            if time.time() - os.stat(path).st_mtime <= timeouts.STALE_GROUP:
                continue
        except OSError:  # gone meanwhile
            continue
        members = _group_members(path)
        if not all(pid and os.path.exists(f"/proc/{pid}") for pid in members):
            continue
        if members:
            _write(os.path.join(path, "cgroup.kill"), "1")
            for pid in members:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    continue
        _remove_group(path, time.monotonic() + timeouts.SWEEP)


def _cgroup_parent() -> str | None:
    """A folder where a new cgroup v2 group can be made and joined, or None."""
    return next((parent for parent in _cgroup_mounts() if joinable(parent)), None)


def _can_subreap() -> bool:
    return sys.platform.startswith("linux")


@dataclass(frozen=True)
class Containment:
    """How the runs hold their processes, resolved once (choose) and passed to every run:
    `kind` is one of KINDS; `cgroup_parent`, for "cgroup", the folder its groups are made in."""

    kind: str
    cgroup_parent: str | None = None

    def __str__(self) -> str:
        return self.kind


def choose(kind: str | None = None) -> Containment:
    """The containment to use: `kind`, PORTPROOF_CONTAINMENT, or the best there is."""
    kind = kind or os.environ.get("PORTPROOF_CONTAINMENT") or None
    if kind is not None and kind not in KINDS:
        raise ContainmentError(f"no containment {kind!r}: one of {', '.join(KINDS)}")
    if kind in (None, "cgroup"):
        parent = _cgroup_parent()
        if parent is not None:
            return Containment("cgroup", parent)
    if kind == "cgroup":
        raise ContainmentError("no writable cgroup v2 mount" if not _cgroup_mounts() else
                               "a process cannot join a cgroup v2 group made here")
    if kind in (None, "subreaper") and _can_subreap():
        return Containment("subreaper")
    if kind == "subreaper":
        raise ContainmentError("no PR_SET_CHILD_SUBREAPER on this system")
    return Containment("token")


def command_line(pid: int) -> str:
    """How a process is named: its program by its file name, then its arguments, a Python's
    script by its file name too ("python3.13 -c ...", "python2.7 pool.py --fast"), so that
    neither a program nor a script deep in a folder hides what it runs."""
    try:
        argv = psutil.Process(pid).cmdline()
    except psutil.Error:
        return "?"
    if not argv:
        return ""
    program, args = os.path.basename(argv[0]), argv[1:]
    if program.startswith("python") and args and not args[0].startswith("-"):
        args = [os.path.basename(args[0]), *args[1:]]
    return " ".join([program, *args])


def _is_tracker(command: str) -> bool:
    return "multiprocessing" in command and any(t in command for t in TRACKERS)


def is_helper(command: str) -> bool:
    """Whether `command` is one of multiprocessing's helper processes (HELPERS)."""
    return "multiprocessing" in command and any(h in command for h in HELPERS)


class Box:
    """The processes of one run. `start` it, watch `end_fd`, then `end` it, then `close` it."""

    def __init__(self, containment: Containment, token: str) -> None:
        self.containment = containment
        self.kind = containment.kind
        self.token = token
        self.group: str | None = None
        self.proc: subprocess.Popen | None = None  # the supervisor
        self.pid = 0  # the subject's main process
        self.returncode: int | None = None
        self.end_fd: int | None = None  # readable when the main process has exited
        self._parent: psutil.Process | None = None  # the main process's, below the supervisor
        self._parent_killed: str | None = None
        self._main_fd: int | None = None  # a pidfd of the main process (Linux 5.3+)
        self._control: int | None = None
        self._buffer = b""
        self._exited = False  # its exit status has been said
        self._silent = False  # the supervisor and the subject's parent have both gone

    def start(self, argv: list[str], cancel, **popen) -> None:
        """Start `argv` as the subject (Popen keywords in `popen`: stdin, stdout, stderr, cwd,
        env)."""
        if self.kind == "cgroup":
            parent = self.containment.cgroup_parent
            _sweep(parent)
            self.group = os.path.join(parent, f"portproof-{os.getpid()}-{uuid.uuid4().hex}")
            os.mkdir(self.group)
        read, write = os.pipe()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-E", "-s", "-S", "-c", SUPERVISOR, str(write),
                 str(os.getpid()), "try" if self.kind == "token" else "must", self.group or "",
                 *argv],
                start_new_session=True, pass_fds=(write,), **popen)
        except BaseException:
            os.close(read)
            raise
        finally:
            os.close(write)
        self._control = self.end_fd = read
        line = self._read_line(time.monotonic() + timeouts.PROBE, cancel)
        try:
            self.pid, parent = (int(pid) for pid in line.split())
        except ValueError:
            self._abort()
            raise ContainmentError(f"the supervisor did not start the subject: {line!r}") \
                from None
        try:
            self._parent = psutil.Process(parent)
        except psutil.Error:  # gone already, with the main process: its status is said
            pass
        try:
            self._main_fd = self.end_fd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):  # no pidfd, or the main process is gone: its status
            pass  # comes on the supervisor's pipe

    def _abort(self) -> None:
        """The start failed or was cancelled before the supervisor said the subject's pid, maybe
        before it forked the subject: kill whatever it has started until it exits, which it does
        once it has no child left, then close."""
        deadline = time.monotonic() + timeouts.REAP
        while self.proc.poll() is None and time.monotonic() < deadline:
            if self.group is not None:
                _write(os.path.join(self.group, "cgroup.kill"), "1")
            self._signal([*self.members(), *_descendants(self.proc.pid)], signal.SIGKILL)
            time.sleep(0.01)
        self.close()

    def _read_line(self, deadline: float, cancel) -> str:
        while b"\n" not in self._buffer:
            if time.monotonic() >= deadline or (cancel is not None and cancel.is_set()):
                return ""
            ready = _wait_readable(self._control, min(timeouts.CANCEL_POLL,
                                                       deadline - time.monotonic()))
            if ready:
                data = os.read(self._control, 4096)
                if not data:
                    return ""
                self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def _hear(self, timeout: float = 0) -> None:
        """Take what the supervisor and the subject's parent have said, waiting `timeout` at
        most for it: the main process's exit status, the signal that killed the parent."""
        deadline = time.monotonic() + timeout
        while not self._silent and _wait_readable(self._control,
                                                  max(0.0, deadline - time.monotonic())):
            data = os.read(self._control, 4096)
            if not data:
                self._silent = True
            self._buffer += data
            if b"\n" in data:
                break
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            word, _, number = line.decode().partition(" ")
            if word == "exit" and not self._exited:
                self.returncode, self._exited = int(number), True
            elif word == "killed":
                self._parent_killed = _signal_name(int(number))

    def _read_until_closed(self, deadline: float) -> None:
        """Read the supervisor's pipe to its end: a wait that wakes as the supervisor and the
        subject's parent exit, where Popen.wait(timeout) polls with sleeps."""
        while time.monotonic() < deadline:
            if _wait_readable(self._control, deadline - time.monotonic()):
                if not os.read(self._control, 4096):
                    return

    def ended(self) -> bool:
        """Whether the main process has exited; its status is then in `returncode` (None when
        neither the supervisor nor the subject's parent lived to say it)."""
        self._hear()
        if self._exited or self._main_fd is None:
            return self._exited or self._silent
        if not _wait_readable(self._main_fd, 0):
            return False
        # The main process has exited: its parent, or the supervisor, says its status at once
        # unless it is stopped.
        self._continue()
        deadline = time.monotonic() + timeouts.STATUS
        while not (self._exited or self._silent) and time.monotonic() < deadline:
            self._hear(deadline - time.monotonic())
        return True

    def killed(self) -> str | None:
        """The signal that killed the supervisor or the subject's parent, if one did."""
        self._hear()
        status = self.proc.poll() if self.proc is not None else None
        return self._parent_killed or (_signal_name(-status) if status and status < 0
                                       else None)

    def _continue(self) -> None:
        """SIGCONT to the supervisor and the subject's parent: a stopped one reaps nothing."""
        for keeper in (self.proc, self._parent):
            try:
                if keeper is not None:
                    keeper.send_signal(signal.SIGCONT)
            except (OSError, psutil.Error):  # gone (psutil knows a pid taken by another)
                continue

    def members(self) -> dict[int, str]:
        """The run's live processes (not zombies), as {pid: command line}: never the
        supervisor nor the subject's parent."""
        supervisor = self.proc.pid if self.proc is not None else 0
        if self.kind == "cgroup":
            # With the supervisor's descendants: the subject before it joins the group.
            pids = set(_group_members(self.group)) | set(_descendants(supervisor))
        elif self.kind == "subreaper":
            pids = set(_descendants(supervisor))
        else:
            pids = {p.pid for p in _token_or_group(self.token, self.pid)}
        if self.kind != "token" and self.proc is not None and (self.proc.poll() or 0) < 0:
            # The supervisor was killed: orphans went to init since, found by the token.
            pids |= {p.pid for p in _token_or_group(self.token, self.pid)}
        keepers = {supervisor, self._parent.pid if self._parent is not None else 0}
        found = {pid: command_line(pid) for pid in pids - keepers if running(pid)}
        return {pid: command for pid, command in found.items() if command != "?"}

    def end(self) -> None:
        """SIGTERM, a grace, SIGKILL; the resource trackers last, once the processes they
        serve are gone (they unlink what those left); then the kernel's kill of the group and
        every group below it, whatever was found."""
        deadline = time.monotonic() + timeouts.REAP
        self._continue()
        members = self.members()
        others = [pid for pid, command in members.items() if not _is_tracker(command)]
        self._signal(others, signal.SIGTERM)
        wait_gone(others, min(deadline, time.monotonic() + timeouts.TERM_GRACE))
        while True:  # a process may start another meanwhile: look until none is left
            others = [pid for pid, c in self.members().items() if not _is_tracker(c)]
            if not others or time.monotonic() >= deadline:
                break
            self._signal(others, signal.SIGKILL)
            wait_gone(others, deadline)
        trackers = list(self.members())
        wait_gone(trackers, min(deadline, time.monotonic() + timeouts.TRACKER_GRACE))
        while True:
            left = list(self.members())
            if self.group is not None:
                _write(os.path.join(self.group, "cgroup.kill"), "1")
            if not left or time.monotonic() >= deadline:
                break
            self._signal(left, signal.SIGKILL)
            wait_gone(left, deadline)

    def _signal(self, pids: list[int], signum: int) -> None:
        if self.kind == "token" and self.pid:
            try:
                os.killpg(self.pid, signum)
            except (ProcessLookupError, PermissionError):
                pass
        for pid in pids:
            try:
                os.kill(pid, signum)
            except (ProcessLookupError, PermissionError):
                continue

    def close(self) -> None:
        """Wait for the supervisor (which reaps every orphan of the run before it exits) and
        the subject's parent, and remove the group and the groups below it."""
        if self.proc is not None:
            self._continue()
            if self._control is not None:  # each one's end of it closes as it exits
                self._read_until_closed(time.monotonic() + timeouts.REAP)
            try:
                self.proc.wait(timeouts.REAP)
            except subprocess.TimeoutExpired:  # only if something outlived every kill
                self.proc.kill()
                self.proc.wait()
            try:
                if self._parent is not None:
                    self._parent.kill()  # only if it outlived the main process it waits for
            except psutil.Error:
                pass
        for fd in {self._control, self.end_fd, self._main_fd} - {None}:
            os.close(fd)
        self._control = self.end_fd = self._main_fd = None
        if self.group is not None:
            _remove_group(self.group, time.monotonic() + timeouts.REAP)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _group_members(group: str) -> list[int]:
    """The processes in `group` and in every group below it."""
    pids = []
    for folder, _, _ in os.walk(group):
        try:
            with open(os.path.join(folder, "cgroup.procs")) as f:
                pids += [int(pid) for pid in f.read().split()]
        except OSError:  # removed meanwhile
            continue
    return pids


def _remove_group(group: str, deadline: float) -> bool:
    """Remove `group` and the groups below it, deepest first, once their killed members have
    gone (the kernel refuses a group with members); whether it is gone."""
    while True:
        for folder, _, _ in os.walk(group, topdown=False):
            try:
                os.rmdir(folder)
            except OSError:
                pass
        if not os.path.exists(group) or time.monotonic() >= deadline:
            return not os.path.exists(group)
        time.sleep(0.01)


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError:  # cgroup.kill is Linux 5.14+: the signals sent beside it do the work
        pass


def _wait_readable(fd: int, timeout: float) -> bool:
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(max(0, int(timeout * 1000))))


def running(pid: int) -> bool:
    """Whether `pid` is a process that has not ended (a zombie has)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def wait_gone(pids: list[int], deadline: float) -> None:
    while pids and time.monotonic() < deadline:
        pids = [pid for pid in pids if running(pid)]
        if pids:
            time.sleep(0.01)


def _descendants(pid: int) -> list[int]:
    """From /proc/PID/task/TID/children (Linux 3.5+): no scan of the host's processes."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{parent}/task/{tid}/children") as f:
                    children = [int(child) for child in f.read().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def processes_with(*variables: str) -> list[psutil.Process]:
    """Live processes whose environment has each of `variables`: "NAME=value", or "NAME=" for
    any value."""
    wanted = [v.encode() for v in variables]
    found = []
    for process in psutil.process_iter():
        try:
            with open(f"/proc/{process.pid}/environ", "rb") as f:
                environ = f.read().split(b"\0")
        except OSError:  # gone, or a zombie
            continue
        if all(w in environ or (w.endswith(b"=") and any(v.startswith(w) for v in environ))
               for w in wanted):
            found.append(process)
    return found


def _token_or_group(token: str, group: int) -> list[psutil.Process]:
    """Processes whose environment carries the token, or in the process group `group`."""
    found = {p.pid: p for p in processes_with(f"{protocol.RUN}={token}")}
    for p in psutil.process_iter():
        try:
            if p.pid not in found and os.getpgid(p.pid) == group:
                found[p.pid] = p
        except (ProcessLookupError, psutil.Error):
            continue
    return list(found.values())

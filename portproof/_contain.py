"""Keep hold of every process of a run: list them, signal them, reap them, whatever they do.

Three kinds, the best this machine allows (or the one asked for, by keyword or
PORTPROOF_CONTAINMENT):

- "cgroup": a fresh cgroup v2 group per run, under the group portproof itself is in (or the
  root) of the first writable cgroup2 mount where a trial process could join a group. The
  subject joins it before it runs a line of its own, so everything it starts is in it, whatever
  session, group or environment it gives itself; the kernel lists the members (cgroup.procs)
  and kills them at once (cgroup.kill). A group is named by the pid of the portproof that made
  it, so that a later run can remove the empty groups of one killed by SIGKILL (_sweep).
  A subreaper supervisor (below) starts the subject and reaps its orphans.
- "subreaper": a supervisor per run (a small Python, run by portproof's own interpreter) that
  makes itself a child subreaper (PR_SET_CHILD_SUBREAPER), so every orphan of the run becomes
  its child instead of init's: the run's processes are the supervisor's descendants, and it
  reaps each as it dies. It is per run, not portproof itself, so runs in several threads at once
  never share their orphans.
- "token": no supervisor; the run's processes are those of the subject's process group and
  those whose environment carries the run's token, found by reading every process's
  environment. A process that leaves the group and replaces its environment escapes.

The supervisor tells portproof, on a pipe of their own, the subject's pid and then its exit
status as soon as the subject has exited: that is the end of the run.
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
# Run by portproof's interpreter with -E -s -S: argv is CONTROL_FD GROUP_DIR_OR_EMPTY SUBJECT...
SUPERVISOR = r"""
import ctypes, os, signal, sys
control, group, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]


def tell(message):
    try:
        os.write(control, message.encode())
    except OSError:  # portproof has gone: reap on regardless
        pass


if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
    tell("error cannot become a subreaper\n")
    sys.exit(125)
main = os.fork()
if main == 0:
    try:
        os.close(control)
        os.setsid()
        if group:
            with open(os.path.join(group, "cgroup.procs"), "w") as procs:
                procs.write("0")
        for number in (signal.SIGINT, signal.SIGQUIT):  # as a terminal starts a program
            signal.signal(number, signal.SIG_DFL)
        os.execv(argv[0], argv)
    except BaseException as exc:
        os.write(2, ("portproof: cannot start %s: %s\n" % (argv[0], exc)).encode())
    os._exit(127)
devnull = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):  # the subject's streams end when the subject's processes close them
    os.dup2(devnull, fd)
tell("%d\n" % main)
while True:
    try:
        pid, status = os.waitpid(-1, 0)
    except ChildProcessError:
        break
    if pid == main:
        tell("exit %d\n" % os.waitstatus_to_exitcode(status))
"""
# An ignored signal stays ignored across exec: a shell without job control starts a background
# command with SIGINT and SIGQUIT ignored. The subject starts with them as a terminal gives them
# (the supervisor resets them itself; under "token", this runs first, in the subject's own pid).
_DEFAULT_SIGNALS = r"""
import os, signal, sys
for number in (signal.SIGINT, signal.SIGQUIT):
    signal.signal(number, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])
"""
# The multiprocessing resource tracker, ended last so it can unlink what it tracks.
TRACKERS = ("resource_tracker", "semaphore_tracker")


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
    """Remove the groups under `parent` that a portproof killed by SIGKILL left behind: made by
    a pid that is no process now, older than STALE_GROUP, and empty (the kernel refuses to
    remove a group that has members)."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        m = _GROUP.fullmatch(name)
        if m is None or _running(int(m[1])):
            continue
        path = os.path.join(parent, name)
        try:
            if time.time() - os.stat(path).st_mtime > timeouts.STALE_GROUP:
                os.rmdir(path)
        except OSError:  # gone meanwhile, or not empty
            continue


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


class Box:
    """The processes of one run. `start` it, watch `end_fd`, then `end` it, then `close` it."""

    def __init__(self, containment: Containment, token: str) -> None:
        self.containment = containment
        self.kind = containment.kind
        self.token = token
        self.group: str | None = None
        self.proc: subprocess.Popen | None = None  # the supervisor, or the subject under "token"
        self.pid = 0  # the subject's main process
        self.returncode: int | None = None
        self.end_fd: int | None = None  # readable when the main process has exited
        self._control: int | None = None
        self._buffer = b""

    def start(self, argv: list[str], cancel, **popen) -> None:
        """Start `argv` as the subject (Popen keywords in `popen`: stdin, stdout, stderr, cwd,
        env)."""
        if self.kind == "token":
            if any(signal.getsignal(n) == signal.SIG_IGN for n in (signal.SIGINT, signal.SIGQUIT)):
                argv = [sys.executable, "-E", "-s", "-S", "-c", _DEFAULT_SIGNALS, *argv]
            self.proc = subprocess.Popen(argv, start_new_session=True, **popen)
            self.pid = self.proc.pid
            try:
                self.end_fd = os.pidfd_open(self.pid)
            except (AttributeError, OSError):  # no pidfd (Linux < 5.3): polled instead
                self.end_fd = None
            return
        if self.kind == "cgroup":
            parent = self.containment.cgroup_parent
            _sweep(parent)
            self.group = os.path.join(parent, f"portproof-{os.getpid()}-{uuid.uuid4().hex}")
            os.mkdir(self.group)
        read, write = os.pipe()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-E", "-s", "-S", "-c", SUPERVISOR, str(write),
                 self.group or "", *argv],
                start_new_session=True, pass_fds=(write,), **popen)
        except BaseException:
            os.close(read)
            raise
        finally:
            os.close(write)
        self._control = self.end_fd = read
        line = self._read_line(time.monotonic() + timeouts.PROBE, cancel)
        if not line.isdigit():
            self._abort()
            raise ContainmentError(f"the supervisor did not start the subject: {line!r}")
        self.pid = int(line)

    def _abort(self) -> None:
        """The start failed or was cancelled before the supervisor said the subject's pid, maybe
        before it forked the subject: kill whatever it has started until it exits, which it does
        once it has no child left, then close."""
        deadline = time.monotonic() + timeouts.REAP
        while self.proc.poll() is None and time.monotonic() < deadline:
            if self.group is not None:
                _write(os.path.join(self.group, "cgroup.kill"), "1")
            self._signal(list(self.members()), signal.SIGKILL)
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

    def _read_until_closed(self, deadline: float) -> None:
        """Read the supervisor's pipe to its end: a wait that wakes as the supervisor exits,
        where Popen.wait(timeout) polls with sleeps."""
        while time.monotonic() < deadline:
            if _wait_readable(self._control, deadline - time.monotonic()):
                if not os.read(self._control, 4096):
                    return

    def ended(self) -> bool:
        """Whether the main process has exited; its status is then in `returncode`."""
        if self.kind == "token":
            if self.proc.poll() is None:
                return False
            self.returncode = self.proc.returncode
            return True
        # The exit may have come with the pid, in the read `start` made (a late reader).
        while b"\n" not in self._buffer:
            if not _wait_readable(self._control, 0):
                return False
            data = os.read(self._control, 4096)
            if not data:
                return True  # the supervisor has gone: so has its child
            self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        if line.startswith(b"exit "):
            self.returncode = int(line.split()[1])
        return True

    def members(self) -> dict[int, str]:
        """The run's live processes (not zombies), as {pid: command line}."""
        if self.kind == "cgroup":
            try:
                with open(os.path.join(self.group, "cgroup.procs")) as f:
                    pids = [int(pid) for pid in f.read().split()]
            except OSError:
                pids = []
            # With the supervisor's descendants: the subject before it joins the group.
            pids = set(pids) | set(_descendants(self.proc.pid))
            found = {pid: command_line(pid) for pid in pids if _running(pid)}
        elif self.kind == "subreaper":
            found = {pid: command_line(pid) for pid in _descendants(self.proc.pid)
                     if _running(pid)}
        else:
            found = {p.pid: command_line(p.pid) for p in _token_or_group(self.token, self.pid)
                     if _running(p.pid)}
        return {pid: command for pid, command in found.items() if command != "?"}

    def end(self) -> None:
        """SIGTERM, a grace, SIGKILL; the resource trackers last, once the processes they
        serve are gone (they unlink what those left)."""
        deadline = time.monotonic() + timeouts.REAP
        members = self.members()
        others = [pid for pid, command in members.items() if not _is_tracker(command)]
        self._signal(others, signal.SIGTERM)
        _wait_gone(others, min(deadline, time.monotonic() + timeouts.TERM_GRACE))
        while True:  # a process may start another meanwhile: look until none is left
            others = [pid for pid, c in self.members().items() if not _is_tracker(c)]
            if not others or time.monotonic() >= deadline:
                break
            self._signal(others, signal.SIGKILL)
            _wait_gone(others, deadline)
        trackers = list(self.members())
        _wait_gone(trackers, min(deadline, time.monotonic() + timeouts.TRACKER_GRACE))
        while True:
            left = list(self.members())
            if not left or time.monotonic() >= deadline:
                break
            if self.group is not None:
                _write(os.path.join(self.group, "cgroup.kill"), "1")
            self._signal(left, signal.SIGKILL)
            _wait_gone(left, deadline)

    def _signal(self, pids: list[int], signum: int) -> None:
        if self.kind == "token":
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
        """Wait for the supervisor (which reaps every orphan of the run before it exits) or
        the subject, and remove the group."""
        if self.proc is not None:
            if self._control is not None:  # the supervisor's end of it closes as it exits
                self._read_until_closed(time.monotonic() + timeouts.REAP)
            try:
                self.proc.wait(timeouts.REAP)
            except subprocess.TimeoutExpired:  # only if something outlived every kill
                self.proc.kill()
                self.proc.wait()
            if self.kind == "token":
                self.returncode = self.proc.returncode
        for fd in {self._control, self.end_fd} - {None}:
            os.close(fd)
        self._control = self.end_fd = None
        if self.group is not None:
            try:
                os.rmdir(self.group)
            except OSError:
                pass


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


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _wait_gone(pids: list[int], deadline: float) -> None:
    while pids and time.monotonic() < deadline:
        pids = [pid for pid in pids if _running(pid)]
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

"""Run one script as a child of a chosen interpreter and record what it did.

The subject gets an environment of portproof's making (no PYTHON* variable of the caller's, a
fixed locale, our sitecustomize on PYTHONPATH), its own session, stdin from /dev/null (or a
file), a fresh folder of its own as its current directory (empty, or a copy of `workdir`; the
script path is absolute) and a TMPDIR of its own, and stdout either on a pseudo-terminal ("pty"
mode: line-buffered, as a person sees it) or on a pipe ("pipe" mode: block-buffered, as when
output goes to a file). Every stdout line is stamped with its arrival time and the earliest it
can have been written (see Line); stderr keeps its head and its tail.

Containment (see _contain): the run's processes are held by a cgroup v2 group of their own, or
else by a subreaper supervisor whose descendants they stay, or else (last resort) found by a
token in their environment and by process group. The end of a run is its main process exiting
(a pidfd, or the supervisor's word on a pipe, in the same selector as the streams), not the end
of its output: what is buffered is read for DRAIN at most, and every process still alive is
then reported as leaked with its command line. Every wait honours `cancel` within CANCEL_POLL.
Teardown: SIGTERM, TERM_GRACE, SIGKILL, looking again until none is left (a process may start
another meanwhile); multiprocessing's resource tracker last, so it unlinks what it tracks; the
supervisor reaps every orphan. On a timeout each process is first asked for its Python stack
(DUMP_SIGNAL, registered by the boot). Then the /dev/shm entries that a process of the run
mapped or held open at the end, and that were not there when it started, are removed if still
there (Trace.shm_removed), what the run made or changed in its folder is recorded
(Trace.files), and the run's folder is removed. Limits: under "token" a process that leaves the
process group and replaces its environment escapes; a /dev/shm entry that no process of the run
held any more at the end (its creator exited without unlinking it) is left to its resource
tracker; the run's processes are signalled by pid, so a pid reused in the instant between the
look and the signal could be hit. Before the run's folder is removed, the record the boot wrote of
every Python process of the run (see _record) becomes Trace.processes.
"""
from __future__ import annotations

import collections
import hashlib
import math
import os
import pty
import re
import select
import selectors
import shutil
import signal
import stat
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import psutil

from portproof import _contain, _record, timeouts

BOOT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_boot")
MODES = ("pty", "pipe")
# Sleeps in the subject's own code take this fraction of their time unless asked for real time.
FAST = 0.05
# How long each Pool worker waits after its last task before it exits (see _boot).
LINGER = 0.3
# Output kept per stream: enough for any honest example, bounded for a subject that floods.
MAX_KEPT = 1 << 20
MAX_LINE = 1 << 16
# stderr keeps this much of its head and of its tail: after a flood, the last traceback matters.
STDERR_KEPT = 1 << 16
TRUNCATED = "[portproof: output truncated]"
LINE_CUT = " [portproof: line cut]"
# While the run settles after its main process exits, how often to look whether it is empty.
SETTLE_POLL = 0.02
# Of each file a run makes or changes, this much is kept.
HEAD_KEPT = 1 << 16
# The signal portproof sends a timed-out run's processes for their Python stacks (see _boot).
DUMP_SIGNAL = signal.SIGUSR2
# Named shared memory in /dev/shm that multiprocessing makes: semaphores (sem.mp-, on 3.6/3.7
# sem.mp- too), SharedMemory (psm_, wnsm_), and heaps of other libraries (mp-).
SHM_PREFIXES = ("sem.mp-", "psm_", "wnsm_", "mp-")
# Bytes asked of each read. A read may return fewer with more to come (a pty gives at most 4095
# bytes a read), so whether it emptied the stream is asked of the kernel (a zero-timeout poll).
READ_SIZE = 65536
# The FIFO in the run's TMPDIR that the boot rings at each event of its record, and the file in
# which portproof answers when it last looked at the output (see Bell).
BELL = "portproof-bell"
LOOKED = "portproof-looked"


@dataclass(frozen=True)
class Line:
    """A line of output, and when it can have been written (seconds from the start of the run).

    It arrived at `t`: it was written then or before, by as much as portproof's own delay in
    reading, which a loaded machine stretches. It was written after `earliest`, when the
    harness last found its stream empty (None: written at `t`, as in a recorded trace)."""

    text: str
    t: float
    earliest: float | None = None


@dataclass(frozen=True)
class FileState:
    """A file as a run left it in its folder: size -1 if the run deleted it."""

    size: int
    sha256: str = ""
    head: bytes = b""  # at most HEAD_KEPT bytes


@dataclass
class Trace:
    script: str
    python: str  # "X.Y.Z"
    start_method: str
    mode: str
    pid: int
    lines: list[Line] = field(default_factory=list)
    stderr: str = ""
    returncode: int | None = None
    wall: float = 0.0
    timeout: float | None = None  # set when the run was killed for taking too long
    truncated: bool = False
    leaked: dict[int, str] = field(default_factory=dict)  # pid -> command, alive after it exited
    hung_commands: dict[int, str] = field(default_factory=dict)  # alive when it timed out
    stacks: dict[int, str] = field(default_factory=dict)  # of those, on one line (see _compact)
    processes: list[_record.ProcessInfo] = field(default_factory=list)  # as the boot saw them
    containment: str = ""  # "cgroup", "subreaper" or "token" (see _contain)
    shm_removed: list[str] = field(default_factory=list)  # /dev/shm names portproof removed
    files: dict[str, FileState] = field(default_factory=dict)  # made or changed in its folder
    cwd: str = ""  # the run's own working directory and TMPDIR, gone after the run
    tmpdir: str = ""

    @property
    def signal(self) -> str | None:
        if self.returncode is not None and self.returncode < 0:
            try:
                return signal.Signals(-self.returncode).name
            except ValueError:
                return f"signal {-self.returncode}"
        return None

    @property
    def text(self) -> list[str]:
        return [line.text for line in self.lines]

    @property
    def hung(self) -> list[str]:
        """What was running when the run timed out: each process, with its stack if it gave
        one."""
        return [f"pid {pid} ({command}): {self.stacks[pid]}" if pid in self.stacks
                else f"pid {pid}: {command}" for pid, command in self.hung_commands.items()]


class _Lines:
    """Split a byte stream into stamped lines, keeping at most `head` bytes of the first lines
    and `tail` bytes of the last ones (a TRUNCATED line between them if a line was left out),
    and MAX_LINE bytes of any one line."""

    def __init__(self, strip_cr: bool, head: int = MAX_KEPT, tail: int = 0) -> None:
        self._head: list[Line] = []
        self._tail: collections.deque[tuple[Line, int]] = collections.deque()
        self._tail_kept = 0
        self._tail_max = tail
        self._head_max = head
        self.truncated = False  # a line was left out: not only when the head is full
        self._full = False
        self._partial = b""
        self._partial_earliest = 0.0  # of the line in _partial
        self._skipping = False  # inside a line already cut at MAX_LINE
        self._kept = 0
        self._strip_cr = strip_cr
        self._empty_at = 0.0  # when a read last found the stream empty; nothing before the start

    @property
    def lines(self) -> list[Line]:
        if not self.truncated:  # the head filled, and the tail kept the rest
            return [*self._head, *(line for line, _ in self._tail)]
        return [*self._head, Line(TRUNCATED, self._truncated_at), *(line for line, _ in self._tail)]

    def feed(self, data: bytes, t: float, read_at: float, emptied: bool | None = None) -> None:
        """`data` came from one read that began at `read_at` and returned at `t`, and left the
        stream empty if `emptied` (None: if it returned less than READ_SIZE)."""
        *complete, partial = data.split(b"\n")
        for raw in complete:
            if self._skipping:
                self._skipping = False
            else:
                self._add(self._partial + raw, t, self._earliest())
            self._partial = b""
        if not self._skipping and partial:
            self._partial_earliest = self._earliest()
            self._partial += partial
            if len(self._partial) > MAX_LINE:  # keep the head of a line without end
                self._add(self._partial[:MAX_LINE], t, self._partial_earliest, LINE_CUT)
                self._partial, self._skipping = b"", True
        if emptied is None:
            emptied = len(data) < READ_SIZE
        if emptied:  # what comes next was written after this read began
            self._empty_at = read_at

    def found_empty(self, t: float) -> None:
        """The stream held nothing at `t`: what is read next was written after."""
        self._empty_at = max(self._empty_at, t)

    def close(self, t: float) -> None:
        if self._partial:  # output that ends mid-line is still a line
            self._add(self._partial, t, self._partial_earliest)
            self._partial = b""

    def _earliest(self) -> float:
        """Of a line whose first byte is in the read being fed."""
        return self._partial_earliest if self._partial else self._empty_at

    def _add(self, raw: bytes, t: float, earliest: float, suffix: str = "") -> None:
        if self._strip_cr and raw.endswith(b"\r"):  # the terminal's \n -> \r\n
            raw = raw[:-1]
        line = Line(raw.decode("utf-8", "backslashreplace") + suffix, t, earliest)
        if not self._full and self._kept + len(raw) <= self._head_max:
            self._kept += len(raw)
            self._head.append(line)
            return
        if not self._full:
            self._full, self._truncated_at = True, t
        if len(raw) > self._tail_max:
            self.truncated = True
            self._tail.clear()
            self._tail_kept = 0
            return
        self._tail.append((line, len(raw)))
        self._tail_kept += len(raw)
        while self._tail_kept > self._tail_max:
            self._tail_kept -= self._tail.popleft()[1]
            self.truncated = True


def subject_env(start_method: str, time_scale: float, token: str, tmp: str,
                stacks: str | None = None, script: str | None = None) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items()
        if not (k.startswith(("PYTHON", "LC_")) or k in ("LANG", "LANGUAGE"))
        and k not in ("PORTPROOF_STACKS", "PORTPROOF_SCRIPT_DIR")
    }
    env.update(
        PYTHONPATH=BOOT_DIR,
        PYTHONDONTWRITEBYTECODE="1",  # leave no __pycache__ in the user's folders
        LC_ALL="C.UTF-8",
        # Every warning shown, once per place, in every process: a port that warns (a fork with
        # a thread running, a Pool never closed) fails its cell with the warning as the reason.
        PYTHONWARNINGS="default",
        TERM="dumb",
        PORTPROOF_START_METHOD=start_method,
        PORTPROOF_TIME_SCALE=repr(time_scale),
        PORTPROOF_LINGER=repr(LINGER),
        PORTPROOF_RUN=token,
        PORTPROOF_RECORD=os.path.join(tmp, _record.NAME),  # where the boot records each process
        PORTPROOF_BELL=os.path.join(tmp, BELL),  # which it rings at each event
        PORTPROOF_LOOKED=os.path.join(tmp, LOOKED),  # and where it waits for the answer
        PORTPROOF_LOOK_WAIT=repr(timeouts.LOOK),
        TMPDIR=tmp,  # tempfile and multiprocessing look here first
    )
    if stacks is not None:
        env["PORTPROOF_STACKS"] = stacks
    if script is not None:
        env["PORTPROOF_SCRIPT_DIR"] = os.path.dirname(script)  # whose sleeps the boot scales
    return env


class Cancelled(Exception):
    """The caller asked the run to stop (an interrupt); its processes are gone."""


def run(python, script: str, *, start_method: str, mode: str, time_scale: float = FAST,
        timeout: float = timeouts.RUN, cancel: threading.Event | None = None,
        containment: str | None = None, workdir: str | None = None, stdin: str | None = None,
        args: Sequence[str] = ()) -> Trace:
    """Run `script` under the Interpreter `python` and return its Trace.

    `containment`: "cgroup", "subreaper" or "token" (default: the best there is, see
    _contain). `workdir`: a folder copied to be the run's current directory (default: an empty
    one). `stdin`: a file to read as stdin (default: /dev/null). `args`: after the script."""
    kind = _contain.choose(containment)
    # Removed once _run has killed and reaped every process of the run.
    with tempfile.TemporaryDirectory(prefix="portproof-", ignore_cleanup_errors=True) as area:
        cwd, tmp, stacks = (os.path.join(area, name) for name in ("cwd", "tmp", "stacks"))
        if workdir is not None:
            shutil.copytree(workdir, cwd, symlinks=True)
        else:
            os.mkdir(cwd)
        os.mkdir(tmp)
        os.mkdir(stacks)
        trace = _run(python, os.path.abspath(script), start_method, mode, time_scale, timeout,
                     cancel, kind, cwd, tmp, stacks, stdin, list(args))
        trace.files = _changed_files(workdir, cwd)
        return trace


def _run(python, script: str, start_method: str, mode: str, time_scale: float, timeout: float,
         cancel: threading.Event | None, kind: str, cwd: str, tmp: str, stacks: str,
         stdin: str | None, args: list[str]) -> Trace:
    token = uuid.uuid4().hex
    shm_before = _shm_listing()
    if mode == "pty":
        read_fd, write_fd = pty.openpty()
    else:
        read_fd, write_fd = os.pipe()
    err_read, err_write = os.pipe()
    bell = Bell(tmp)
    box = _contain.Box(kind, token)
    start, t0 = time.monotonic(), time.time()
    try:
        with open(stdin or os.devnull, "rb") as stdin_file:
            box.start([python.path, script, *args], cancel, stdin=stdin_file, stdout=write_fd,
                      stderr=err_write, cwd=cwd,
                      env=subject_env(start_method, time_scale, token, tmp, stacks, script))
    except BaseException:
        os.close(read_fd)
        os.close(err_read)
        bell.close()
        if cancel is not None and cancel.is_set():
            raise Cancelled(script) from None
        raise
    finally:
        os.close(write_fd)
        os.close(err_write)
    trace = Trace(script, ".".join(map(str, python.version)), start_method, mode, box.pid,
                  containment=kind, cwd=cwd, tmpdir=tmp)
    out = _Lines(strip_cr=mode == "pty")
    err = _Lines(strip_cr=False, head=STDERR_KEPT, tail=STDERR_KEPT)
    try:
        finished = _pump({read_fd: out, err_read: err}, t0, start + timeout, cancel,
                         box.ended, box.end_fd, lambda: not box.members(), bell)
        if not finished and not (cancel is not None and cancel.is_set()):
            trace.timeout = timeout
    finally:
        trace.wall = time.monotonic() - start
        bell.close()  # before the processes left are ended: none of them waits for a look
        alive = box.members()
        if trace.timeout is not None:
            trace.stacks = _dump_stacks(alive, stacks)
            trace.hung_commands = dict(sorted(alive.items()))
        else:  # the subject's main process exited: whatever is left escaped it
            trace.leaked = {pid: command for pid, command in sorted(alive.items())
                            if pid != box.pid}
        shm_mapped = _shm_mapped(alive)
        box.end()
        box.close()
        trace.shm_removed = _remove_shm(shm_mapped, shm_before)
        os.close(read_fd)
        os.close(err_read)
    if cancel is not None and cancel.is_set():
        raise Cancelled(script)
    trace.returncode = box.returncode
    trace.processes = _record.read(os.path.join(tmp, _record.NAME), t0)
    trace.lines, trace.truncated = out.lines, out.truncated or err.truncated
    trace.stderr = "\n".join(line.text for line in err.lines)
    return trace


class Bell:
    """The FIFO the boot rings at each event of the record (`path`; `fd`, its read end), and
    the file (`looked`) in which portproof answers with the wall-clock time at which it last
    looked at the output after a ring. A process, at its end, waits for an answer later than
    its end (see _boot): so a line that a process waiting for it prints once it is gone (the
    main process after join()) comes after portproof found the output empty, however slow
    portproof was to hear the ring. Closing answers every wait at once."""

    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, BELL)
        self.looked = os.path.join(folder, LOOKED)
        os.mkfifo(self.path, 0o600)
        self.fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        # Kept open so that the read end never reads as ended.
        self._write_end = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        self.answer(0.0)

    def take(self) -> None:
        """Take the rings waiting: the events they stand for came before."""
        try:
            os.read(self.fd, READ_SIZE)
        except BlockingIOError:
            pass

    def answer(self, looked_at: float) -> None:
        """Tell the processes waiting at their end that the output was looked at, after a ring
        took at `looked_at` (time.time()). Replaced whole: a wait never reads half an answer."""
        part = self.looked + ".part"
        with open(part, "w", encoding="ascii") as f:
            f.write(repr(looked_at))
        os.replace(part, self.looked)

    def close(self) -> None:
        self.answer(math.inf)  # nothing will look any more: no process waits for it
        os.close(self.fd)
        os.close(self._write_end)


def _pump(streams: dict[int, _Lines], t0: float, deadline: float,
          cancel: threading.Event | None, ended: Callable[[], bool] | None = None,
          end_fd: int | None = None, settled: Callable[[], bool] | None = None,
          bell: Bell | None = None) -> bool:
    """Read the streams until the run ends (True), the deadline passes or `cancel` is set.

    The run ends when `ended()` says the main process has exited (it is asked first, then when
    `end_fd` is readable, or every CANCEL_POLL without one), and what the streams already hold
    is read and `settled()` says no other process of the run is left, for DRAIN at most: a
    process left behind may hold them open for ever, and multiprocessing's own helpers (the
    resource tracker, the forkserver) take a moment to see the main process gone and exit.
    Without `ended`, the run ends when every stream is at its end. When the `bell` rings (a
    process of the run started or ended), each stream found empty is marked so: what it reads
    next was written after that moment; then the bell is answered.

    `deadline` is on the monotonic clock, as every wait is. Lines are stamped in seconds from
    `t0` on the wall clock (time.time()), the clock the boot stamps the record by (Python 2.7
    has no other), so that a step or drift of one clock against the other cannot put a line
    before the start or end of a process it came after."""
    drain_until = None
    with selectors.DefaultSelector() as selector:
        for fd in streams:
            selector.register(fd, selectors.EVENT_READ)
        if end_fd is not None:
            selector.register(end_fd, selectors.EVENT_READ)
        bell_fd = None if bell is None else bell.fd
        if bell_fd is not None:
            selector.register(bell_fd, selectors.EVENT_READ)
        if end_fd is not None and ended():  # already said, so `end_fd` may never wake again
            selector.unregister(end_fd)
            drain_until = time.monotonic() + timeouts.DRAIN
        while True:
            now = time.monotonic()
            if cancel is not None and cancel.is_set():
                return False
            open_streams = [fd for fd in selector.get_map() if fd not in (end_fd, bell_fd)]
            if drain_until is not None:
                if now >= drain_until:
                    # What was written before now is in the streams, however late this
                    # thread came back to them (a loaded machine): read it, then stop.
                    for fd in open_streams:
                        _read_at_once(fd, streams[fd], t0)
                    return True
                if not open_streams:
                    if settled is None or settled():
                        return True
                    time.sleep(min(SETTLE_POLL, drain_until - now))
                    continue
            elif ended is None and not open_streams:
                return True
            elif ended is not None and end_fd is None and ended():
                drain_until = now + timeouts.DRAIN
                continue
            elif now >= deadline:
                return False
            wait = min(timeouts.CANCEL_POLL, (drain_until or deadline) - now)
            for key, _ in selector.select(max(wait, 0)):
                if key.fd == bell_fd:
                    bell.take()
                    # After the read: every event whose ring it took came before, not only
                    # the one that woke this thread.
                    looked_at = time.time()
                    for fd in open_streams:
                        if not _readable(fd):
                            streams[fd].found_empty(looked_at - t0)
                    bell.answer(looked_at)
                    continue
                if key.fd == end_fd:
                    if ended():
                        selector.unregister(end_fd)
                        drain_until = time.monotonic() + timeouts.DRAIN
                    continue
                if not _read(key.fd, streams[key.fd], t0):
                    selector.unregister(key.fd)


def _read(fd: int, lines: _Lines, t0: float) -> bool:
    """One read of `fd` into `lines`; False at the end of the stream."""
    read_at = time.time() - t0
    try:
        data = os.read(fd, READ_SIZE)
    except OSError:  # EIO: the terminal's last writer has gone
        data = b""
    now = time.time() - t0
    if not data:
        lines.close(now)
        return False
    lines.feed(data, now, read_at, not _readable(fd))
    return True


def _read_at_once(fd: int, lines: _Lines, t0: float) -> None:
    """Read what `fd` holds now, without waiting for more."""
    while _readable(fd) and _read(fd, lines, t0):
        pass


def _readable(fd: int) -> bool:
    """Whether a read would return at once: data waiting, or the end of the stream.

    A poll, not FIONREAD: on a pty, output the writer has already written can wait in the
    terminal's buffer for a kernel worker to move it where FIONREAD counts it; a poll moves it
    first (n_tty_poll flushes that buffer)."""
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))


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


def _running(p: psutil.Process) -> bool:
    try:
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _dump_stacks(alive: dict[int, str], stacks: str) -> dict[int, str]:
    """Ask each live process that registered for DUMP_SIGNAL (it has a file in `stacks`) for
    its Python stack; return {pid: stack, on one line} for those that gave one."""
    asked = {}
    for pid in alive:
        path = os.path.join(stacks, str(pid))
        if os.path.exists(path):
            try:
                os.kill(pid, DUMP_SIGNAL)
            except OSError:
                continue
            asked[pid] = path
    deadline = time.monotonic() + timeouts.STACK_DUMP
    sizes: dict[int, int] = {}
    while asked and time.monotonic() < deadline:
        now = {pid: _size(path) for pid, path in asked.items()}
        if all(now.values()) and now == sizes:  # each has written, and finished writing
            break
        sizes = now
        time.sleep(0.02)
    dumped = {}
    for pid, path in asked.items():
        with open(path, errors="backslashreplace") as f:
            stack = _compact(f.read(HEAD_KEPT))
        if stack:
            dumped[pid] = stack
    return dumped


_FRAME = re.compile(r'File "(?P<file>.*)", line (?P<line>\d+) in (?P<function>.*)')


def _compact(dump: str) -> str:
    """faulthandler's dump of a process on one line: each thread's frames, innermost first, as
    "function (file name:line)" joined by " < ", the threads by " | ". Without the threads'
    addresses, which differ in every process, so that processes hung alike read the same."""
    threads: list[list[str]] = []
    for line in dump.splitlines():
        line = line.strip()
        if line.endswith("(most recent call first):"):  # "Current thread 0x... (most ...):"
            threads.append([])
        elif line:
            if not threads:
                threads.append([])
            m = _FRAME.fullmatch(line)
            threads[-1].append(f"{m['function']} ({os.path.basename(m['file'])}:{m['line']})"
                               if m else line)
    return " | ".join(" < ".join(frames) for frames in threads if frames)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _shm_listing() -> dict[str, tuple[int, int]]:
    """The multiprocessing entries of /dev/shm, as {name: (inode, device)}."""
    found = {}
    try:
        with os.scandir("/dev/shm") as entries:
            for entry in entries:
                if entry.name.startswith(SHM_PREFIXES):
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    found[entry.name] = (st.st_ino, st.st_dev)
    except OSError:
        pass
    return found


def _shm_mapped(processes: dict[int, str]) -> dict[str, int]:
    """The /dev/shm entries that the processes map or hold open, as {name: inode}.

    By inode, not by the name in /proc: glibc makes a named semaphore under a temporary name,
    maps it, then links it to its real name, so the map names a deleted file."""
    try:
        shm_dev = os.stat("/dev/shm").st_dev
    except OSError:
        return {}
    inodes = set()
    for pid in processes:
        try:
            with open(f"/proc/{pid}/maps") as f:
                for line in f:
                    fields = line.split(maxsplit=5)
                    if len(fields) == 6 and fields[5].startswith("/dev/shm/"):
                        inodes.add(int(fields[4]))
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    st = os.stat(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if st.st_dev == shm_dev:
                    inodes.add(st.st_ino)
        except OSError:  # gone meanwhile
            continue
    return {name: inode for name, (inode, _) in _shm_listing().items() if inode in inodes}


def _remove_shm(mapped: dict[str, int], before: dict[str, tuple[int, int]]) -> list[str]:
    """Remove what the run left in /dev/shm, and return its names.

    An entry is the run's when a process of the run mapped or held it open at the end of the
    run (so no other run can be using it unless the run gave it away) and it was not there,
    as that same file, when the run started. Only an entry still there, as that same file,
    after every process of the run is gone is removed: its resource tracker, ended last, may
    have unlinked it already."""
    removed = []
    for name, inode in sorted(mapped.items()):
        if name in before and before[name][0] == inode:
            continue
        path = os.path.join("/dev/shm", name)
        try:
            if os.stat(path).st_ino != inode:
                continue
            os.unlink(path)
        except OSError:
            continue
        removed.append(name)
    return removed


def _digest(path: str) -> tuple[int, str, bytes]:
    h = hashlib.sha256()
    size = 0
    head = b""
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            if len(head) < HEAD_KEPT:
                head += chunk[:HEAD_KEPT - len(head)]
            size += len(chunk)
            h.update(chunk)
    return size, h.hexdigest(), head


def _files(root: str | None) -> dict[str, str]:
    """Regular files under `root`, as {relative path: path}."""
    found = {}
    if root is None:
        return found
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                found[os.path.relpath(path, root)] = path
    return found


def _changed_files(workdir: str | None, cwd: str) -> dict[str, FileState]:
    """What the run made, changed or deleted in its folder, against `workdir`."""
    before, after = _files(workdir), _files(cwd)
    changed = {}
    for rel, path in sorted(after.items()):
        try:
            size, digest, head = _digest(path)
        except OSError:
            continue
        if rel in before and _digest(before[rel])[:2] == (size, digest):
            continue
        changed[rel] = FileState(size, digest, head)
    for rel in sorted(set(before) - set(after)):
        changed[rel] = FileState(-1)
    return changed

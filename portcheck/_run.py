"""Run one script as a child of a chosen interpreter and record what it did.

The subject gets an environment of portcheck's making (no PYTHON* variable of the caller's, a
fixed locale, our sitecustomize on PYTHONPATH), its own session, stdin from /dev/null, and
stdout either on a pseudo-terminal ("pty" mode: line-buffered, as a person sees it) or on a pipe
("pipe" mode: block-buffered, as when output goes to a file). Every stdout line is stamped with
its arrival time and the earliest it can have been written (see Line). Every process of the run
carries a token in its environment; when the run ends (normally, by timeout or by interrupt)
portcheck kills the session's process group and every process carrying the token, so a daemon
that left the session is found too, looking again until none is left (a process may start
another while the run is being killed), and reports any that were still alive after the subject
exited as leaked. The run's TMPDIR is a directory of its own, removed after that: a killed
process cannot clean up its temporary files (such as multiprocessing's pymp-* directories), so
portcheck does. (A process that replaces its whole environment, say by exec'ing with an empty
one, loses the token; if it also left the session, it escapes. No Python multiprocessing start
method does that.)
"""
from __future__ import annotations

import collections
import os
import pty
import select
import selectors
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field

import psutil

from portcheck import timeouts

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
TRUNCATED = "[portcheck: output truncated]"
LINE_CUT = " [portcheck: line cut]"
# Bytes asked of each read. A read may return fewer with more to come (a pty gives at most 4095
# bytes a read), so whether it emptied the stream is asked of the kernel (a zero-timeout poll).
READ_SIZE = 65536


@dataclass(frozen=True)
class Line:
    """A line of output, and when it can have been written (seconds from the start of the run).

    It arrived at `t`: it was written then or before, by as much as portcheck's own delay in
    reading, which a loaded machine stretches. It was written after `earliest`, when the
    harness last found its stream empty (None: written at `t`, as in a recorded trace)."""

    text: str
    t: float
    earliest: float | None = None


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
    leaked: list[int] = field(default_factory=list)  # pids alive after the subject exited
    hung: list[str] = field(default_factory=list)  # what was running when the run timed out

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


class _Lines:
    """Split a byte stream into stamped lines, keeping at most `head` bytes of the first lines
    and `tail` bytes of the last ones (a TRUNCATED line between them), and MAX_LINE bytes of any
    one line."""

    def __init__(self, strip_cr: bool, head: int = MAX_KEPT, tail: int = 0) -> None:
        self._head: list[Line] = []
        self._tail: collections.deque[tuple[Line, int]] = collections.deque()
        self._tail_kept = 0
        self._tail_max = tail
        self._head_max = head
        self.truncated = False
        self._partial = b""
        self._partial_earliest = 0.0  # of the line in _partial
        self._skipping = False  # inside a line already cut at MAX_LINE
        self._kept = 0
        self._strip_cr = strip_cr
        self._empty_at = 0.0  # when a read last found the stream empty; nothing before the start

    @property
    def lines(self) -> list[Line]:
        if not self.truncated:
            return self._head
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
        if not self.truncated and self._kept + len(raw) <= self._head_max:
            self._kept += len(raw)
            self._head.append(line)
            return
        if not self.truncated:
            self.truncated, self._truncated_at = True, t
        if len(raw) > self._tail_max:
            self._tail.clear()
            self._tail_kept = 0
            return
        self._tail.append((line, len(raw)))
        self._tail_kept += len(raw)
        while self._tail_kept > self._tail_max:
            self._tail_kept -= self._tail.popleft()[1]


def subject_env(start_method: str, time_scale: float, token: str, tmp: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items()
        if not (k.startswith(("PYTHON", "LC_")) or k in ("LANG", "LANGUAGE"))
    }
    env.update(
        PYTHONPATH=BOOT_DIR,
        PYTHONDONTWRITEBYTECODE="1",  # leave no __pycache__ in the user's folders
        LC_ALL="C.UTF-8",
        TERM="dumb",
        PORTCHECK_START_METHOD=start_method,
        PORTCHECK_TIME_SCALE=repr(time_scale),
        PORTCHECK_LINGER=repr(LINGER),
        PORTCHECK_RUN=token,
        TMPDIR=tmp,  # tempfile and multiprocessing look here first
    )
    return env


class Cancelled(Exception):
    """The caller asked the run to stop (an interrupt); its processes are gone."""


def run(python, script: str, *, start_method: str, mode: str, time_scale: float = FAST,
        timeout: float = timeouts.RUN, cancel: threading.Event | None = None) -> Trace:
    """Run `script` under the Interpreter `python` and return its Trace."""
    # Removed once _run has killed and reaped every process of the run.
    with tempfile.TemporaryDirectory(prefix="portcheck-", ignore_cleanup_errors=True) as tmp:
        return _run(python, os.path.abspath(script), start_method, mode, time_scale, timeout,
                    cancel, tmp)


def _run(python, script: str, start_method: str, mode: str, time_scale: float, timeout: float,
         cancel: threading.Event | None, tmp: str) -> Trace:
    token = uuid.uuid4().hex
    if mode == "pty":
        read_fd, write_fd = pty.openpty()
    else:
        read_fd, write_fd = os.pipe()
    err_read, err_write = os.pipe()
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            [python.path, script],
            stdin=subprocess.DEVNULL, stdout=write_fd, stderr=err_write,
            cwd=os.path.dirname(script), env=subject_env(start_method, time_scale, token, tmp),
            start_new_session=True,
        )
    except BaseException:
        os.close(read_fd)
        os.close(err_read)
        raise
    finally:
        os.close(write_fd)
        os.close(err_write)
    trace = Trace(script, ".".join(map(str, python.version)), start_method, mode, proc.pid)
    out = _Lines(strip_cr=mode == "pty")
    err = _Lines(strip_cr=False, head=STDERR_KEPT, tail=STDERR_KEPT)
    try:
        finished = _pump({read_fd: out, err_read: err}, start, start + timeout, cancel)
        if cancel is not None and cancel.is_set():
            raise Cancelled(script)
        if finished:
            trace.returncode = proc.wait(max(0.0, start + timeout - time.monotonic()))
        else:
            trace.timeout = timeout
    except subprocess.TimeoutExpired:
        trace.timeout = timeout
    finally:
        trace.wall = time.monotonic() - start
        alive = _kill_run(proc, token)
        if trace.timeout is None:  # the subject exited and its output closed: these escaped
            trace.leaked = sorted(pid for pid in alive if pid != proc.pid)
        else:
            trace.hung = [f"pid {pid}: {command}" for pid, command in sorted(alive.items())]
        os.close(read_fd)
        os.close(err_read)
    if trace.returncode is None:
        trace.returncode = proc.returncode
    trace.lines, trace.truncated = out.lines, out.truncated or err.truncated
    trace.stderr = "\n".join(line.text for line in err.lines)
    return trace


def _pump(streams: dict[int, _Lines], start: float, deadline: float,
          cancel: threading.Event | None) -> bool:
    """Read until every stream is at EOF (True), the deadline passes or `cancel` is set."""
    with selectors.DefaultSelector() as selector:
        for fd in streams:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (cancel is not None and cancel.is_set()):
                return False
            for key, _ in selector.select(min(remaining, timeouts.CANCEL_POLL)):
                read_at = time.monotonic() - start
                try:
                    data = os.read(key.fd, READ_SIZE)
                except OSError:  # EIO: the terminal's last writer has gone
                    data = b""
                now = time.monotonic() - start
                if data:
                    streams[key.fd].feed(data, now, read_at, not _readable(key.fd))
                else:
                    streams[key.fd].close(now)
                    selector.unregister(key.fd)
    return True


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


def _kill_run(proc: subprocess.Popen, token: str) -> dict[int, str]:
    """Kill the run's process group and every process carrying its token, and reap them.

    A process of the run may start another while it is being looked for or killed, so the
    search is repeated until it finds none left alive (within REAP).

    Returns every process found alive, as {pid: command line}."""
    alive: dict[int, str] = {}
    group = proc.pid
    deadline = time.monotonic() + timeouts.REAP
    while True:
        found = []
        for p in processes_with(f"PORTCHECK_RUN={token}"):
            try:
                if p.status() != psutil.STATUS_ZOMBIE:
                    alive.setdefault(p.pid, " ".join(p.cmdline()))
                    found.append(p)
            except psutil.Error:  # gone meanwhile
                continue
        if group is not None:  # after the first look, which says what was running
            try:
                os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            group = None
        for p in found:
            try:
                p.kill()
            except psutil.Error:
                continue
        if not found or time.monotonic() >= deadline:
            break
        _wait_dead(found, deadline)
    proc.wait()
    return alive


def _wait_dead(processes: list[psutil.Process], deadline: float) -> None:
    """Wait until each process is gone or a zombie. A killed orphan stays a zombie until init
    reaps it, which some inits do only every second or so: dead is what matters here."""
    while processes and time.monotonic() < deadline:
        processes = [p for p in processes if _running(p)]
        time.sleep(0.01)


def _running(p: psutil.Process) -> bool:
    try:
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


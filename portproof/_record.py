"""The per-process record: what the boot wrote about every Python process of a run.

The boot (portproof/_boot/sitecustomize.py) appends one JSON object per line to the file named
by PORTPROOF_RECORD, each with one write on an O_APPEND descriptor so that lines of different
processes never mix: "start" when a process begins (its command line), "mp" when a
multiprocessing child's _bootstrap begins (its name and the start method it really runs under,
or "forkserver-server" for the forkserver itself), "end" when it ends, "shm" for each entry of
/dev/shm multiprocessing made in it and left linked (its name and inode). A process that ends by
os._exit outside multiprocessing, or by a signal, has no "end". And "line" for each of the first
lines each thread of a process wrote to sys.stdout (its text), in the order it wrote them. The
file is written by the subject's processes, so it is read as untrusted: lines that are not such
objects are skipped, and at most MAX_LINES lines of at most MAX_LINE bytes are read, of which
MAX_EVENTS events of a process's life and MAX_OUTPUT "line" events (a subject that forks
100,000 processes leaves the rest unread).
"""
from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field

# The name of the record in the run's own folder (_run.Folders.own).
NAME = "portproof-record.jsonl"
MAX_EVENTS = 20000
MAX_OUTPUT = 20000
MAX_LINES = MAX_EVENTS + MAX_OUTPUT
MAX_LINE = 8192
_LIFE = ("start", "mp", "end", "shm")


@dataclass(frozen=True)
class ProcessInfo:
    """A process of the run; times in seconds from the start of the run.

    name and start_method are those of a multiprocessing child (None for others); end is None
    when its end was not recorded; argv is its command line as the kernel had it at its start
    (a forked child has its parent's); stdout holds, for each of its threads that wrote to
    sys.stdout, the lines it wrote, in the order it wrote them."""

    pid: int
    ppid: int
    name: str | None
    start_method: str | None
    start: float
    end: float | None
    argv: list[str] = field(default_factory=list)
    exitcode: int | None = None  # of a multiprocessing child, as its _bootstrap returned it
    stdout: list[list[str]] = field(default_factory=list)


def read(path: str, t0: float) -> list[ProcessInfo]:
    """The processes recorded in `path`, in order of start; `t0` is the run's start (as
    time.time())."""
    processes: list[dict] = []
    latest: dict[int, dict] = {}  # pid -> its latest process: a pid can be reused in a run
    for event in _events(path):
        if event["event"] == "shm":  # not of a process's life: made_shm reads it
            continue
        pid = event["pid"]
        if event["event"] == "start" or pid not in latest:
            latest[pid] = process = {"pid": pid, "ppid": event["ppid"], "name": None,
                                     "start_method": None, "start": event["t"] - t0,
                                     "end": None, "argv": [], "exitcode": None,
                                     "stdout": {}}
            processes.append(process)
        process = latest[pid]
        if event["event"] == "line":
            process["stdout"].setdefault(event["thread"], []).append(event["text"])
        elif event["event"] == "start":
            argv = event.get("argv")
            if isinstance(argv, list) and all(isinstance(a, str) for a in argv):
                process["argv"] = argv
        elif event["event"] == "mp":
            process["name"] = _text(event.get("name"))
            process["start_method"] = _text(event.get("method"))
        elif event["event"] == "end":
            process["end"] = event["t"] - t0
            code = event.get("exitcode")
            process["exitcode"] = code if isinstance(code, int) else None
    processes.sort(key=lambda p: p["start"])
    return [ProcessInfo(**{**p, "stdout": list(p["stdout"].values())}) for p in processes]


def made_shm(path: str) -> dict[str, int]:
    """The /dev/shm entries the run's processes made, as {name: inode}: plain names only (no
    folder, no "." or ".."), as the subject may write anything in the record."""
    made = {}
    for event in _events(path):
        name, inode = event.get("name"), event.get("inode")
        if (event["event"] == "shm" and isinstance(name, str) and isinstance(inode, int)
                and plain_name(name)):
            made[name] = inode
    return made


def plain_name(name: str) -> bool:
    """Whether a name the subject's side wrote is a plain entry's name: no folder, not "." or
    "..", so that it cannot lead out of the folder it is looked up in."""
    return name not in ("", ".", "..") and "/" not in name and "\0" not in name


def open_untrusted(path: str):
    """A file the subject's processes wrote (or replaced), opened to read, or None: never by a
    link, never a FIFO or device (the open does not block, and only a regular file is read),
    so that what is in its place cannot make portproof wait or read for ever."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:  # none: no process wrote it; or a link, or gone
        return None
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        regular = False
    if not regular:
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")


def _events(path: str):
    """The well-formed events of the record, within its bounds."""
    f = open_untrusted(path)
    if f is None:
        return
    left = {"life": MAX_EVENTS, "line": MAX_OUTPUT}
    with f:
        for _ in range(MAX_LINES):
            line = f.readline(MAX_LINE)
            if not line:
                return
            if not line.endswith(b"\n") and len(line) == MAX_LINE:  # too long: skip the rest
                while line and not line.endswith(b"\n"):
                    line = f.readline(MAX_LINE)
                continue
            try:
                event = json.loads(line)
            except (ValueError, RecursionError):  # not JSON; or nested deeper than json
                continue  # parses (the boot's events are two deep, and a line is bounded)
            if not (isinstance(event, dict)
                    and all(isinstance(event.get(k), int) for k in ("pid", "ppid"))
                    and isinstance(event.get("t"), (int, float))):
                continue
            kind = "life" if event.get("event") in _LIFE else "line"
            if kind == "line" and not (event.get("event") == "line"
                                       and event.get("stream") == "stdout"
                                       and isinstance(event.get("thread"), int)
                                       and isinstance(event.get("text"), str)):
                continue
            if left[kind]:
                left[kind] -= 1
                yield event


def _text(value) -> str | None:
    return value if isinstance(value, str) else None

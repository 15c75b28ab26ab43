"""The aftermath of a run, once its main process has exited or timed out: the stacks of the
processes that hung, and the /dev/shm entries the run left (the files it made or changed:
_folders).

Limits: a /dev/shm entry is the run's when the boot recorded that a process of the run made it
(multiprocessing's named semaphores and SharedMemory), or said it was making it and was killed
before it could record it (remove_unfinished); one made otherwise is not removed;
processes are signalled by pid, so a pid reused in the instant between the look and the signal
could be hit.
"""
from __future__ import annotations

import contextlib
import itertools
import os
import re
import signal
import stat
import time

from portproof import timeouts
from portproof._boot import protocol
from portproof._record import NAME, made_shm, open_untrusted, plain_name
from portproof._trace import HEAD_KEPT

# The signal portproof sends a timed-out run's processes for their Python stacks; the boot
# registers the same name (_boot/protocol.py). None where there is no such signal (macOS).
DUMP_SIGNAL = getattr(signal, protocol.DUMP_SIGNAL, None)


def dump_stacks(alive: dict[int, str], stacks: str) -> dict[int, str]:
    """Ask each live process that registered for DUMP_SIGNAL (it has a file in `stacks`) for
    its Python stack; return {pid: stack, on one line} for those that gave one."""
    asked = {}
    for pid in alive if DUMP_SIGNAL is not None else ():
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
        f = open_untrusted(path)
        if f is None:
            continue
        with f:
            stack = compact(f.read(HEAD_KEPT).decode(errors="backslashreplace"))
        if stack:
            dumped[pid] = stack
    return dumped


_FRAME = re.compile(r'File "(?P<file>.*)", line (?P<line>\d+) in (?P<function>.*)')


def compact(dump: str) -> str:
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


def remove_run_shm(own: str) -> list[str]:
    """Remove what the run whose folder is `own` made and left in /dev/shm, once every process of
    the run is gone: what its record says its processes made (remove_shm), whose names it
    returns, the subject's leak; then what their unfinished makings left (remove_unfinished)."""
    removed = remove_shm(made_shm(os.path.join(own, NAME)))
    remove_unfinished(own)
    return removed


def remove_shm(made: dict[str, int]) -> list[str]:
    """Remove what the run made and left in /dev/shm, `made` as {name: inode} (the record's),
    and return its names. Only an entry still there as that same file, once every process of
    the run is gone, is removed: its resource tracker, ended last, may have unlinked it, and
    a name another program reuses is another file."""
    removed = []
    for name, inode in sorted(made.items()):
        path = os.path.join("/dev/shm", name)
        try:
            if os.stat(path, follow_symlinks=False).st_ino != inode:
                continue
            os.unlink(path)
        except OSError:
            continue
        removed.append(name)
    return removed


# glibc's sem_open makes a semaphore as sem.XXXXXX, then links it to its name and unlinks the
# first: a process killed in between leaves the first.
_SEM_TEMPORARY = re.compile(r"sem\.[A-Za-z0-9]{6}")
# A file's times and time.time() are read from clocks with a tick of a few milliseconds.
_CLOCK_TICK = 0.05
# sem_open holds its temporary file for microseconds: one older than this is no one's at work.
_TEMPORARY_AGE = 0.1
# The unfinished makings read: one per process of the run at most, and a process killed in one.
MAX_UNFINISHED = 1000


def remove_unfinished(own: str) -> None:
    """Remove what the makings the run's processes left unfinished (killed inside one: the boot's
    protocol.SHM_PENDING files in the run's folder `own`) left in /dev/shm, once every process of
    the run is gone: the entry named, if made since the making began; for
    a semaphore, the one glibc temporary file (sem.XXXXXX) made first since then, if any and
    still there once _TEMPORARY_AGE old. Not said as the subject's leak: the kill was
    portproof's."""
    pattern = re.compile(re.escape(protocol.SHM_PENDING).replace("%d", r"\d+"))
    try:
        with os.scandir(own) as entries:
            found = (e.path for e in entries if pattern.fullmatch(e.name))
            pending = list(itertools.islice(found, MAX_UNFINISHED))
    except OSError:
        return
    for path in pending:
        f = open_untrusted(path)
        if f is None:
            continue
        with f:
            began = os.fstat(f.fileno()).st_mtime - _CLOCK_TICK
            name = f.read(256).decode("ascii", "replace")
        if not plain_name(name):
            continue
        _unlink_if_made_since(name, began)
        if name.startswith("sem."):  # killed before the link, or between it and the unlink
            temporary = _first_temporary_since(began)
            if temporary:
                _unlink_if_made_since(temporary, began)


def _made_since(name: str, began: float) -> os.stat_result | None:
    """/dev/shm/`name`'s status, if it is a regular file of this user's made at `began` or
    after."""
    try:
        st = os.stat(os.path.join("/dev/shm", name), follow_symlinks=False)
    except OSError:
        return None
    ours = stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and st.st_ctime >= began
    return st if ours else None


def _unlink_if_made_since(name: str, began: float) -> None:
    if _made_since(name, began) is not None:
        with contextlib.suppress(OSError):
            os.unlink(os.path.join("/dev/shm", name))


def _first_temporary_since(began: float) -> str | None:
    """The first glibc temporary file made at `began` or after that is still there once
    _TEMPORARY_AGE old (waiting for that age, at most _TEMPORARY_AGE)."""
    try:
        names = [n for n in os.listdir("/dev/shm") if _SEM_TEMPORARY.fullmatch(n)]
    except OSError:
        return None
    found = sorted((st.st_ctime, n) for n in names if (st := _made_since(n, began)))
    if not found:
        return None
    made, name = found[0]
    time.sleep(max(0.0, min(_TEMPORARY_AGE, made + _TEMPORARY_AGE - time.time())))
    return name if _made_since(name, began) else None

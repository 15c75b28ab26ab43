"""The aftermath of a run, once its main process has exited or timed out: the stacks of the
processes that hung, and the /dev/shm entries the run left (the files it made or changed:
_folders).

Limits: a /dev/shm entry is the run's when the boot recorded that a process of the run made it
(multiprocessing's named semaphores and SharedMemory); one made otherwise is not removed;
processes are signalled by pid, so a pid reused in the instant between the look and the signal
could be hit.
"""
from __future__ import annotations

import os
import re
import signal
import time

from portproof import timeouts
from portproof._boot import protocol
from portproof._record import open_untrusted
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

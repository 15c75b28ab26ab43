"""The aftermath of a run, once its main process has exited or timed out: the stacks of the
processes that hung, and the /dev/shm entries the run left (the files it made or changed:
_folders).

Limits: a /dev/shm entry that no process of the run held any more at the end (its creator
exited without unlinking it) is left to its resource tracker; processes are signalled by pid, so
a pid reused in the instant between the look and the signal could be hit.
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
# registers the same name (_boot/protocol.py).
DUMP_SIGNAL = signal.Signals[protocol.DUMP_SIGNAL]
# Named shared memory in /dev/shm that multiprocessing makes: semaphores (sem.mp-, on 3.6/3.7
# sem.mp- too), SharedMemory (psm_, wnsm_), and heaps of other libraries (mp-).
SHM_PREFIXES = ("sem.mp-", "psm_", "wnsm_", "mp-")


def dump_stacks(alive: dict[int, str], stacks: str) -> dict[int, str]:
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


def shm_listing() -> dict[str, tuple[int, int]]:
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


def shm_mapped(processes: dict[int, str]) -> dict[str, int]:
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
    return {name: inode for name, (inode, _) in shm_listing().items() if inode in inodes}


def remove_shm(mapped: dict[str, int], before: dict[str, tuple[int, int]]) -> list[str]:
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

"""Reading a run's streams: stdout and stderr split into stamped lines, bounded, until the run
ends; and the bell the boot rings at each event of its record, so that a line is known to come
after the event.

Lines are stamped in seconds from the run's start on the wall clock (time.time()), the clock the
boot stamps the record by (Python 2.7 has no other); every deadline is on the monotonic clock.
"""
from __future__ import annotations

import collections
import math
import os
import select
import selectors
import threading
import time
from collections.abc import Callable

from portproof import timeouts
from portproof._trace import LINE_CUT, MAX_LINE, TRUNCATED, Line

# Output kept per stream: enough for any honest example, bounded for a subject that floods.
MAX_KEPT = 1 << 20
# stderr keeps this much of its head and of its tail: after a flood, the last traceback matters.
STDERR_KEPT = 1 << 16
# While the run settles after its main process exits, how often to look whether it is empty.
SETTLE_POLL = 0.02
# Bytes asked of each read. A read may return fewer with more to come (a pty gives at most 4095
# bytes a read), so a stream is found empty only by a zero-timeout poll (see _readable), after
# a read that got nothing or after READS_IN_A_ROW reads.
READ_SIZE = 65536
# Reads of one stream in a row (64 KiB of a pty, 1 MiB of a pipe) before the other stream, the
# bell and a stop are looked at again, and the stream is polled whether it is empty.
READS_IN_A_ROW = 16
# The FIFO in the run's TMPDIR that the boot rings at each event of its record, and the file in
# which portproof answers when it last looked at the output (see Bell).
BELL = "portproof-bell"
LOOKED = "portproof-looked"


class Lines:
    """Split a byte stream into stamped lines, keeping at most `head` bytes of the first lines
    and `tail` bytes of the last ones (a TRUNCATED line between them if a line was left out),
    and MAX_LINE bytes of any one line. A line counts its bytes and one for its end, so that a
    flood of empty lines is bounded too."""

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
        if emptied is None:
            emptied = len(data) < READ_SIZE
        if self._full:
            data = self._leave_out(data)
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

    def _leave_out(self, data: bytes) -> bytes:
        """Once the head is full: `data`, one read, less its lines that the tail will not keep,
        found from its end; when one is left out, so are the tail so far and the line begun in
        earlier reads. A flood costs a few lines of work a read, not every line."""
        kept = 0
        end = data.rfind(b"\n")
        while end >= 0:
            start = data.rfind(b"\n", 0, end) + 1
            if start == 0 and self._skipping:  # the rest of a line cut at MAX_LINE: no line
                return data
            # The line is data[start:end], after what earlier reads left of it for the first.
            length = end - start + (len(self._partial) if start == 0 else 0)
            if self._strip_cr and (data[end - 1:end] == b"\r" if end > start
                                   else start == 0 and self._partial.endswith(b"\r")):
                length -= 1
            kept += length + 1  # as _add counts it
            if kept > self._tail_max:  # this line and every one before it are left out
                self.truncated = True
                self._tail.clear()
                self._tail_kept = 0
                self._partial, self._skipping = b"", False
                return data[end + 1:]
            end = start - 1
        return data

    def _add(self, raw: bytes, t: float, earliest: float, suffix: str = "") -> None:
        if self._strip_cr and raw.endswith(b"\r"):  # the terminal's \n -> \r\n
            raw = raw[:-1]
        line = Line(raw.decode("utf-8", "backslashreplace") + suffix, t, earliest)
        size = len(raw) + 1  # its end too: an empty line is not free
        if not self._full and self._kept + size <= self._head_max:
            self._kept += size
            self._head.append(line)
            return
        if not self._full:
            self._full, self._truncated_at = True, t
        if size > self._tail_max:
            self.truncated = True
            self._tail.clear()
            self._tail_kept = 0
            return
        self._tail.append((line, size))
        self._tail_kept += size
        while self._tail_kept > self._tail_max:
            self._tail_kept -= self._tail.popleft()[1]
            self.truncated = True


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
        try:
            with open(part, "w", encoding="ascii") as f:
                f.write(repr(looked_at))
            os.replace(part, self.looked)
        except OSError:  # the subject took the folder or put something in the way: a process
            pass  # waits LOOK_WAIT at most, and an order it would have proven is not held

    def close(self) -> None:
        try:
            self.answer(math.inf)  # nothing will look any more: no process waits for it
        finally:
            os.close(self.fd)
            os.close(self._write_end)


def pump(streams: dict[int, Lines], t0: float, deadline: float,
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

    The streams are made non-blocking. `deadline` is on the monotonic clock, as every wait is.
    Lines are stamped in seconds from `t0` on the wall clock (time.time()), the clock the boot
    stamps the record by (Python 2.7 has no other), so that a step or drift of one clock
    against the other cannot put a line before the start or end of a process it came after."""
    drain_until = None
    with selectors.DefaultSelector() as selector:
        for fd in streams:
            os.set_blocking(fd, False)  # a read that finds the stream empty says so at once
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


def _read(fd: int, lines: Lines, t0: float) -> bool:
    """Read `fd` (non-blocking) into `lines` until it is found empty, READS_IN_A_ROW times at
    most; False at the end of the stream."""
    for _ in range(READS_IN_A_ROW):
        read_at = time.time() - t0
        try:
            data = os.read(fd, READ_SIZE)
        except BlockingIOError:
            if _readable(fd):  # the terminal's buffer held more: the poll has moved it
                continue
            lines.found_empty(read_at)
            return True
        except OSError:  # EIO: the terminal's last writer has gone
            data = b""
        now = time.time() - t0
        if not data:
            lines.close(now)
            return False
        # Whether it emptied the stream is for the next read to say: a poll here would wait
        # for the terminal's buffer to be moved, where the next read finds it moved already.
        lines.feed(data, now, read_at, emptied=False)
    looked_at = time.time() - t0
    if not _readable(fd):
        lines.found_empty(looked_at)
    return True


def _read_at_once(fd: int, lines: Lines, t0: float) -> None:
    """Read what `fd` holds now, without waiting for more: for timeouts.DRAIN at most, so that
    a process of the run that goes on writing cannot keep the reader for ever."""
    until = time.monotonic() + timeouts.DRAIN
    while _readable(fd) and _read(fd, lines, t0) and time.monotonic() < until:
        pass


def _readable(fd: int) -> bool:
    """Whether a read would return at once: data waiting, or the end of the stream.

    A poll, not FIONREAD: on a pty, output the writer has already written can wait in the
    terminal's buffer for a kernel worker to move it where FIONREAD counts it; a poll moves it
    first (n_tty_poll flushes that buffer)."""
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))

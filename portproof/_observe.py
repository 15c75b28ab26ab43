"""What a user can observe of one run, normalised: the unit `diff` compares.

stdout's lines, and those of each process in the order it wrote them; stderr split into the
uncaught exception (the last traceback, with every traceback chained to it: 3.x re-raises a
Pool worker's error with the worker's traceback chained before it, 2.7 shows only the last),
warnings (notes unless --strict), and other lines (a child's traceback counts as one line, its
exception); how the run ended; the files the script created, changed or deleted in its working
directory, and beside itself (as `<script folder>/name`); the processes it left running.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from portproof._normalise import Context, exception_line, normalise
from portproof._trace import TRUNCATED, Trace

TIMED_OUT = "timed out"  # how a run portproof ended at its timeout ended
_HEADER = "Traceback (most recent call last):"
# Lines Python prints between the tracebacks of one chain.
_CONNECTORS = {
    "", '"""',
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
}
_REMOTE = re.compile(r"[\w.]*RemoteTraceback: ?\Z")
# "file.py:12: DeprecationWarning: text", as the warnings module shows one; then the source
# line, indented, when Python can read it, or, for a ResourceWarning raised where no source is
# at hand (an object collected), TRACEMALLOC_HINT (3.6+).
_WARNING = re.compile(r"(?P<file>\S[^:]*):(?P<line>\d+): (?P<warning>\w*Warning: .*)\Z")
TRACEMALLOC_HINT = "ResourceWarning: Enable tracemalloc to get the object allocation traceback"


def warning_in(line: str) -> tuple[str, str] | None:
    """("file name:line", "Category: message") if `line` starts a warning."""
    m = _WARNING.match(line)
    return (f"{os.path.basename(m['file'])}:{m['line']}", m["warning"]) if m else None


def _warning_tail(line: str) -> bool:
    """Whether `line`, right after a warning's first line, is part of it."""
    return line[:1].isspace() or line == TRACEMALLOC_HINT


def warning_lines(lines: list[str]) -> set[int]:
    """The indices of the lines that are warnings: each first line and those that go with it."""
    found, tail = set(), False
    for j, line in enumerate(lines):
        tail = (tail and _warning_tail(line)) or bool(warning_in(line))
        if tail:
            found.add(j)
    return found


@dataclass
class Observation:
    mode: str
    stdout: list[str]
    stderr: list[str]
    exception: str | None  # "Type: message" of the uncaught exception
    ending: str  # "exit status 0", "killed by SIGSEGV", "timed out"
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256, or "deleted"
    heads: dict[str, bytes] = field(default_factory=dict)  # path -> its first bytes
    leaked: list[str] = field(default_factory=list)  # command lines of the processes it left
    warnings: list[str] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)  # the rules that changed something
    # Of each stdout line: (the earliest it can have been written, when it arrived).
    times: list[tuple[float, float]] | None = None
    # The lifetimes (start, end or None) of the run's processes other than its main one; None
    # when the run has no record of its processes.
    others: list[tuple[float, float | None]] | None = None
    shm_left: list[str] = field(default_factory=list)  # /dev/shm names the run left
    # The streams ("stdout", "stderr") the harness cut (_run.MAX_KEPT, STDERR_KEPT): its mark
    # where it cut is not a line of the run's, and what it left out is not known.
    cut: tuple[str, ...] = ()
    # Of each thread of each process, the stdout lines it wrote, in the order it wrote them (as
    # the boot recorded them: its first ORDER_LINES, lines lost at its end included), normalised
    # as stdout is; None when the run has no record of its processes.
    by_process: list[list[str]] | None = None
    wall: float = 0.0  # the run's real time, in seconds
    survived: list[str] = field(default_factory=list)  # command lines of those SIGKILL left


def context(trace: Trace, ignore=()) -> Context:
    processes = getattr(trace, "processes", None) or []
    pids = [trace.pid] + [p.pid for p in processes if p.pid != trace.pid]
    paths = {trace.script: "<script>", os.path.dirname(trace.script): "<script folder>"}
    for name, placeholder in (("cwd", "<cwd>"), ("tmpdir", "<tmp>"), ("ran_as", "<script>")):
        path = getattr(trace, name, None)
        if path:
            paths[path] = placeholder
            if name == "ran_as":  # the copy of the script's folder it ran from
                paths[os.path.dirname(path)] = "<script folder>"
    return Context(pids=pids, paths=paths, ignore=ignore)


def observe(trace: Trace, ignore=(), strict: bool = False) -> Observation:
    fired: set[str] = set()
    kept = [line for line in trace.lines if line.text != TRUNCATED]
    stdout = [line.text for line in kept]
    raw_err = trace.stderr.splitlines() if trace.stderr else []
    cut = tuple(name for name, cut in (("stdout", len(kept) < len(trace.lines)),
                                       ("stderr", TRUNCATED in raw_err)) if cut)
    raw_err = [line for line in raw_err if line != TRUNCATED]
    # One pass over both streams, so that a child is the same <childN> in each.
    both = normalise(stdout + raw_err, context(trace, ignore), fired)
    processes = getattr(trace, "processes", None)
    # Each on its own: a traceback's rules (harness frames, carets) read the lines around.
    by_process = None if not processes else [normalise(lines, context(trace, ignore))
                                             for p in processes for lines in p.stdout]
    stdout, err = both[:len(stdout)], both[len(stdout):]
    other, exception, warnings = split_stderr(err)
    if strict:  # each warning a stderr line, not also a note
        other += [f"(warning) {w}" for w in warnings]
        warnings = []
    if trace.timeout is not None:
        ending = TIMED_OUT
    elif trace.signal:
        ending = f"killed by {trace.signal}"
    elif trace.returncode is None:  # no process of portproof's lived to hear it
        ending = "exit status not known"
    else:
        ending = f"exit status {trace.returncode}"
    files, heads = {}, {}
    for folder, found in (("", getattr(trace, "files", None)),
                          ("<script folder>/", getattr(trace, "script_files", None))):
        for path, state in (found or {}).items():
            files[folder + path] = "deleted" if state.size < 0 else state.sha256
            heads[folder + path] = state.head
    times = [(line.t if line.earliest is None else line.earliest, line.t) for line in kept]
    others = None if not processes else [(p.start, p.end) for p in processes
                                         if p.pid != trace.pid]
    leaked = normalise(list(trace.leaked.values()), context(trace, ignore))
    survived = normalise(list(getattr(trace, "survived", {}).values()), context(trace, ignore))
    return Observation(trace.mode, stdout, other, exception, ending, files, heads, leaked,
                       warnings, fired, times, others, list(trace.shm_removed), cut, by_process,
                       trace.wall, survived)


def split_stderr(lines: list[str]) -> tuple[list[str], str | None, list[str]]:
    """(other lines, the uncaught exception or None, warnings) of a run's stderr."""
    blocks = []  # (first line, last line, exception line) of each traceback
    i = 0
    while i < len(lines):
        if lines[i] == _HEADER:
            end = i + 1
            while end < len(lines) and (lines[end][:1].isspace() or lines[end] == ""):
                end += 1
            if end < len(lines):
                last = end  # a message on several lines goes on indented (3.x's RuntimeError)
                while last + 1 < len(lines) and lines[last + 1][:1].isspace() \
                        and lines[last + 1].strip():
                    last += 1
                message = " ".join(" ".join(lines[end:last + 1]).split())
                blocks.append((i, last, exception_line(message)))
                end = last
            i = end + 1
        else:
            i += 1
    # Warnings can follow the traceback of an uncaught exception: a ResourceWarning for a
    # Pool the exception left running, say.
    warned = warning_lines(lines)
    chain, exception = set(), None
    if blocks and all(not line.strip() or j in warned
                      for j, line in enumerate(lines) if j > blocks[-1][1]):
        exception = blocks[-1][2]
        n = len(blocks) - 1
        chain.update(range(blocks[n][0], blocks[n][1] + 1))
        while n > 0 and all(line.strip() in _CONNECTORS
                            for line in lines[blocks[n - 1][1] + 1:blocks[n][0]]):
            n -= 1
            chain.update(range(blocks[n][0], blocks[n + 1][0]))
        # 3.x's Pool puts the worker's traceback in the message of a RemoteTraceback, between
        # triple quotes, at the head of the chain.
        first = blocks[n][0]
        if first >= 2 and lines[first - 1] == '"""' and _REMOTE.match(lines[first - 2]):
            chain.update((first - 2, first - 1))
    in_block = {j: block for block in blocks for j in range(block[0], block[1] + 1)}
    other, warnings = [], []
    for j, line in enumerate(lines):
        if j in chain:
            continue
        if j in in_block:
            if j == in_block[j][1]:
                other.append(f"(traceback) {in_block[j][2]}")
            continue
        if j in warned:  # a warning's first line, or the lines that go with it
            warning = warning_in(line)
            if warning:
                warnings.append(warning[1])
        elif line.strip():
            other.append(line)
    return other, exception, warnings

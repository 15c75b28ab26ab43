"""queue_timeout: put and get on a full, then empty, Queue of one, without blocking and with a
timeout; then a child puts B.

Equivalent means: the parent's lines in the order written (the queue is full, put(block=False)
raises Full, put with a timeout raises Full, A is got, get(block=False) raises Empty, get with
a timeout raises Empty, B is got from the child), and the child's one line from a process of
its own. In a terminal also when: the child's line comes just before "Got B", a call without
blocking fails at once, and a call with the 0.5 s timeout fails after about 0.5 s, judged on
what the lines' times prove (see between).
"""
from __future__ import annotations

from collections.abc import Iterator

from portproof._spec import PARENT, Line, Parsed, Spec, excerpt, own_processes

# The example's timeout. A wait is judged on what the lines prove (see between): too short only
# if even the longest it can have taken is, late only if even the shortest is. The lower bound
# still allows 0.1 s for what those bounds do not see, the kernel passing a line through the
# terminal and rounding the timeout; the upper bound allows a loaded machine 1 s; "at once" is
# anything clearly shorter than the timeout.
QUEUE_TIMEOUT = 0.5
TIMEOUT_EARLY = 0.1
TIMEOUT_LATE = 1.0
AT_ONCE = QUEUE_TIMEOUT / 2
EXPECTED = ["parent", "full", "put_nowait", "calling_put", "put_timeout", "got", "get_nowait",
            "calling_get", "get_timeout", "child", "got_child"]


def check(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    parent_kinds = [k for k in p.kinds() if k != "child"]
    if p.kinds().count("child") != 1 or parent_kinds != [k for k in EXPECTED if k != "child"]:
        yield f"lines came as {p.kinds()}, not {EXPECTED}"
        return
    yield from own_processes(p, p.of("child"), "child")
    if p.trace.mode != "pty":
        return
    if p.kinds() != EXPECTED:
        yield f"lines came as {p.kinds()}, not {EXPECTED}"
    by_kind = {e.kind: e.line for e in p.events}
    for before, after in (("full", "put_nowait"), ("got", "get_nowait")):
        shortest, _ = between(by_kind[before], by_kind[after])
        if shortest > AT_ONCE:
            yield f"{excerpt(by_kind[after].text)} came at least {shortest:.2f} s late, not at once"
    for before, after in (("calling_put", "put_timeout"), ("calling_get", "get_timeout")):
        shortest, longest = between(by_kind[before], by_kind[after])
        if longest < QUEUE_TIMEOUT - TIMEOUT_EARLY:
            yield (f"{excerpt(by_kind[after].text)} came at most {longest:.2f} s after the call, "
                   f"not after about {QUEUE_TIMEOUT} s")
        elif shortest > QUEUE_TIMEOUT + TIMEOUT_LATE:
            yield (f"{excerpt(by_kind[after].text)} came at least {shortest:.2f} s after the call, "
                   f"not after about {QUEUE_TIMEOUT} s")


def between(first: Line, then: Line) -> tuple[float, float]:
    """The shortest and the longest time the subject can have taken from writing `first` to
    writing `then`, a later line of the same process: each was written after its `earliest`
    and by its arrival."""
    def earliest(line: Line) -> float:
        return line.t if line.earliest is None else line.earliest
    return max(0.0, earliest(then) - first.t), then.t - earliest(first)


SPEC = Spec("queue_timeout", {
    "parent": PARENT,
    "full": r"Put A, the queue is full\.",
    "put_nowait": r"put\(block=False\) raised Full\.",
    "calling_put": rf"Calling put\(block=True, timeout={QUEUE_TIMEOUT}\)\.\.\.",
    "put_timeout": rf"put\(block=True, timeout={QUEUE_TIMEOUT}\) raised Full\.",
    "got": r"Got A\.",
    "get_nowait": r"get\(block=False\) raised Empty\.",
    "calling_get": rf"Calling get\(block=True, timeout={QUEUE_TIMEOUT}\)\.\.\.",
    "get_timeout": rf"get\(block=True, timeout={QUEUE_TIMEOUT}\) raised Empty\.",
    "child": r"Child process (?P<pid>\d+) puts B\.",
    "got_child": r"Got B from the child\.",
}, check, ordered=True)

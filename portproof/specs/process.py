"""process: the parent starts five children one after another, each joined before the next.

Equivalent means: the parent's "Current process <pid>." comes first; children 0 to 4 each say
they are running, in that order, each from a process of its own (never the parent); "Waiting for
subprocess done" is the last line, after every child's line.
"""
from __future__ import annotations

from collections.abc import Iterator

from portproof._spec import PARENT, Parsed, Spec, own_processes

TASKS = [str(i) for i in range(5)]


def check(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    children = p.of("child")
    names = [e.fields["name"] for e in children]
    if names != TASKS:
        yield f"children ran as {names}, not {TASKS} one after another"
    yield from own_processes(p, children, "child")
    yield from p.last_is("done", children, "a child's line")


SPEC = Spec("process", {
    "parent": PARENT,
    "child": r"Child process (?P<name>\d+)\((?P<pid>\d+)\) is running\.",
    "done": r"Waiting for subprocess done",
}, check, ordered=True)

"""process_subclass: a Process subclass with its own run(), then a bare Process with no target.

Equivalent means: exactly these lines in this order: the parent's line; "Worker Worker-1(<pid>)
is running." from a process of its own; "Worker exited with code 0."; "Bare Process (<pid>) ran
nothing and exited with code 0." from another process of its own.
"""
from __future__ import annotations

from collections.abc import Iterator

from portproof._spec import PARENT, Parsed, Spec, excerpt, own_processes


def check(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    expected = ["parent", "worker", "worker_exit", "bare"]
    if p.kinds() != expected:
        yield f"lines came as {p.kinds()}, not {expected}"
        return
    _, worker, worker_exit, bare = p.events
    if worker.fields["name"] != "Worker-1":
        yield f"the subclass runs as {excerpt(worker.fields['name'])}, not 'Worker-1'"
    yield from own_processes(p, [worker, bare], "process")
    for e in (worker_exit, bare):
        if e.fields["code"] != "0":
            yield f"line {e.index} reports exit code {e.fields['code']}, not 0"


SPEC = Spec("process_subclass", {
    "parent": PARENT,
    "worker": r"Worker (?P<name>\S+)\((?P<pid>\d+)\) is running\.",
    "worker_exit": r"Worker exited with code (?P<code>-?\d+)\.",
    "bare": r"Bare Process \((?P<pid>\d+)\) ran nothing and exited with code "
            r"(?P<code>-?\d+)\.",
}, check, ordered=True)

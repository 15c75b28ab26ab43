"""queue_shared: a writer process puts A to E on a Queue, a reader process gets them.

Equivalent means: the parent's line first; the writer puts A, B, C, D, E and the reader gets
each once and in that order, writer and reader each in a process of their own; in a terminal,
no item is got before it is put; "Writer and reader done." is the last line. How the writer's
and the reader's lines interleave is free.
"""
from __future__ import annotations

from collections.abc import Iterator

from portproof._spec import PARENT, Parsed, Spec, own_processes

ITEMS = ["A", "B", "C", "D", "E"]


def check(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    puts = [e.fields["item"] for e in p.of("put")]
    gets = [e.fields["item"] for e in p.of("get")]
    if puts != ITEMS:
        yield f"the writer put {puts}, not {ITEMS}"
    if gets != ITEMS:
        yield f"the reader got {gets}, not each of {ITEMS} once and in order"
    yield from own_processes(p, p.of("writer") + p.of("reader"), "process")
    if p.trace.mode == "pty":
        put_at = {e.fields["item"]: e.index for e in p.of("put")}
        for e in p.of("get"):
            if e.index < put_at.get(e.fields["item"], 0):
                yield f"{e.fields['item']} was got (line {e.index}) before it was put"
    yield from p.last_is("done", p.events[:-1], "another line")


SPEC = Spec("queue_shared", {
    "parent": PARENT,
    "writer": r"Writer process (?P<pid>\d+) is running\.",
    "put": r"Put (?P<item>\w+) to queue\.",
    "reader": r"Reader process (?P<pid>\d+) is running\.",
    "get": r"Get (?P<item>\w+) from queue\.",
    "done": r"Writer and reader done\.",
}, check, ordered=False)

"""pipe: the parent sends "ping 0" to "ping 2" down a Pipe, a child answers each in capitals.

Equivalent means: the parent's line first; one child process (not the parent) receives ping 0,
ping 1, ping 2 in order; the parent receives PING 0, PING 1, PING 2 in order, in a terminal
each after the child received its ping; "Pipe closed." is the last line.
"""
from __future__ import annotations

from collections.abc import Iterator

from portproof._spec import PARENT, Parsed, Spec, own_processes


def check(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    received = [e.fields["message"] for e in p.of("child")]
    replies = [e.fields["message"] for e in p.of("reply")]
    if received != ["ping 0", "ping 1", "ping 2"]:
        yield f"the child received {received}, not ping 0, ping 1, ping 2"
    if replies != ["PING 0", "PING 1", "PING 2"]:
        yield f"the parent received {replies}, not PING 0, PING 1, PING 2"
    children = p.of("child")
    if len({e.pid for e in children}) > 1:
        yield "the child's lines come from more than one process"
    yield from own_processes(p, children[:1], "child")
    if p.trace.mode == "pty":
        for got, reply in zip(children, p.of("reply"), strict=False):
            if reply.index < got.index:
                yield f"the parent received {reply.fields['message']} before the child sent it"
    yield from p.last_is("closed", p.events[:-1], "another line")


SPEC = Spec("pipe", {
    "parent": PARENT,
    "child": r"Child (?P<pid>\d+) received (?P<message>ping \d)\.",
    "reply": r"Parent received (?P<message>PING \d)\.",
    "closed": r"Pipe closed\.",
}, check, ordered=True)

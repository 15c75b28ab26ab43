"""value_array: four children add to a shared Value and Array under a lock.

Equivalent means: the parent's line first; children 0, 1, 2 and 3 each finish once, each in a
process of its own, in any order; the last two lines are "Counter: 4000" and "Numbers: [4, 5,
6, 7, 8]": no increment is lost.
"""
from __future__ import annotations

from collections.abc import Iterator

from portproof._spec import PARENT, Parsed, Spec, own_processes


def check(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    children = p.of("child")
    names = sorted(e.fields["name"] for e in children)
    if names != ["0", "1", "2", "3"]:
        yield f"children {names} finished, not 0, 1, 2 and 3 once each"
    yield from own_processes(p, children, "child")
    if p.kinds()[-2:] != ["counter", "numbers"]:
        yield "'Counter: ...' and 'Numbers: ...' are not the last two lines"
    for e in p.of("counter"):
        if e.fields["value"] != "4000":
            yield f"the counter ended at {e.fields['value']}, not 4000"
    for e in p.of("numbers"):
        if e.fields["value"] != "[4, 5, 6, 7, 8]":
            yield f"the array ended as {e.fields['value']}, not [4, 5, 6, 7, 8]"


SPEC = Spec("value_array", {
    "parent": PARENT,
    "child": r"Child process (?P<name>\d+)\((?P<pid>\d+)\) done\.",
    "counter": r"Counter: (?P<value>-?\d+)",
    "numbers": r"Numbers: (?P<value>\[.*\])",
}, check, ordered=False)

"""pool: five tasks on a Pool of three workers, then close() and join().

Equivalent means: the parent's line first; each of the tasks 0 to 4 starts and ends exactly
once, in that order, in one worker process (never the parent); the tasks run in at most three
processes, and in a terminal at most three are running at any line; "Waiting for all subprocess
done..." once; "All subprocess done..." last, after every task's end. Which worker runs which
task, and the order tasks finish in, are free.
"""
from __future__ import annotations

from collections.abc import Iterator

from portproof._spec import PARENT, Parsed, Spec, own_processes

# The pool's capacity and tasks, as the article has them.
POOL_SIZE = 3
TASKS = [str(i) for i in range(5)]


def check(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    running, ended = p.of("running"), p.of("end")
    for name in TASKS:
        starts = [e for e in running if e.fields["name"] == name]
        ends = [e for e in ended if e.fields["name"] == name]
        if not starts:  # never started, or its lines lost: the record tells which
            yield (p.no_line(f"line of task {name}", "running", name=name)
                   or f"task {name} never started")
        elif not ends:
            yield (p.no_line(f"end line of task {name}", "end", "never ended", name=name)
                   or f"task {name} started but never ended")
        elif len(starts) > 1 or len(ends) > 1:
            yield f"task {name} started {len(starts)} and ended {len(ends)} times, not once"
        elif ends[0].index < starts[0].index or ends[0].pid != starts[0].pid:
            yield f"task {name} did not start and end in order in one process"
    yield from own_processes(p, running, "task", distinct=False)
    workers = {e.pid for e in running}
    if len(workers) > POOL_SIZE:
        yield (f"tasks ran in {len(workers)} processes; a pool of {POOL_SIZE} reuses at most "
               f"{POOL_SIZE}")
    if p.trace.mode == "pty":
        yield from _at_most_running(p, POOL_SIZE)
    yield from p.once("waiting")
    yield from p.last_is("done", ended, "a task's end")


def _at_most_running(p: Parsed, limit: int) -> Iterator[str]:
    now: set[str] = set()
    for e in p.events:
        if e.kind == "running":
            now.add(e.fields["name"])
            if len(now) > limit:
                yield (f"{len(now)} tasks were running at once at line {e.index} "
                       f"(tasks {', '.join(sorted(now))}); a pool of {limit} runs at most {limit}")
                return
        elif e.kind == "end":
            now.discard(e.fields["name"])


SPEC = Spec("pool", {
    "parent": PARENT,
    "running": r"Child process (?P<name>\d+)\((?P<pid>\d+)\) is running\.",
    "end": r"Child process (?P<name>\d+)\((?P<pid>\d+)\) end\.",
    "waiting": r"Waiting for all subprocess done\.\.\.",
    "done": r"All subprocess done\.\.\.",
}, check, ordered=False)

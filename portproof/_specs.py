"""One behavioural spec per example, applied unchanged to every implementation.

A spec parses the subject's stdout into events with its own line patterns (any other line is a
violation), then checks what the article claims and what users rely on. It returns violations
as sentences; an empty list means the run holds. Claims about concurrency and timing are judged
only on pty runs, where lines arrive as they are written; completeness and final order on both.

Pids never appear in verdicts or stories as numbers: `normalise` names them by role, "parent"
for the subject's own pid, then child1, child2... in order of appearance.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from portproof._normalise import Context
from portproof._normalise import normalise as normalise_lines
from portproof._observe import warning_in, warning_lines
from portproof._run import LINE_CUT, MAX_LINE, TRUNCATED, Line, Trace

# The pool example's capacity and tasks, as the article has them.
POOL_SIZE = 3
TASKS = [str(i) for i in range(5)]
# queue_timeout.py's timeout. A wait is judged on what the lines prove (see _between): too short
# only if even the longest it can have taken is, late only if even the shortest is. The lower
# bound still allows 0.1 s for what those bounds do not see, the kernel passing a line through
# the terminal and rounding the timeout; the upper bound allows a loaded machine 1 s; "at once"
# is anything clearly shorter than the timeout.
QUEUE_TIMEOUT = 0.5
TIMEOUT_EARLY = 0.1
TIMEOUT_LATE = 1.0
AT_ONCE = QUEUE_TIMEOUT / 2
# What a verdict quotes of a subject's output: at most EXCERPT characters of a line, and the
# first SHOWN lines that are not the spec's, the rest counted (a binary subject prints
# megabytes).
EXCERPT = 120
SHOWN = 5

_PARENT = r"Current process (?P<pid>\d+)\."


@dataclass(frozen=True)
class Event:
    kind: str
    index: int  # 1-based line number
    line: Line
    fields: dict
    pid: int | None


class Parsed:
    def __init__(self, trace: Trace, events: list[Event]) -> None:
        self.trace = trace
        self.events = events

    def of(self, kind: str) -> list[Event]:
        return [e for e in self.events if e.kind == kind]

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    def first_is_parent(self) -> Iterator[str]:
        if not self.events or self.events[0].kind != "parent":
            yield "the first line is not the parent's 'Current process <pid>.'"
        elif self.events[0].pid != self.trace.pid:
            yield "'Current process <pid>.' does not show the pid of the process portproof started"

    def once(self, kind: str) -> Iterator[str]:
        if len(self.of(kind)) != 1:
            yield f"{excerpt(self.spec_line(kind))} appears {len(self.of(kind))} times, not once"

    def last_is(self, kind: str, after: list[Event], what: str) -> Iterator[str]:
        mine = self.of(kind)
        if len(mine) != 1:
            yield from self.once(kind)
        elif mine[0] is not self.events[-1]:
            yield f"{excerpt(self.spec_line(kind))} is not the last line"
        elif any(e.index > mine[0].index for e in after):
            yield f"{excerpt(self.spec_line(kind))} comes before {what}"

    def spec_line(self, kind: str) -> str:
        found = self.of(kind)
        return found[0].line.text if found else kind


@dataclass(frozen=True)
class Spec:
    name: str
    patterns: dict[str, str]
    check: Callable[[Parsed], Iterator[str]]
    ordered: bool  # whether a pty run's line order is the same on every run

    def parse(self, trace: Trace) -> tuple[Parsed, list[str]]:
        compiled = {kind: re.compile(rf"{p}\Z") for kind, p in self.patterns.items()}
        events, unexpected, others = [], [], 0
        for index, line in enumerate(trace.lines, 1):
            for kind, pattern in compiled.items():
                m = pattern.match(line.text)
                if m:
                    pid = int(m["pid"]) if "pid" in pattern.groupindex else None
                    events.append(Event(kind, index, line, m.groupdict(), pid))
                    break
            else:
                others += 1
                if others <= SHOWN:
                    unexpected.append(f"line {index} {excerpt(line.text)} is not a line "
                                      f"{self.name} prints")
        if others > SHOWN:
            unexpected.append(f"and {others - SHOWN} more lines {self.name} does not print")
        return Parsed(trace, events), unexpected


def judge(spec: Spec, trace: Trace) -> list[str]:
    """Every way `trace` breaks `spec`, as sentences; [] when it holds."""
    problems = list(_run_problems(trace))
    if trace.timeout is not None:
        return problems  # the output of a run that hung tells nothing more
    parsed, unexpected = spec.parse(trace)
    return problems + unexpected + list(spec.check(parsed))


def _run_problems(trace: Trace) -> Iterator[str]:
    if trace.timeout is not None:
        running = [excerpt(command) + (f" in {excerpt(trace.stacks[pid])}"
                                       if pid in trace.stacks else "")
                   for pid, command in trace.hung_commands.items()]
        yield (f"timed out after {trace.timeout:g} s: portproof killed {trace.script} and its "
               f"processes; still running were {listed(running, 'processes') or 'none'}")
    err = [line for line in trace.stderr.splitlines() if line.strip()]
    if trace.signal and trace.timeout is None:  # else portproof killed it, as said above
        yield f"was killed by {trace.signal}"
    elif trace.returncode and trace.timeout is None:
        yield f"exited with status {trace.returncode}"
    warned, err = warnings_in(err)
    pids = Context(pids=[trace.pid, *(p.pid for p in trace.processes if p.pid != trace.pid)])
    for (where, warning), times in list(warned.items())[:SHOWN]:
        (warning,) = normalise_lines([warning], pids)  # "(pid=<parent>)", not a number
        yield (f"warned: {excerpt(warning)} at {excerpt(where, quoted=False)}"
               + (f" ({times} times)" if times > 1 else ""))
    if len(warned) > SHOWN:
        yield f"and {len(warned) - SHOWN} more warnings"
    if err:
        yield f"wrote to stderr: {excerpt(_gist(err))}"
    if trace.truncated:
        yield "printed more than portproof keeps; its output was truncated"
    if any(line.text.endswith(LINE_CUT) for line in trace.lines):
        yield f"printed a line longer than {MAX_LINE} bytes; portproof kept its head"
    if trace.leaked:
        yield leak(list(trace.leaked.values()))
    if trace.shm_removed:  # a leak as a process left running is, outliving the run
        yield shm_leak(trace.shm_removed)
    yield from _other_start_methods(trace)


def _other_start_methods(trace: Trace) -> Iterator[str]:
    """Multiprocessing children that ran under another start method than the cell's, as the
    boot recorded them (the forkserver itself counts as forkserver)."""
    ran: dict[str, list[str]] = {}
    for p in trace.processes:
        method = {"forkserver-server": "forkserver"}.get(p.start_method, p.start_method)
        if method is not None and method != trace.start_method:
            label = "the forkserver" if p.start_method == "forkserver-server" else p.name
            ran.setdefault(method, []).append(label or f"pid {p.pid}")
    for method, labels in ran.items():
        shown = ", ".join(excerpt(label, quoted=False) for label in labels[:SHOWN]) + (
            f" and {len(labels) - SHOWN} more" if len(labels) > SHOWN else "")
        yield f"process{'es' if len(labels) > 1 else ''} {shown} ran under {method}, not " + (
            trace.start_method)


def excerpt(text: str, quoted: bool = True) -> str:
    """`text` escaped as repr() does, at most EXCERPT characters of it: what a verdict quotes of
    a subject's output. In quotes, unless not `quoted`: a name a verdict shows as it is when it
    is plain (a warning's file name, a process's)."""
    shown = repr(text[:EXCERPT]) if quoted else repr(text[:EXCERPT])[1:-1]
    if len(text) <= EXCERPT:
        return shown
    return f"{shown}... ({len(text) - EXCERPT} more characters)"


def listed(quoted: Sequence[str], noun: str) -> str:
    """Things of the subject's, each already quoted (an excerpt): the same ones once with their
    count, the first SHOWN of them, the rest counted ("'a', 'b' (3 processes) and 4 more")."""
    counted = list(Counter(quoted).items())
    shown = [q + (f" ({n} {noun})" if n > 1 else "") for q, n in counted[:SHOWN]]
    rest = sum(n for _, n in counted[SHOWN:])
    return ", ".join(shown) + (f" and {rest} more" if rest else "")


def leak(commands: Sequence[str]) -> str:
    """The sentence for the processes a run left running after its main process exited, named
    by their command lines: check's problem and diff's difference."""
    return (f"left {len(commands)} process(es) running after it exited: "
            f"{listed([excerpt(c) for c in commands], 'processes')}; portproof killed them")


def shm_leak(names: Sequence[str]) -> str:
    """The sentence for the /dev/shm entries a run left: check's problem and diff's
    difference."""
    n = len(names)
    return (f"left {n} shared-memory {'entry' if n == 1 else 'entries'} in /dev/shm: "
            f"{listed([excerpt(name) for name in names], 'entries')}; portproof removed them")


def warnings_in(err: list[str]) -> tuple[Counter, list[str]]:
    """The warnings among stderr's lines, counted by (file name:line, "Category: message"), and
    the lines that are not part of one."""
    warned = warning_lines(err)
    counted = Counter(warning_in(err[j]) for j in sorted(warned))
    counted.pop(None, None)  # a line that goes with a warning
    return counted, [line for j, line in enumerate(err) if j not in warned]


def _gist(err: list[str]) -> str:
    """From the last line that names an error ("SomeError: ...") to the end, else the last
    line, on one line of at most 200 characters; "..." where portproof cut the stream."""
    err = ["..." if line == TRUNCATED else line for line in err]
    named = [i for i, line in enumerate(err)
             if re.match(r"[\w.]+(Error|Exception|Warning|Exit)\b", line)]
    gist = " ".join(" ".join(err[named[-1]:] if named else err[-1:]).split())
    return gist if len(gist) <= 200 else gist[:197] + "..."


def normalise(spec: Spec, trace: Trace) -> list[str]:
    """The trace's lines with every pid replaced by its role."""
    parsed, _ = spec.parse(trace)
    roles: dict[int, str] = {trace.pid: "parent"}
    text = trace.text
    for e in parsed.events:
        if e.pid is None:
            continue
        role = roles.setdefault(e.pid, f"child{len(roles)}")
        line = text[e.index - 1]
        m = re.compile(spec.patterns[e.kind]).match(line)
        text[e.index - 1] = line[: m.start("pid")] + f"<{role}>" + line[m.end("pid"):]
    return text


def story(spec: Spec, trace: Trace) -> list[str]:
    """What two equivalent runs share: the normalised lines, in order where the order is
    fixed (an ordered example in a pty), otherwise as a sorted list with children unnamed."""
    return story_of(spec, normalise(spec, trace), trace.mode)


def story_of(spec: Spec, normalised: list[str], mode: str) -> list[str]:
    if spec.ordered and mode == "pty":
        return normalised
    return sorted(re.sub(r"<child\d+>", "<child>", line) for line in normalised)


# -- the examples, in the article's order -------------------------------------------------


def _check_process(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    children = p.of("child")
    names = [e.fields["name"] for e in children]
    if names != TASKS:
        yield f"children ran as {names}, not {TASKS} one after another"
    yield from _own_processes(p, children, "child")
    yield from p.last_is("done", children, "a child's line")


def _check_process_subclass(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    expected = ["parent", "worker", "worker_exit", "bare"]
    if p.kinds() != expected:
        yield f"lines came as {p.kinds()}, not {expected}"
        return
    _, worker, worker_exit, bare = p.events
    if worker.fields["name"] != "Worker-1":
        yield f"the subclass runs as {excerpt(worker.fields['name'])}, not 'Worker-1'"
    yield from _own_processes(p, [worker, bare], "process")
    for e in (worker_exit, bare):
        if e.fields["code"] != "0":
            yield f"line {e.index} reports exit code {e.fields['code']}, not 0"


def _check_pool(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    running, ended = p.of("running"), p.of("end")
    for name in TASKS:
        starts = [e for e in running if e.fields["name"] == name]
        ends = [e for e in ended if e.fields["name"] == name]
        if not starts:
            yield f"task {name} never started"
        elif not ends:
            yield f"task {name} started but never ended"
        elif len(starts) > 1 or len(ends) > 1:
            yield f"task {name} started {len(starts)} and ended {len(ends)} times, not once"
        elif ends[0].index < starts[0].index or ends[0].pid != starts[0].pid:
            yield f"task {name} did not start and end in order in one process"
    yield from _own_processes(p, running, "task", distinct=False)
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


def _check_queue_shared(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    items = ["A", "B", "C", "D", "E"]
    puts = [e.fields["item"] for e in p.of("put")]
    gets = [e.fields["item"] for e in p.of("get")]
    if puts != items:
        yield f"the writer put {puts}, not {items}"
    if gets != items:
        yield f"the reader got {gets}, not each of {items} once and in order"
    yield from _own_processes(p, p.of("writer") + p.of("reader"), "process")
    if p.trace.mode == "pty":
        put_at = {e.fields["item"]: e.index for e in p.of("put")}
        for e in p.of("get"):
            if e.index < put_at.get(e.fields["item"], 0):
                yield f"{e.fields['item']} was got (line {e.index}) before it was put"
    yield from p.last_is("done", p.events[:-1], "another line")


def _check_queue_timeout(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    expected = ["parent", "full", "put_nowait", "calling_put", "put_timeout", "got",
                "get_nowait", "calling_get", "get_timeout", "child", "got_child"]
    parent_kinds = [k for k in p.kinds() if k != "child"]
    if p.kinds().count("child") != 1 or parent_kinds != [k for k in expected if k != "child"]:
        yield f"lines came as {p.kinds()}, not {expected}"
        return
    yield from _own_processes(p, p.of("child"), "child")
    if p.trace.mode != "pty":
        return
    if p.kinds() != expected:
        yield f"lines came as {p.kinds()}, not {expected}"
    by_kind = {e.kind: e.line for e in p.events}
    for before, after in (("full", "put_nowait"), ("got", "get_nowait")):
        shortest, _ = _between(by_kind[before], by_kind[after])
        if shortest > AT_ONCE:
            yield f"{excerpt(by_kind[after].text)} came at least {shortest:.2f} s late, not at once"
    for before, after in (("calling_put", "put_timeout"), ("calling_get", "get_timeout")):
        shortest, longest = _between(by_kind[before], by_kind[after])
        if longest < QUEUE_TIMEOUT - TIMEOUT_EARLY:
            yield (f"{excerpt(by_kind[after].text)} came at most {longest:.2f} s after the call, "
                   f"not after about {QUEUE_TIMEOUT} s")
        elif shortest > QUEUE_TIMEOUT + TIMEOUT_LATE:
            yield (f"{excerpt(by_kind[after].text)} came at least {shortest:.2f} s after the call, "
                   f"not after about {QUEUE_TIMEOUT} s")


def _between(first: Line, then: Line) -> tuple[float, float]:
    """The shortest and the longest time the subject can have taken from writing `first` to
    writing `then`, a later line of the same process. Each was written after its `earliest`
    and by its arrival: arrival times alone lengthen or shorten a wait by the harness's own
    delay in reading, which a loaded machine stretches."""
    def earliest(line: Line) -> float:
        return line.t if line.earliest is None else line.earliest
    return max(0.0, earliest(then) - first.t), then.t - earliest(first)


def _check_pipe(p: Parsed) -> Iterator[str]:
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
    yield from _own_processes(p, children[:1], "child")
    if p.trace.mode == "pty":
        for got, reply in zip(children, p.of("reply"), strict=False):
            if reply.index < got.index:
                yield f"the parent received {reply.fields['message']} before the child sent it"
    yield from p.last_is("closed", p.events[:-1], "another line")


def _check_value_array(p: Parsed) -> Iterator[str]:
    yield from p.first_is_parent()
    children = p.of("child")
    names = sorted(e.fields["name"] for e in children)
    if names != ["0", "1", "2", "3"]:
        yield f"children {names} finished, not 0, 1, 2 and 3 once each"
    yield from _own_processes(p, children, "child")
    if p.kinds()[-2:] != ["counter", "numbers"]:
        yield "'Counter: ...' and 'Numbers: ...' are not the last two lines"
    for e in p.of("counter"):
        if e.fields["value"] != "4000":
            yield f"the counter ended at {e.fields['value']}, not 4000"
    for e in p.of("numbers"):
        if e.fields["value"] != "[4, 5, 6, 7, 8]":
            yield f"the array ended as {e.fields['value']}, not [4, 5, 6, 7, 8]"


def _own_processes(p: Parsed, events: list[Event], what: str, distinct=True) -> Iterator[str]:
    for e in events:
        if e.pid == p.trace.pid:
            yield f"a {what} ran in the parent process (line {e.index})"
            return
    pids = Counter(e.pid for e in events)
    if distinct and any(n > 1 for n in pids.values()):
        yield f"{what}s that should each have their own process shared one"


SPECS = {
    spec.name: spec
    for spec in (
        Spec("process", {
            "parent": _PARENT,
            "child": r"Child process (?P<name>\d+)\((?P<pid>\d+)\) is running\.",
            "done": r"Waiting for subprocess done",
        }, _check_process, ordered=True),
        Spec("pool", {
            "parent": _PARENT,
            "running": r"Child process (?P<name>\d+)\((?P<pid>\d+)\) is running\.",
            "end": r"Child process (?P<name>\d+)\((?P<pid>\d+)\) end\.",
            "waiting": r"Waiting for all subprocess done\.\.\.",
            "done": r"All subprocess done\.\.\.",
        }, _check_pool, ordered=False),
        Spec("process_subclass", {
            "parent": _PARENT,
            "worker": r"Worker (?P<name>\S+)\((?P<pid>\d+)\) is running\.",
            "worker_exit": r"Worker exited with code (?P<code>-?\d+)\.",
            "bare": r"Bare Process \((?P<pid>\d+)\) ran nothing and exited with code "
                    r"(?P<code>-?\d+)\.",
        }, _check_process_subclass, ordered=True),
        Spec("queue_shared", {
            "parent": _PARENT,
            "writer": r"Writer process (?P<pid>\d+) is running\.",
            "put": r"Put (?P<item>\w+) to queue\.",
            "reader": r"Reader process (?P<pid>\d+) is running\.",
            "get": r"Get (?P<item>\w+) from queue\.",
            "done": r"Writer and reader done\.",
        }, _check_queue_shared, ordered=False),
        Spec("queue_timeout", {
            "parent": _PARENT,
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
        }, _check_queue_timeout, ordered=True),
        Spec("pipe", {
            "parent": _PARENT,
            "child": r"Child (?P<pid>\d+) received (?P<message>ping \d)\.",
            "reply": r"Parent received (?P<message>PING \d)\.",
            "closed": r"Pipe closed\.",
        }, _check_pipe, ordered=True),
        Spec("value_array", {
            "parent": _PARENT,
            "child": r"Child process (?P<name>\d+)\((?P<pid>\d+)\) done\.",
            "counter": r"Counter: (?P<value>-?\d+)",
            "numbers": r"Numbers: (?P<value>\[.*\])",
        }, _check_value_array, ordered=False),
    )
}
EXAMPLES = list(SPECS)

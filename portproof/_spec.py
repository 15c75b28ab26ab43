"""The spec machinery: what a spec is, how a trace is judged against one, and the sentences of
a verdict. The specs themselves, one module per example, are in portproof.specs.

A spec parses the subject's stdout into events with its own line patterns (any other line is a
violation), then checks what the article claims and what users rely on. It returns violations
as sentences; an empty list means the run holds. Claims about concurrency and timing are judged
only on pty runs, where lines arrive as they are written; completeness and final order on both.

Pids never appear in verdicts or stories as numbers: `with_roles` names them by role, "parent"
for the subject's own pid, then child1, child2... in order of appearance.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

from portproof._escape import escape
from portproof._normalise import Context
from portproof._normalise import normalise
from portproof._observe import warning_in, warning_lines
from portproof._record import MAX_OUTPUT
from portproof._trace import LINE_CUT, MAX_LINE, TRUNCATED, Line, Trace

# What a verdict quotes of a subject's output: at most EXCERPT characters of a line, and the
# first SHOWN lines that are not the spec's, the rest counted (a binary subject prints
# megabytes).
EXCERPT = 120
SHOWN = 5

# The first line of every example: the parent's own pid.
PARENT = r"Current process (?P<pid>\d+)\."


@dataclass(frozen=True)
class Event:
    kind: str
    index: int  # 1-based line number
    line: Line
    fields: dict
    pid: int | None


class Parsed:
    def __init__(self, trace: Trace, events: list[Event],
                 patterns: dict[str, re.Pattern] | None = None) -> None:
        self.trace = trace
        self.events = events
        self.patterns = patterns or {}

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

    def no_line(self, what: str, kind: str, unwritten: str = "not started",
                **fields: str) -> str | None:
        """Why no line of `kind` with `fields` came, as far as the boot's record of the run's
        stdout tells: lost, where a process wrote it ("no line of task 0: its output was lost,
        written but not flushed ..."); None, where the record is whole and no process wrote
        it; not known (`unwritten`, or lost), where there is no whole record."""
        pattern = self.patterns.get(kind)
        written = [line for p in self.trace.processes for thread in p.stdout for line in thread]
        if pattern is None or not written or len(written) >= MAX_OUTPUT:
            return f"no {what}: {unwritten}, or its output was lost"
        for p in self.trace.processes:
            for line in (line for thread in p.stdout for line in thread):
                m = pattern.match(line)
                if m and all(m.groupdict().get(k) == v for k, v in fields.items()):
                    return (f"no {what}: its output was lost, written but not flushed "
                            "before its process ended")
        return None

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
        return Parsed(trace, events, compiled), unexpected


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
        ended = (f"portproof killed {trace.script} and its processes" if not trace.survived
                 else f"portproof sent {trace.script} and its processes SIGKILL, "
                      f"{survivors(trace.survived.values())}")
        yield (f"timed out after {trace.timeout:g} s: {ended}; still running were "
               f"{listed(running, 'processes') or 'none'}")
    err = [line for line in trace.stderr.splitlines() if line.strip()]
    if trace.signal and trace.timeout is None:  # else portproof killed it, as said above
        yield f"was killed by {trace.signal}"
    elif trace.returncode and trace.timeout is None:
        yield f"exited with status {trace.returncode}"
    if trace.supervisor_killed:
        yield f"portproof's supervisor of the run was killed by {trace.supervisor_killed}"
    if trace.returncode is None and trace.timeout is None:
        yield "its exit status is not known"
    warned, err = warnings_in(err)
    pids = Context(pids=[trace.pid, *(p.pid for p in trace.processes if p.pid != trace.pid)])
    for (where, warning), times in list(warned.items())[:SHOWN]:
        (warning,) = normalise([warning], pids)  # "(pid=<parent>)", not a number
        yield (f"warned: {excerpt(warning)} at {excerpt(where, quoted=False)}"
               + (f" ({times} times)" if times > 1 else ""))
    if len(warned) > SHOWN:
        yield f"and {len(warned) - SHOWN} more warnings"
    if err:  # addresses and pids as the warnings have them: the same reason in every run
        (gist,) = normalise([_gist(err)], pids)
        yield f"wrote to stderr: {excerpt(gist)}"
    if trace.truncated:
        yield "printed more than portproof keeps; its output was truncated"
    if any(line.text.endswith(LINE_CUT) for line in trace.lines):
        yield f"printed a line longer than {MAX_LINE} bytes; portproof kept its head"
    if trace.leaked:
        yield leak(list(trace.leaked.values()), list(trace.survived.values()))
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
    """At most EXCERPT characters of `text`: what a verdict quotes of a subject's output, in
    quotes and escaped as repr() does; unless not `quoted`: a name a verdict shows as it is when
    it is plain (a warning's file name, a process's, a file's), escaped as every printer escapes
    (_escape: a byte that is not UTF-8 as \\xff), so that the verdict is text any file takes."""
    shown = repr(text[:EXCERPT]) if quoted else escape(text[:EXCERPT])
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


def leak(commands: Sequence[str], survived: Sequence[str] = ()) -> str:
    """The sentence for the processes a run left running after its main process exited, named
    by their command lines: check's problem and diff's difference. "portproof killed them" only
    when none `survived` SIGKILL."""
    return (f"left {len(commands)} process(es) running after it exited: "
            f"{listed([excerpt(c) for c in commands], 'processes')}; "
            + ("portproof killed them" if not survived else survivors(survived)))


def survivors(commands: Iterable[str]) -> str:
    """What is said of the processes still there after portproof sent them SIGKILL."""
    return f"still running after SIGKILL: {listed([excerpt(c) for c in commands], 'processes')}"


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


def with_roles(spec: Spec, trace: Trace) -> list[str]:
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
    return story_of(spec, with_roles(spec, trace), trace.mode)


def story_of(spec: Spec, normalised: list[str], mode: str) -> list[str]:
    if spec.ordered and mode == "pty":
        return normalised
    return sorted(re.sub(r"<child\d+>", "<child>", line) for line in normalised)


def own_processes(p: Parsed, events: list[Event], what: str, distinct=True) -> Iterator[str]:
    """Each of `events` came from a process other than the parent; if `distinct`, each from a
    process of its own."""
    for e in events:
        if e.pid == p.trace.pid:
            yield f"a {what} ran in the parent process (line {e.index})"
            return
    pids = Counter(e.pid for e in events)
    if distinct and any(n > 1 for n in pids.values()):
        yield f"{what}s that should each have their own process shared one"

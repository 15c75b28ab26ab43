"""What varies between runs of the unchanged original (OLD), learned from its runs, and what a
run of the port (NEW) does that no run of OLD did.

A `Model` is learned from several runs of OLD in one mode (the "primary vs secondary" idea of
differential testing tools such as Twitter's Diffy). Invariants:
- which child printed a line is not compared: every `<childN>` is `<child>` here (check's specs
  judge which process did what); orders are compared on their own;
- a place where the numbers of a line vary between OLD's runs is masked; a line may come any
  number of times in the range OLD's runs showed;
- an order "line A before line B" is required only if it held in every run of OLD and, in
  every run, A and B cannot have raced (`_apart`);
- `Model.differences(observation)` lists what NEW does that no run of OLD did, each a
  `Difference`; `Model.noise()` says in sentences what was learned, so a reader can check that
  nothing real was masked. The confirmation runs (_differ) keep what slips through from being
  called a difference.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from portproof._observe import Observation
from portproof._spec import leak, shm_leak

# A place that can vary between runs: a number, or the role of a child.
_VARIABLE = re.compile(r"<child\d+>|(?:(?<!\w)-)?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_CHILD = re.compile(r"<child\d+>")
# Orders are learned among the first lines only: the pairs grow with the square of the lines.
ORDER_LINES = 300
# Lines written closer together than this in any run of OLD, while another process was alive, are
# not held to their order: longer than a spawned Python takes to start on a loaded machine, so
# that a child which starts later under spawn than under fork (and prints later) is not taken
# for a port that changed an order.
ORDER_GAP = 0.5
# A missing and an extra line at least this alike are shown as one changed line.
ALIKE = 0.5
# Differences of one kind shown per run; the rest are counted.
DIFFERENCES_SHOWN = 3


@dataclass(frozen=True)
class Difference:
    kind: str  # missing, extra, changed, order (of stdout or stderr lines), ending, exception,
    # file, leaked
    text: str  # a short sentence
    lines: tuple[str, ...] = ()  # the lines that show it, as a diff where that helps


def _shape(line: str) -> tuple[str, ...]:
    return tuple(_VARIABLE.split(line))


class _Masks:
    """Per shape of line (its text around numbers and roles), the places whose values vary
    between runs."""

    def __init__(self, runs: list[list[str]]) -> None:
        per_run: list[dict[tuple, list[Counter]]] = []
        for lines in runs:
            seen: dict[tuple, list[Counter]] = {}
            for line in lines:
                values = _VARIABLE.findall(line)
                counters = seen.setdefault(_shape(line), [Counter() for _ in values])
                for counter, value in zip(counters, values, strict=True):
                    counter[value] += 1
            per_run.append(seen)
        self.noisy: dict[tuple, set[int]] = {}
        self.example = {_shape(line): line for lines in reversed(runs) for line in lines}
        for shape in {s for seen in per_run for s in seen}:
            present = [seen[shape] for seen in per_run if shape in seen]
            places = {k for k in range(len(present[0]))
                      if any(p[k] != present[0][k] for p in present[1:])}
            if places:
                self.noisy[shape] = places

    def apply(self, line: str) -> str:
        places = self.noisy.get(_shape(line))
        if not places:
            return _CHILD.sub("<child>", line)
        values = iter(range(len(_VARIABLE.findall(line))))

        def mask(m: re.Match) -> str:
            if next(values) not in places:
                return m[0]
            return "<child>" if m[0].startswith("<child") else "<n>"

        return _CHILD.sub("<child>", _VARIABLE.sub(mask, line))


def _identities(lines: list[str]) -> list[tuple[str, int]]:
    """Each line with how many times it came before: the k-th 'x' is ('x', k)."""
    seen: Counter = Counter()
    out = []
    for line in lines:
        out.append((line, seen[line]))
        seen[line] += 1
    return out


@dataclass
class _Stream:
    """What the runs' lines of one stream have in common."""

    name: str  # "stdout" or "stderr"
    runs: list[list[str]]
    times: list[list[tuple[float, float]] | None] | None = None  # per run, per line
    others: list[list[tuple[float, float | None]] | None] | None = None  # per run
    terminal: bool = True  # a pty's lines, not a pipe's (see _apart)
    masks: _Masks = field(init=False)
    first_run: list[str] = field(init=False)  # masked
    counts: dict[str, tuple[int, int]] = field(init=False)
    before: set[tuple] = field(init=False)  # (A, B): A came before B in every run
    varied: int = field(init=False)  # pairs of lines whose order varied

    def __post_init__(self) -> None:
        self.masks = _Masks(self.runs)
        masked = [[self.masks.apply(line) for line in lines] for lines in self.runs]
        self.first_run = masked[0] if masked else []
        per_run = [Counter(lines) for lines in masked]
        every = {line for c in per_run for line in c}
        self.counts = {line: (min(c[line] for c in per_run), max(c[line] for c in per_run))
                       for line in every}
        fixed = {line for line, (low, high) in self.counts.items() if low == high}
        orders, written = [], []
        times = self.times or [None] * len(masked)
        others = self.others or [None] * len(masked)
        for lines, when, alive in zip(masked, times, others, strict=True):
            ids = [(i, n) for n, i in enumerate(_identities(lines)) if i[0] in fixed]
            ids = ids[:ORDER_LINES]
            orders.append({identity: k for k, (identity, _) in enumerate(ids)})
            written.append(({identity: when[n] for identity, n in ids}, alive) if when else None)
        common = set.intersection(*(set(o) for o in orders)) if orders else set()
        ids = sorted(common, key=orders[0].get) if orders else []
        self.before, self.varied = set(), 0
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if all(o[a] < o[b] for o in orders):
                    if all(w is None or _apart(w[0][a], w[0][b], w[1], self.terminal)
                           for w in written):
                        self.before.add((a, b))
                    else:
                        self.varied += 1
                elif not all(o[a] > o[b] for o in orders):
                    self.varied += 1

    def mask(self, lines: list[str]) -> list[str]:
        return [self.masks.apply(line) for line in lines]

    def noise(self) -> list[str]:
        said = []
        for shape, places in sorted(self.masks.noisy.items()):
            line = self.masks.example[shape]
            example = self.masks.apply(line)
            values = _VARIABLE.findall(line)
            if all(values[k].startswith("<child") for k in places):
                said.append(f"{self.name}: which child wrote it varies: {example!r}")
            else:
                said.append(f"{self.name}: values that vary at the same place: {example!r}")
        for line, (low, high) in sorted(self.counts.items()):
            if low != high:
                said.append(f"{self.name}: {line!r} appears {low} to {high} times")
        if self.varied:
            race = (f"they came less than {ORDER_GAP} s apart while other processes ran"
                    if self.terminal else "other processes were alive while they were written")
            said.append(f"{self.name}: the order of {self.varied} pair(s) of lines varies, or "
                        f"may be a race: {race}")
        return said

    def differences(self, lines: list[str]) -> list[Difference]:
        lines = self.mask(lines)
        have = Counter(lines)
        missing, extra = [], []
        for line in sorted(set(have) | set(self.counts), key=_first_in(lines, self.first_run)):
            low, high = self.counts.get(line, (0, 0))
            missing += [line] * max(0, low - have[line])
            extra += [line] * max(0, have[line] - high)
        found = []
        for old, new in _pair(missing, extra):
            if new is None:
                found.append(Difference("missing", f"{self.name} line missing: {old!r}"))
            elif old is None:
                found.append(Difference("extra", f"{self.name} line added: {new!r}"))
            else:
                found.append(Difference("changed", f"{self.name} line changed: {old!r} is "
                                        f"now {new!r}", (f"- {old}", f"+ {new}")))
        order = {identity: n for n, identity in enumerate(_identities(lines))}
        broken = sorted(((order[b], order[a], a, b) for a, b in self.before
                         if a in order and b in order and order[b] < order[a]))
        for _, _, a, b in broken[:DIFFERENCES_SHOWN]:
            found.append(Difference("order", f"{self.name}: {b[0]!r} now comes before "
                                    f"{a[0]!r}", (f"- {a[0]}", f"+ {b[0]}")))
        if len(broken) > DIFFERENCES_SHOWN:
            more = len(broken) - DIFFERENCES_SHOWN
            found.append(Difference("order", f"{self.name}: and {more} more pair(s) of lines in "
                                    "another order"))
        return found


def _apart(a: tuple[float, float], b: tuple[float, float],
           others: list[tuple[float, float | None]] | None, terminal: bool = True) -> bool:
    """Whether line b, written in the span b, cannot have raced line a, written in the span a
    (each span: the earliest it can have been written, its arrival), when one of these held:
    - no other process of the run was alive from a's earliest to b's arrival: lines the main
      process wrote alone are in the program's order. The earliest is when the harness last
      found the stream empty, which it looks at whenever a process of the run starts or ends
      (_stream.Bell); only on a machine too loaded to look within timeouts.LOOK is a line not
      proven to come after a process that ended, and then its order is not held;
    - in a terminal, a and b arrived in one read when no other process was alive (a burst);
    - in a terminal, b was written at least ORDER_GAP after a arrived.
    Only processes the boot recorded count (without a record, the gap alone); threads are not
    seen."""
    if others is not None:
        # On a pipe a line waits in its writer's buffer, mostly until the writer exits: the
        # stream found empty says nothing of when it was printed, which can be any time since
        # the run began (an imap_unordered loop printing results as they come, flushed after the
        # Pool joined).
        if _none_alive(others, a[0] if terminal else 0.0, b[1]):
            return True
        if terminal and a[1] == b[1] and _none_alive(others, b[1], b[1]):
            return True
    return terminal and b[0] - a[1] >= ORDER_GAP


def _none_alive(others: list[tuple[float, float | None]], start: float, end: float) -> bool:
    """Whether none of the processes (start, end or None) was alive between `start` and `end`."""
    return all(born > end or (died is not None and died < start) for born, died in others)


def _first_in(lines: list[str], old: list[str]):
    """A sort key: where a line first appears, in NEW's lines, else in OLD's first run (both
    masked)."""
    where = {}
    for n, line in enumerate(lines + old):
        where.setdefault(line, n)
    return lambda line: where.get(line, len(where))


def _pair(missing: list[str], extra: list[str]) -> list[tuple[str | None, str | None]]:
    """Each missing line with the extra line most like it (at least ALIKE), best pairs first."""
    scored = sorted(((difflib.SequenceMatcher(None, m, e).ratio(), i, j)
                     for i, m in enumerate(missing) for j, e in enumerate(extra)), reverse=True)
    partner: dict[int, int] = {}
    taken: set[int] = set()
    for ratio, i, j in scored:
        if ratio >= ALIKE and i not in partner and j not in taken:
            partner[i] = j
            taken.add(j)
    pairs = [(m, extra[partner[i]] if i in partner else None) for i, m in enumerate(missing)]
    return pairs + [(None, e) for j, e in enumerate(extra) if j not in taken]


class Model:
    """What every run of OLD in one mode showed."""

    def __init__(self, runs: list[Observation]) -> None:
        self.runs = runs
        terminal = not runs or runs[0].mode != "pipe"
        self.stdout = _Stream("stdout", [o.stdout for o in runs], [o.times for o in runs],
                              [o.others for o in runs], terminal)
        self.stderr = _Stream("stderr", [o.stderr for o in runs])
        self.endings = {o.ending for o in runs}
        self.exceptions = {o.exception for o in runs}
        self.files = {tuple(sorted(o.files.items())) for o in runs}
        # What runs leave is counted: pids and /dev/shm names are random.
        self.leaked = {len(o.leaked) for o in runs}
        self.shm_left = {len(o.shm_left) for o in runs}
        self.warnings = {w for o in runs for w in o.warnings}

    def noise(self) -> list[str]:
        said = self.stdout.noise() + self.stderr.noise()
        for what, values in (("ends", self.endings), ("uncaught exception", self.exceptions),
                             ("files written", self.files)):
            if len(values) > 1:
                said.append(f"{what} varies between runs")
        return said

    def differences(self, new: Observation) -> list[Difference]:
        found = self.stdout.differences(new.stdout) + self.stderr.differences(new.stderr)
        if new.ending not in self.endings:
            found.append(Difference("ending", f"ends with {new.ending}, not "
                                    f"{' or '.join(sorted(self.endings))}"))
        if new.exception not in self.exceptions:
            old = " or ".join(sorted(e or "none" for e in self.exceptions))
            found.append(Difference("exception", f"uncaught exception {new.exception or 'none'}"
                                    f", not {old}", (f"- {old}", f"+ {new.exception}")))
        if tuple(sorted(new.files.items())) not in self.files:
            found += self._file_differences(new)
        if new.leaked and len(new.leaked) not in self.leaked:  # as OLD's runs did not leave
            found.append(Difference("leaked", leak(new.leaked)))
        if new.shm_left and len(new.shm_left) not in self.shm_left:
            found.append(Difference("leaked", shm_leak(new.shm_left)))
        return found

    def _file_differences(self, new: Observation) -> list[Difference]:
        old = self.runs[0]
        found = []
        for path in sorted(set(old.files) | set(new.files)):
            was, now = old.files.get(path), new.files.get(path)
            if was == now:
                continue
            if was is None:
                what = "deleted" if now == "deleted" else "created"
                found.append(Difference("file", f"file {path} is {what} by NEW only"))
            elif now is None:
                found.append(Difference("file", f"file {path} is no longer "
                                        f"{'deleted' if was == 'deleted' else 'written'}"))
            else:
                diff = difflib.unified_diff(
                    _text(old.heads.get(path, b"")), _text(new.heads.get(path, b"")),
                    "OLD", "NEW", lineterm="", n=0)
                found.append(Difference("file", f"file {path} has other contents",
                                        tuple(list(diff)[2:2 + 2 * DIFFERENCES_SHOWN])))
        return found


def _text(data: bytes) -> list[str]:
    return [repr(line)[2:-1] for line in data.splitlines(keepends=True)]

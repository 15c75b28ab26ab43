"""What varies between runs of the unchanged original (OLD), learned from its runs, and what a
run of the port (NEW) does that no run of OLD did.

A `Model` is learned from several runs of OLD in one mode (the "primary vs secondary" idea of
differential testing tools such as Twitter's Diffy). Invariants:
- which child printed a line is not compared: every `<childN>` is `<child>` here (check's specs
  judge which process did what); orders are compared on their own;
- a place where the numbers of a line vary between OLD's runs is masked, and keeps what OLD
  showed there: a role, any decimal number, or a whole number within the span seen widened by
  as much again, at least 1 (`_widen`), so that a value far outside is a difference;
- of the lines whose count varies between runs, those alike but for whole words (a random
  token) become one line, `<20 letters>`, whose count is the sum of theirs: masked, a line stays
  as required as OLD printed it; a line may come any number of times in the range OLD showed;
- an order "line A before line B" is required only if it held in every run of OLD and, in
  every run, A and B cannot have raced (`_apart`);
- program order: of the lines one thread of one process wrote (as the boot recorded them,
  `Observation.by_process`), "A before B" is required if one of them wrote both, A first, in
  some run of OLD and none wrote B first in any run, however close together and whatever other
  processes did, unless A or B came before some line in one run and after it in another (a
  race decides where it comes: `_program_orders`); a line is known by its masked text and how
  many times that thread wrote it before;
- `Model.differences(observation)` lists what NEW does that no run of OLD did, each a
  `Difference`, a repeated line once with its count; where the harness left lines out of a
  stream (`Observation.cut`), a line missing from NEW's, or added to NEW's where OLD's was cut,
  may be in what was left out, and is none;
- each difference says what it is `about`, the same whatever value a run of NEW showed there,
  and whether OLD's runs vary in that (`varies`): a line whose count varies between them; a
  line changed at a place whose values vary between them (a number, a word), into that line
  with another value there; an order of two lines either of which races another line in them;
  how runs end, their uncaught exception, files written or what is left behind, where these
  vary between them. A hang never `varies` (_differ settles the rest);
- `Model.noise()` says in sentences what was learned, so a reader can check that nothing real
  was masked. The confirmation runs (_differ) keep what slips through from being called a
  difference.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from portproof._boot.protocol import ORDER_LINES
from portproof._observe import TIMED_OUT, Observation
from portproof._spec import excerpt, leak, shm_leak

# A place that can vary between runs: a number, or the role of a child.
_VARIABLE = re.compile(r"<child\d+>|(?:(?<!\w)-)?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_CHILD = re.compile(r"<child\d+>")
# Orders are learned among the first ORDER_LINES lines only, of a stream and of what one thread
# wrote (the boot records as many): the pairs grow with the square of the lines.
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
    # What it is about, alike in runs that show other values there ('stdout: 'took <n> steps''),
    # and whether OLD's runs vary in that; neither is part of what a difference is.
    about: str = field(default="", compare=False)
    varies: bool = field(default=False, compare=False)


def is_hang(difference: Difference) -> bool:
    """Whether `difference` is a run of NEW that timed out where no run of OLD did."""
    return difference.kind == "ending" and difference.text.startswith(f"ends with {TIMED_OUT},")


def _shape(line: str) -> tuple[str, ...]:
    return tuple(_VARIABLE.split(line))


@dataclass(frozen=True)
class _Values:
    """What OLD's runs showed at one varying place of a line, and so what NEW may show there: a
    child's role; any decimal number where OLD showed decimals; a whole number within the span
    OLD's whole numbers covered, widened by _widen (a value far outside it is a difference)."""

    kind: str  # "child", "int", "float" or "number" (ints and decimals both seen)
    low: int = 0  # of an int: the least and the greatest seen
    high: int = 0

    @classmethod
    def of(cls, seen: set[str]) -> _Values:
        if all(v.startswith("<child") for v in seen):
            return cls("child")
        if any(v.startswith("<child") for v in seen):
            return cls("number")  # a role in some runs, a number in others: any
        if all(v.lstrip("-").isdigit() for v in seen):
            numbers = [int(v) for v in seen]
            return cls("int", min(numbers), max(numbers))
        return cls("float" if not any(v.lstrip("-").isdigit() for v in seen) else "number")

    @property
    def span(self) -> tuple[int, int]:
        widen = _widen(self.low, self.high)
        return self.low - widen, self.high + widen

    def allows(self, value: str) -> bool:
        if self.kind == "child" or value.startswith("<child"):
            return self.kind in ("child", "number") and value.startswith("<child")
        whole = value.lstrip("-").isdigit()
        if self.kind == "int":
            return whole and self.span[0] <= int(value) <= self.span[1]
        return self.kind == "number" or not whole

    def says(self) -> str:
        if self.kind == "int":
            low, high = self.span
            return (f"a whole number from {low} to {high}, the {self.low} to {self.high} seen "
                    "widened by their span, at least 1")
        return {"float": "any decimal number", "number": "any number"}.get(self.kind, "a child")


def _widen(low: int, high: int) -> int:
    """How far beyond OLD's whole numbers a port's may go: the span seen, at least 1. Three runs
    of values spread evenly leave, on average, half of the spread outside what they span,
    and their span often falls far short of it; widened by the span, a port that varies as OLD
    does stays inside, the more so once the confirmation has learned from nine runs, and a
    value several spans away is a difference."""
    return max(high - low, 1)


# A word of a line that varies as a whole between runs (a random token, a hex digest); a
# placeholder of normalisation or masking (<n>, <child>, <cwd>...) is not one.
_WORD = re.compile(r"<[^<>]*>|[A-Za-z0-9]+")
_HEX = frozenset("0123456789abcdefABCDEF")
_CLASSES = (("digits", str.isdigit), ("letters", str.isalpha),
            ("hex digits", lambda w: all(c in _HEX for c in w)),
            ("letters and digits", str.isalnum))


def _words(line: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the text around the words, the words) of a line."""
    seps, words, at = [], [], 0
    for m in _WORD.finditer(line):
        if m[0].startswith("<"):
            continue
        seps.append(line[at:m.start()])
        words.append(m[0])
        at = m.end()
    seps.append(line[at:])
    return tuple(seps), tuple(words)


def _class(words) -> str:
    """The narrowest class that every one of `words` is in."""
    return next(name for name, test in _CLASSES if all(test(w) for w in words))


@dataclass(frozen=True)
class _Template:
    """Lines of OLD alike but for whole words that vary between runs: each such word is a
    class of characters and a span of lengths, and the line is shown as '<20 letters>'."""

    seps: tuple[str, ...]
    words: tuple[str | tuple[str, int, int], ...]  # a word, or (class, shortest, longest)

    @classmethod
    def of(cls, lines: list[str]) -> _Template:
        split = [_words(line) for line in lines]
        words = []
        for seen in zip(*(w for _, w in split), strict=True):
            if len(set(seen)) == 1:
                words.append(seen[0])
            else:
                lengths = [len(w) for w in seen]
                words.append((_class(seen), min(lengths), max(lengths)))
        return cls(split[0][0], tuple(words))

    def matches(self, line: str) -> bool:
        seps, words = _words(line)
        if seps != self.seps or len(words) != len(self.words):
            return False
        for word, want in zip(words, self.words, strict=True):
            if isinstance(want, str):
                if word != want:
                    return False
            elif not (want[1] <= len(word) <= want[2] and _fits(word, want[0])):
                return False
        return True

    @property
    def text(self) -> str:
        out = [self.seps[0]]
        for want, sep in zip(self.words, self.seps[1:], strict=True):
            if isinstance(want, str):
                out.append(want)
            else:
                size = f"{want[1]}" if want[1] == want[2] else f"{want[1]} to {want[2]}"
                out.append(f"<{size} {want[0]}>")
            out.append(sep)
        return "".join(out)


def _fits(word: str, name: str) -> bool:
    return dict(_CLASSES)[name](word)


class _Masks:
    """Per shape of line (its text around numbers and roles), the places whose values vary
    between runs, and what they may be (_Values); then, of the lines whose count still varies
    between runs, those alike but for whole words, as a _Template each."""

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
        self.noisy: dict[tuple, dict[int, _Values]] = {}
        self.example = {_shape(line): line for lines in reversed(runs) for line in lines}
        for shape in {s for seen in per_run for s in seen}:
            present = [seen[shape] for seen in per_run if shape in seen]
            places = {k: _Values.of({v for p in present for v in p[k]})
                      for k in range(len(present[0]))
                      if any(p[k] != present[0][k] for p in present[1:])}
            if places:
                self.noisy[shape] = places
        self.templates: dict[str, _Template] = {}  # a line of OLD -> its template
        masked = [[self._numbers(line) for line in lines] for lines in runs]
        counted = [Counter(lines) for lines in masked]
        unsteady = sorted({line for c in counted for line in c
                           if len({c2[line] for c2 in counted}) > 1})
        alike: dict[tuple, list[str]] = {}
        for line in unsteady:
            seps, words = _words(line)
            alike.setdefault((seps, len(words)), []).append(line)
        for group in alike.values():
            if len(group) > 1:
                template = _Template.of(group)
                self.templates.update(dict.fromkeys(group, template))
        self.known = {line for lines in masked for line in lines} - set(self.templates)
        self.by_words: dict[tuple, list[_Template]] = {}
        for template in dict.fromkeys(self.templates.values()):
            self.by_words.setdefault((template.seps, len(template.words)), []).append(template)

    def _numbers(self, line: str) -> str:
        places = self.noisy.get(_shape(line))
        if not places:
            return _CHILD.sub("<child>", line)
        values = iter(range(len(_VARIABLE.findall(line))))

        def mask(m: re.Match) -> str:
            k = next(values)
            if k not in places or not places[k].allows(m[0]):
                return m[0]
            return "<child>" if m[0].startswith("<child") else "<n>"

        return _CHILD.sub("<child>", _VARIABLE.sub(mask, line))

    def about(self, line: str) -> str:
        """`line` with each place whose values vary between OLD's runs masked, whatever its
        value: a port's line that shows another value there is about OLD's line."""
        places = self.noisy.get(_shape(line), {})
        values = iter(range(len(_VARIABLE.findall(line))))

        def mask(m: re.Match) -> str:
            return "<n>" if next(values) in places and not m[0].startswith("<child") else m[0]

        masked = _CHILD.sub("<child>", _VARIABLE.sub(mask, line))
        if masked in self.templates:
            return self.templates[masked].text
        seps, words = _words(masked)
        for template in self.by_words.get((seps, len(words)), ()):
            if template.matches(masked):
                return template.text
        return masked

    def valued(self, line: str) -> bool:
        """Whether OLD's values vary at a place of `line`, a role (which child) aside."""
        return any(v.kind != "child" for v in self.noisy.get(_shape(line), {}).values())

    def apply(self, line: str) -> str:
        line = self._numbers(line)
        if line in self.templates:
            return self.templates[line].text
        if line not in self.known:
            seps, words = _words(line)
            for template in self.by_words.get((seps, len(words)), ()):
                if template.matches(line):
                    return template.text
        return line


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
    cut: bool = False  # the harness cut this stream in a run: lines may be missing from it
    # Per run, the lines each thread of each process wrote (Observation.by_process).
    by_process: list[list[list[str]] | None] | None = None
    masks: _Masks = field(init=False)
    first_run: list[str] = field(init=False)  # masked
    counts: dict[str, tuple[int, int]] = field(init=False)
    before: set[tuple] = field(init=False)  # (A, B): A came before B in every run
    varied: int = field(init=False)  # pairs of lines whose order varied
    racing: set[tuple] = field(init=False)  # the lines of those pairs
    valued: set[str] = field(init=False)  # masked lines whose values vary (_Masks.valued)
    written: set[tuple] = field(init=False)  # (A, B): one thread wrote A before B (_program_orders)
    written_varied: int = field(init=False)  # pairs one thread wrote in either order

    def __post_init__(self) -> None:
        self.masks = _Masks(self.runs)
        masked = [[self.masks.apply(line) for line in lines] for lines in self.runs]
        templates = {t.text for t in self.masks.templates.values()}
        self.valued = {m for lines, masked_lines in zip(self.runs, masked, strict=True)
                       for line, m in zip(lines, masked_lines, strict=True)
                       if m in templates or self.masks.valued(line)}
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
        by_process = self.by_process or []
        if by_process and all(run is not None for run in by_process):
            self.written, self.written_varied = _program_orders(
                [[self.mask(lines) for lines in run] for run in by_process])
        else:  # a run without a record of its processes says nothing of their orders
            self.written, self.written_varied = set(), 0
        # A pair one process wrote in one order is held by program order, not noise.
        in_order = {(a[0], b[0]) for a, b in self.written}
        self.before, self.varied, self.racing = set(), 0, set()
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if all(o[a] < o[b] for o in orders):
                    if all(w is None or _apart(w[0][a], w[0][b], w[1], self.terminal)
                           for w in written):
                        self.before.add((a, b))
                        continue
                elif all(o[a] > o[b] for o in orders):
                    continue
                if (a[0], b[0]) not in in_order and (b[0], a[0]) not in in_order:
                    self.varied += 1
                    self.racing.update((a, b))

    def mask(self, lines: list[str]) -> list[str]:
        return [self.masks.apply(line) for line in lines]

    def noise(self) -> list[str]:
        said = []
        for shape, places in sorted(self.masks.noisy.items()):
            example = self.masks.apply(self.masks.example[shape])
            if all(v.kind == "child" for v in places.values()):
                said.append(f"{self.name}: which child wrote it varies: {example!r}")
                continue
            kinds = "; ".join(f"<n>: {v.says()}" if len(places) == 1 else
                              f"<n> {n}: {v.says()}"
                              for n, v in enumerate(places.values(), 1) if v.kind != "child")
            said.append(f"{self.name}: values that vary at the same place: {example!r} "
                        f"({kinds})")
        templates = {t.text for t in self.masks.templates.values()}
        for line, (low, high) in sorted(self.counts.items()):
            if line in templates:
                times = f"{low} to {high} times" if low != high else f"{low} time(s)"
                said.append(f"{self.name}: words that vary at the same place: a line matching "
                            f"{line!r} appears {times}")
            elif low != high:
                said.append(f"{self.name}: {line!r} appears {low} to {high} times")
        if self.varied:
            race = (f"they came less than {ORDER_GAP} s apart while other processes ran"
                    if self.terminal else "other processes were alive while they were written")
            said.append(f"{self.name}: the order of {self.varied} pair(s) of lines varies, or "
                        f"may be a race: {race}")
        if self.written:
            said.append(f"{self.name}: program order: {len(self.written)} pair(s) of lines that "
                        "one process wrote are held to the order it wrote them in, whatever "
                        "other processes did")
        if self.written_varied:
            said.append(f"{self.name}: the order in which one process wrote "
                        f"{self.written_varied} pair(s) of lines varies between runs")
        return said

    def differences(self, lines: list[str], cut: bool = False,
                    by_process: list[list[str]] | None = None) -> list[Difference]:
        """What `lines` do that no run did; a line missing where NEW's stream was `cut`, or
        added where a run of OLD's was, may be in what the harness left out, and is none; a
        pair of lines one thread of `by_process` wrote in an order no thread of OLD did."""
        raw = lines
        lines = self.mask(lines)
        about = {}  # a masked line of NEW's -> the line of OLD's it is about
        for line, masked in zip(raw, lines, strict=True):
            about.setdefault(masked, self.masks.about(line))

        def counted(line: str) -> bool:  # its count varies between runs
            low, high = self.counts.get(line, (0, 0))
            return low != high

        def said(kind: str, text: str, line: str, varies: bool, shown=()) -> Difference:
            return Difference(kind, text, shown, f"{self.name}: {line!r}", varies)
        have = Counter(lines)
        missing, extra = Counter(), Counter()
        for line in sorted(set(have) | set(self.counts), key=_first_in(lines, self.first_run)):
            low, high = self.counts.get(line, (0, 0))
            if low > have[line] and not cut:
                missing[line] = low - have[line]
            if have[line] > high and not self.cut:
                extra[line] = have[line] - high
        found = []
        # Each distinct line once, with how many times: a line repeated 70 times is one
        # difference, and pairing stays quick.
        for old, new in _pair(list(missing), list(extra)):
            if old is not None and new is not None:
                n = min(missing[old], extra[new])
                # Another value where OLD's values vary, or a line whose count varies.
                varies = counted(old) or (old in self.valued and about[new] == old)
                found.append(said("changed", f"{self.name} line changed: {old!r} is now "
                                  f"{new!r}{_times(n)}", old, varies, (f"- {old}", f"+ {new}")))
                missing[old] -= n
                extra[new] -= n
            if old is not None and missing[old]:
                found.append(said("missing", f"{self.name} line missing: {old!r}"
                                  f"{_times(missing[old])}", old, counted(old)))
            if new is not None and extra[new]:
                found.append(said("extra", f"{self.name} line added: {new!r}"
                                  f"{_times(extra[new])}", about[new], counted(about[new])))
        # A pair one thread of NEW wrote in another order is said as that process's order (a
        # kind OLD never varies in: program order holds no pair any run of OLD wrote both ways);
        # the stream's order says the rest (lines no record holds, of processes that raced).
        within = self._program_order_breaks(by_process)
        told = {(a[0], b[0]) for broken in within for _, _, a, b in broken}
        order = {identity: n for n, identity in enumerate(_identities(lines))}
        broken = sorted(((order[b], order[a], a, b) for a, b in self.before
                         if a in order and b in order and order[b] < order[a]
                         and (a[0], b[0]) not in told))
        racing = [a in self.racing or b in self.racing for _, _, a, b in broken]
        for (_, _, a, b), varies in zip(broken[:DIFFERENCES_SHOWN], racing, strict=False):
            found.append(Difference("order", f"{self.name}: {b[0]!r} now comes before "
                                    f"{a[0]!r}", (f"- {a[0]}", f"+ {b[0]}"),
                                    f"{self.name}: {a} before {b}", varies))
        if len(broken) > DIFFERENCES_SHOWN:
            more = len(broken) - DIFFERENCES_SHOWN
            found.append(Difference("order", f"{self.name}: and {more} more pair(s) of lines in "
                                    "another order", (), f"{self.name}: more orders",
                                    all(racing[DIFFERENCES_SHOWN:])))
        for broken in within[:DIFFERENCES_SHOWN]:
            _, _, a, b = broken[0]
            more = (f", and {len(broken) - 1} more pair(s) of its lines in another order"
                    if len(broken) > 1 else "")
            found.append(Difference("order", f"{self.name}: within one process, {b[0]!r} now "
                                    f"comes before {a[0]!r}{more}", (f"- {a[0]}", f"+ {b[0]}"),
                                    f"{self.name}: within one process, {a} before {b}"))
        if len(within) > DIFFERENCES_SHOWN:
            found.append(Difference("order", f"{self.name}: and {len(within) - DIFFERENCES_SHOWN} "
                                    "more process(es) that wrote lines in another order", (),
                                    f"{self.name}: more orders within one process"))
        return found

    def _program_order_breaks(self, by_process: list[list[str]] | None) -> list[list[tuple]]:
        """Of each thread of `by_process` that wrote a pair of lines in the order no thread
        wrote them in any run of OLD, those pairs, (n, -m, a, b) each: OLD wrote a before b,
        this thread wrote b (its n-th line) before a (its m-th); first, the line that came
        earliest, before the one that moved furthest."""
        found = []
        for lines in by_process or []:
            ids = _identities(self.mask(lines))[:ORDER_LINES]
            broken = sorted((n, -m, a, b) for m, a in enumerate(ids) for n, b in enumerate(ids[:m])
                            if (a, b) in self.written)
            if broken:
                found.append(broken)
        return found


def _program_orders(runs: list[list[list[str]]]) -> tuple[set[tuple], int]:
    """(the pairs (A, B) of lines that one thread wrote, A first, in some run, and none wrote B
    first in any, of lines never written in either order with another line; how many pairs
    were written in either order). `runs` holds, per run, the
    masked lines of each thread; a line is (its text, how many times the thread wrote it
    before), among its first ORDER_LINES."""
    seen: set[tuple] = set()
    for run in runs:
        for lines in run:
            ids = _identities(lines)[:ORDER_LINES]
            seen.update((a, b) for m, b in enumerate(ids) for a in ids[:m] if a[0] != b[0])
    held = {(a, b) for a, b in seen if (b, a) not in seen}
    # A line written before another in some runs and after it in others came where a race put
    # it (results printed as they arrive): it is held to no order, lest runs agree by luck.
    raced = {line for pair in seen - held for line in pair}
    return ({(a, b) for a, b in held if a not in raced and b not in raced},
            (len(seen) - len(held)) // 2)


def _times(n: int) -> str:
    return f", {n} times" if n > 1 else ""


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
                              [o.others for o in runs], terminal,
                              by_process=[o.by_process for o in runs])
        self.stdout.cut = any("stdout" in o.cut for o in runs)
        self.stderr = _Stream("stderr", [o.stderr for o in runs],
                              cut=any("stderr" in o.cut for o in runs))
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
        found = (self.stdout.differences(new.stdout, "stdout" in new.cut, new.by_process)
                 + self.stderr.differences(new.stderr, "stderr" in new.cut))
        if new.ending not in self.endings:
            found.append(Difference("ending", f"ends with {new.ending}, not "
                                    f"{' or '.join(sorted(self.endings))}", (), "ending",
                                    len(self.endings) > 1 and new.ending != TIMED_OUT))
        if new.exception not in self.exceptions:
            old = " or ".join(sorted(e or "none" for e in self.exceptions))
            found.append(Difference("exception", f"uncaught exception {new.exception or 'none'}"
                                    f", not {old}", (f"- {old}", f"+ {new.exception}"),
                                    "exception", len(self.exceptions) > 1))
        if tuple(sorted(new.files.items())) not in self.files:
            found += self._file_differences(new)
        if new.leaked and len(new.leaked) not in self.leaked:  # as OLD's runs did not leave
            found.append(Difference("leaked", leak(new.leaked, new.survived), (), "processes left",
                                    len(self.leaked) > 1))
        if new.shm_left and len(new.shm_left) not in self.shm_left:
            found.append(Difference("leaked", shm_leak(new.shm_left), (), "/dev/shm left",
                                    len(self.shm_left) > 1))
        return found

    def _file_differences(self, new: Observation) -> list[Difference]:
        old = self.runs[0]
        varies = len(self.files) > 1
        found = []
        for name in sorted(set(old.files) | set(new.files)):
            was, now = old.files.get(name), new.files.get(name)
            if was == now:
                continue
            path = excerpt(name, quoted=False)  # a name may be of any length
            if was is None:
                what = "deleted" if now == "deleted" else "created"
                found.append(Difference("file", f"file {path} is {what} by NEW only", (),
                                        f"file {path}", varies))
            elif now is None:
                found.append(Difference("file", f"file {path} is no longer "
                                        f"{'deleted' if was == 'deleted' else 'written'}", (),
                                        f"file {path}", varies))
            else:
                diff = difflib.unified_diff(
                    _text(old.heads.get(name, b"")), _text(new.heads.get(name, b"")),
                    "OLD", "NEW", lineterm="", n=0)
                found.append(Difference("file", f"file {path} has other contents",
                                        tuple(list(diff)[2:2 + 2 * DIFFERENCES_SHOWN]),
                                        f"file {path}", varies))
        return found


def _text(data: bytes) -> list[str]:
    return [repr(line)[2:-1] for line in data.splitlines(keepends=True)]

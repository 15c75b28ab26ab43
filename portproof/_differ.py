"""diff's comparison: does a Python 3 port (NEW) behave like its Python 2 original (OLD)?

OLD runs `baseline_runs` times per mode; what varies between those runs is noise
(_noise.Model). NEW runs in every cell (a Python 3 and a start method) and mode, and each run
is compared, after _normalise's rules and _observe's reading, with what OLD did.

Invariant: never a DIFF by luck where OLD's own runs vary. When any run of NEW differs, OLD
runs CONFIRM_OLD times its baseline in all and the model is learned again, and each cell that
still differs runs CONFIRM_NEW times more. OLD's runs in a mode stop early there, once they teach
the model nothing that could change a verdict: once the model learned from the runs made so far
explains every run of NEW in that mode (none differs). A model only widens as runs are added, so
the runs not made could not make a run of NEW differ, and no more runs of NEW are made in that
mode: the verdict is the one all the runs would give. Noise that shows only in OLD's later runs
still gets them, as long as a run of NEW is not explained. (Not when a cell hung: its runs left
out are made after OLD's, and would be judged with fewer of them.)

Then, per cell and mode, each difference is judged on all its runs by whether OLD's runs vary
in what it is about (_noise.Difference.varies, decided from the Model: a line whose count
varies between OLD's runs; a line changed at a place whose
values vary between them into that line with another value there; an order of two lines one of
which races another line in them; the ending, uncaught exception, files or what is left behind,
where these vary between them):
- of a kind OLD's runs never vary in, a difference shown in every run of the cell stands (it is
  "firm"): OLD, in all its runs, never did it, and NEW did it every time;
- any other is settled first (of a kind OLD's runs vary in, or of a kind they never vary in
  that NEW showed in some runs only: a run now and then is not evidence enough, since a loaded
  machine can make one run of either side do what it never does): OLD runs SETTLE_OLD times
  its baseline in all in that mode, the model is learned again, and the cell runs SETTLE_NEW
  times in all in that mode. Then, shown in every one of those runs, it is a difference (a real
  porting difference shows every time); in none, none; in some only, the cell is "unstable",
  reported with what showed and in how many of how many runs (Unsettled), never a DIFF.
A cell differs where a difference stands in any mode, else is unstable where one is unsettled,
else is the same. A cell where a firm difference stands is not settled (no run could change its
verdict), and only the firm differences are said of it. Runs are
bounded: at most SETTLE_OLD times the baseline of OLD per mode, and SETTLE_NEW (or --runs and
CONFIRM_NEW more, if more) per cell and mode.

A run of NEW that timed out where no run of OLD did is the exception: a hang stands on one run
(a port that hangs now and then is broken), so no more runs can make its cell the same, and the
cell is not run again, in any mode; its runs not yet started are left out, and one still
going is stopped. Should OLD time out too in its runs again, the hang no longer stands and the
runs left out are made after all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from portproof import _terminal, timeouts
from portproof._interpreters import Interpreter
from portproof._noise import Difference, Model, is_hang
from portproof._observe import TIMED_OUT, Observation, observe
from portproof._run import RunOptions

# OLD's runs per mode, in all, once any run of NEW differs: 3 baseline runs become 9.
CONFIRM_OLD = 3
# More runs of a cell and mode that differ.
CONFIRM_NEW = 2
# Where a difference of a kind OLD's runs vary in shows: OLD's runs in that mode, in all (3
# baseline runs become 18), and the cell's runs in that mode, in all. A race that shows in one
# run in four shows in all eight with a chance of 1 in 65,000, and in none of them of 1 in 10.
SETTLE_OLD = 6
SETTLE_NEW = 8


@dataclass(frozen=True)
class DiffCell:
    """Where NEW runs: an interpreter and a start method."""

    python: Interpreter
    start_method: str


@dataclass(frozen=True)
class TimedOut:
    """The run of NEW that timed out where no run of OLD did, after which its cell was not run
    again: its mode, and what was running then, each process with its stack (Trace.hung)."""

    mode: str
    stacks: tuple[str, ...]


@dataclass(frozen=True)
class Unsettled:
    """A difference that a cell showed in some of its runs in a mode only, once settled: the
    first shown, and in how many of how many runs (whether OLD's runs vary in what it is about
    is `difference.varies`)."""

    difference: Difference
    shown: int
    runs: int


@dataclass
class CellResult:
    cell: DiffCell
    differences: dict[str, list[Difference]] = field(default_factory=dict)  # mode -> found
    runs: dict[str, int] = field(default_factory=dict)  # mode -> runs made
    warnings: set[str] = field(default_factory=set)
    timed_out: TimedOut | None = None
    unstable: dict[str, list[Unsettled]] = field(default_factory=dict)  # mode -> unsettled

    @property
    def verdict(self) -> str:
        """"differs", else "unstable", else "same" (the module's docstring)."""
        if any(self.differences.values()):
            return "differs"
        return "unstable" if any(self.unstable.values()) else "same"

    @property
    def same(self) -> bool:
        return self.verdict == "same"


@dataclass
class DiffReport:
    old: str
    new: str
    old_python: Interpreter
    modes: tuple[str, ...]
    time_scale: float
    baseline: dict[str, list[Observation]]
    models: dict[str, Model]
    cells: list[CellResult]
    rules: set[str]
    containment: str
    timeout: float = timeouts.RUN  # of OLD's runs
    new_timeout: float = timeouts.RUN  # of NEW's runs
    slowest_old: float | None = None  # what NEW's limit was learned from; None: --timeout

    @property
    def verdict(self) -> str:
        """"differs" if a cell does, else "unstable" if a cell is, else "same"."""
        verdicts = {c.verdict for c in self.cells}
        return next((v for v in ("differs", "unstable") if v in verdicts), "same")

    @property
    def same(self) -> bool:
        return self.verdict == "same"


@dataclass(frozen=True)
class DiffSettings:
    """What a diff compares and how, built once from the command line: OLD's runs on
    `old_python`, NEW's on each cell, every run with `options`."""

    old: str
    new: str
    old_python: Interpreter
    cells: tuple[DiffCell, ...]
    modes: tuple[str, ...]
    options: RunOptions = RunOptions()
    runs: int = 1
    baseline_runs: int = 3
    ignore: tuple[re.Pattern, ...] = ()
    strict: bool = False
    new_timeout: float | None = None  # NEW's limit; None: learned from OLD's runs (new_limit)


@dataclass
class SoFar:
    """What a diff has at any moment, for a report of a stopped one: OLD's models once learned
    (mode -> Model) and NEW's runs observed ((cell, mode, n) -> Observation)."""

    models: dict[str, Model] = field(default_factory=dict)
    new: dict[tuple, Observation] = field(default_factory=dict)

    def judged(self, settings: DiffSettings) -> dict[DiffCell, bool]:
        """The cells whose first runs are all made, each with whether one differed; a cell
        none of whose first runs differed is the same, whatever runs follow (more runs of OLD
        only widen what is noise)."""
        if set(self.models) != set(settings.modes):
            return {}
        keys = {cell: [(cell, mode, n) for n in range(settings.runs) for mode in settings.modes]
                for cell in settings.cells}
        return {cell: any(self.models[k[1]].differences(self.new[k]) for k in made)
                for cell, made in keys.items() if all(k in self.new for k in made)}


def compare_with_old(settings: DiffSettings, runs, bar: _terminal.Bar | None = None,
                     so_far: SoFar | None = None) -> DiffReport:
    """Compare NEW with OLD as `settings` say; `runs(calls, skip, ended)` makes the runs,
    yielding (key, trace) as each ends, calling `ended(key, trace)` as soon as one ends, before
    the next starts, and leaving out a run whose key `skip` names when its turn comes or while
    it goes; `bar` shows which step it is at and how many cells differ so far; `so_far` keeps
    what it has as it goes."""
    bar = bar or _terminal.Bar()
    so_far = so_far or SoFar()
    options = settings.options
    rules: set[str] = set()
    hung: dict[DiffCell, TimedOut] = {}  # the cells not run again

    def observed(made, each=lambda key, observation: None) -> dict:
        found = {}
        for key, trace in made:
            found[key] = observe(trace, settings.ignore, settings.strict)
            rules.update(found[key].fired)
            each(key, found[key])
        return found

    def old_runs(first: int, last: int, modes=settings.modes, until_explained=False) -> dict:
        explained: set[str] = set()  # the modes left out (until_explained)

        def learned(key, observation) -> None:
            baseline[key] = observation
            mode = key[0]
            models[mode] = _learn(baseline, (mode,))[mode]
            if not any(models[mode].differences(o) for (_, m, _), o in new.items() if m == mode):
                explained.add(mode)

        made = runs({(mode, n): (settings.old_python, settings.old, "fork", mode, options)
                     for mode in modes for n in range(first, last)},
                    lambda key: key[0] in explained)
        return observed(made, learned) if until_explained else observed(made)

    def new_runs(keys) -> dict:
        def ended(key, trace) -> None:
            cell, mode, _ = key
            if trace.timeout is not None and TIMED_OUT not in models[mode].endings:
                hung.setdefault(cell, TimedOut(mode, tuple(trace.hung)))

        return observed(runs({(cell, mode, n): (cell.python, settings.new, cell.start_method,
                                                mode, new_options) for cell, mode, n in keys},
                             lambda key: key[0] in hung, ended), so_far.new.__setitem__)

    bar.describe("OLD, to learn its noise")
    baseline = old_runs(0, settings.baseline_runs)
    models = so_far.models = _learn(baseline, settings.modes)
    slowest = None if settings.new_timeout else max(o.wall for o in baseline.values())
    new_options = replace(options, timeout=settings.new_timeout or new_limit(slowest, options))
    bar.describe("NEW, each cell")
    # Each cell's first run before any cell's second: runs that go at once are of different
    # cells, so a cell that hangs leaves its other runs out before they start.
    new = new_runs((cell, mode, n) for n in range(settings.runs) for mode in settings.modes
                   for cell in settings.cells)
    differing = {k for k, o in new.items() if models[k[1]].differences(o)}
    bar.failing(len({cell for cell, _, _ in differing}))
    if differing:
        bar.describe("OLD again, as NEW differed")
        bar.add(len(settings.modes) * settings.baseline_runs * (CONFIRM_OLD - 1))
        # Stopped in a mode once they explain every run of NEW in it, unless a cell hung (its
        # runs left out would be made after them, and judged with fewer of OLD's).
        baseline.update(old_runs(settings.baseline_runs, settings.baseline_runs * CONFIRM_OLD,
                                 until_explained=not hung))
        models.update(_learn(baseline, settings.modes))
        for cell, timed_out in list(hung.items()):
            if TIMED_OUT in models[timed_out.mode].endings:  # OLD hangs too: no difference
                del hung[cell]
        left_out = [(cell, mode, n) for n in range(settings.runs) for mode in settings.modes
                    for cell in settings.cells if (cell, mode, n) not in new and cell not in hung]
        if left_out:
            bar.add(len(left_out))
            made = new_runs(left_out)
            new.update(made)
            differing.update(k for k, o in made.items() if models[k[1]].differences(o))
        again = {(cell, mode) for cell, mode, n in differing
                 if cell not in hung and models[mode].differences(new[(cell, mode, n)])}
        bar.failing(len({cell for cell, _ in again} | set(hung)))
        bar.describe("NEW again, to confirm")
        bar.add(len(again) * CONFIRM_NEW)
        new.update(new_runs((cell, mode, settings.runs + n) for n in range(CONFIRM_NEW)
                            for mode in settings.modes for cell in settings.cells
                            if (cell, mode) in again))
        # A difference of a kind OLD's runs vary in, in a cell where none of a kind they never
        # vary in stands: OLD and the cell run more, so that it shows in every run or in some
        # only.
        judged = {(cell, mode): _judged(models[mode], runs_of(new, cell, mode))
                  for cell in settings.cells for mode in settings.modes if cell not in hung}
        firm = {cell for (cell, _), j in judged.items() if j.firm}
        unsettled = [(cell, mode) for (cell, mode), j in judged.items()
                     if j.unsettled and cell not in firm]
        if unsettled:
            modes = tuple(m for m in settings.modes if m in {mode for _, mode in unsettled})
            bar.describe("OLD again, to settle")
            made = settings.baseline_runs * CONFIRM_OLD
            bar.add(len(modes) * settings.baseline_runs * SETTLE_OLD - len(modes) * made)
            baseline.update(old_runs(made, settings.baseline_runs * SETTLE_OLD, modes))
            models.update(_learn(baseline, modes))
            for cell, timed_out in list(hung.items()):
                if TIMED_OUT in models[timed_out.mode].endings:
                    del hung[cell]
            bar.describe("NEW again, to settle")
            # Each cell's next run before any cell's one after, as above.
            more = sorted(((cell, mode, n) for cell, mode in unsettled
                           for n in range(len(runs_of(new, cell, mode)),
                                          max(SETTLE_NEW, settings.runs + CONFIRM_NEW))),
                          key=lambda key: (key[2], settings.modes.index(key[1])))
            bar.add(len(more))
            new.update(new_runs(more))
    cells = []
    for cell in settings.cells:
        result = CellResult(cell, timed_out=hung.get(cell))
        judged = {mode: _judged(models[mode], runs_of(new, cell, mode))
                  for mode in settings.modes}
        firm = any(j.firm for j in judged.values())
        for mode, j in judged.items():
            observations = runs_of(new, cell, mode)
            result.runs[mode] = len(observations)
            # A cell that differs was not settled: only what stands on one run is said.
            result.differences[mode] = j.firm if firm else j.differences
            result.unstable[mode] = [] if firm else j.unstable
            for o in observations:
                result.warnings.update(w for w in o.warnings if w not in models[mode].warnings)
        cells.append(result)
    bar.failing(sum(not c.same for c in cells))
    return DiffReport(settings.old, settings.new, settings.old_python, settings.modes,
                      options.time_scale,
                      {m: [o for (mode, _), o in baseline.items() if mode == m]
                       for m in settings.modes}, models, cells, rules,
                      str(options.containment or ""), options.timeout, new_options.timeout,
                      slowest)


def new_limit(slowest: float, options: RunOptions) -> float:
    """NEW's limit, from the slowest of OLD's runs: timeouts.NEW_LIMIT_FACTOR times it, at
    least NEW_LIMIT_FLOOR, at most OLD's limit."""
    return min(max(timeouts.NEW_LIMIT_FLOOR, timeouts.NEW_LIMIT_FACTOR * slowest),
               options.timeout)


def _learn(baseline: dict, modes) -> dict[str, Model]:
    return {mode: Model([o for (m, _), o in baseline.items() if m == mode]) for mode in modes}


def runs_of(new: dict, cell: DiffCell, mode: str) -> list[Observation]:
    """The runs made of `cell` in `mode`, in the order made."""
    return [o for (c, m, _), o in new.items() if c == cell and m == mode]


class _Judged(NamedTuple):
    differences: list[Difference]  # what stands, once settled, in the order first seen
    unstable: list[Unsettled]
    firm: list[Difference]  # a hang, or of a kind OLD never varies in and shown in every run
    unsettled: bool  # a difference shows that more runs may settle


def _judged(model: Model, observations: list[Observation]) -> _Judged:
    """The runs of a cell in a mode judged (the module's docstring): a hang stands on any run;
    any other difference (the same `about` whatever value a run showed) stands if every run
    shows it, and is unstable if some do. A difference of a kind OLD never varies in that every
    run shows is firm; any other that shows needs settling."""
    shown: dict[object, list] = {}  # about -> [the first difference shown, runs showing it]
    for found in (model.differences(o) for o in observations):
        seen = set()
        for d in found:
            about = d.about or d.text if d.varies else d
            if about not in seen:
                seen.add(about)
                shown.setdefault(about, [d, 0])[1] += 1
    n = len(observations)
    # A hang stands on one run (a port that hangs now and then is broken): it is never settled.
    firm = [d for d, k in shown.values() if is_hang(d) or (k == n and not d.varies)]
    return _Judged([d for d, k in shown.values() if k == n or is_hang(d)],
                   [Unsettled(d, k, n) for d, k in shown.values() if k < n and not is_hang(d)],
                   firm, any(d.varies or k < n for d, k in shown.values() if not is_hang(d)))

"""diff's comparison: does a Python 3 port (NEW) behave like its Python 2 original (OLD)?

OLD runs `baseline_runs` times per mode; what varies between those runs is noise
(_noise.Model). NEW runs in every cell (a Python 3 and a start method) and mode, and each run
is compared, after _normalise's rules and _observe's reading, with what OLD did.

Invariant: a difference stands only if it is not luck. When any run of NEW differs, OLD runs
CONFIRM_OLD times its baseline in all and the model is learned again; each cell that still
differs runs CONFIRM_NEW times more, and a difference stands only where most of that cell's
runs in that mode show it. Real porting differences show every time; races now and then.

A run of NEW that timed out where no run of OLD did is the exception: a hang stands on one run
(a port that hangs now and then is broken), so no more runs can make its cell the same, and the
cell is not run again, in any mode; its runs not yet started are left out, and one still
going is stopped. Should OLD time out too in its runs again, the hang no longer stands and the
runs left out are made after all.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from portproof import _terminal, timeouts
from portproof._interpreters import Interpreter
from portproof._noise import Difference, Model, is_hang
from portproof._observe import TIMED_OUT, Observation, observe
from portproof._run import RunOptions

# OLD's runs per mode, in all, once any run of NEW differs: 3 baseline runs become 9.
CONFIRM_OLD = 3
# More runs of a cell and mode that differ; a difference stands in most of its runs.
CONFIRM_NEW = 2


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


@dataclass
class CellResult:
    cell: DiffCell
    differences: dict[str, list[Difference]] = field(default_factory=dict)  # mode -> found
    runs: dict[str, int] = field(default_factory=dict)  # mode -> runs made
    warnings: set[str] = field(default_factory=set)
    timed_out: TimedOut | None = None

    @property
    def same(self) -> bool:
        return not any(self.differences.values())


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
    def same(self) -> bool:
        return all(c.same for c in self.cells)


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


def compare_with_old(settings: DiffSettings, runs, bar: _terminal.Bar | None = None) -> DiffReport:
    """Compare NEW with OLD as `settings` say; `runs(calls, skip, ended)` makes the runs,
    yielding (key, trace) as each ends, calling `ended(key, trace)` as soon as one ends, before
    the next starts, and leaving out a run whose key `skip` names when its turn comes or while
    it goes; `bar` shows which step it is at and how many cells differ so far."""
    bar = bar or _terminal.Bar()
    options = settings.options
    rules: set[str] = set()
    hung: dict[DiffCell, TimedOut] = {}  # the cells not run again

    def observed(made) -> dict:
        found = {}
        for key, trace in made:
            found[key] = observe(trace, settings.ignore, settings.strict)
            rules.update(found[key].fired)
        return found

    def old_runs(first: int, last: int) -> dict:
        return observed(runs({(mode, n): (settings.old_python, settings.old, "fork", mode, options)
                              for mode in settings.modes for n in range(first, last)}))

    def new_runs(keys) -> dict:
        def ended(key, trace) -> None:
            cell, mode, _ = key
            if trace.timeout is not None and TIMED_OUT not in models[mode].endings:
                hung.setdefault(cell, TimedOut(mode, tuple(trace.hung)))

        return observed(runs({(cell, mode, n): (cell.python, settings.new, cell.start_method,
                                                mode, new_options) for cell, mode, n in keys},
                             lambda key: key[0] in hung, ended))

    bar.describe("diff OLD")
    baseline = old_runs(0, settings.baseline_runs)
    models = _learn(baseline, settings.modes)
    slowest = None if settings.new_timeout else max(o.wall for o in baseline.values())
    new_options = replace(options, timeout=settings.new_timeout or new_limit(slowest, options))
    bar.describe("diff NEW")
    # Each cell's first run before any cell's second: runs that go at once are of different
    # cells, so a cell that hangs leaves its other runs out before they start.
    new = new_runs((cell, mode, n) for n in range(settings.runs) for mode in settings.modes
                   for cell in settings.cells)
    differing = {k for k, o in new.items() if models[k[1]].differences(o)}
    bar.failing(len({cell for cell, _, _ in differing}))
    if differing:
        bar.describe("diff OLD again")
        bar.add(len(settings.modes) * settings.baseline_runs * (CONFIRM_OLD - 1))
        baseline.update(old_runs(settings.baseline_runs, settings.baseline_runs * CONFIRM_OLD))
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
        bar.describe("diff NEW again")
        bar.add(len(again) * CONFIRM_NEW)
        new.update(new_runs((cell, mode, settings.runs + n) for n in range(CONFIRM_NEW)
                            for mode in settings.modes for cell in settings.cells
                            if (cell, mode) in again))
    cells = []
    for cell in settings.cells:
        result = CellResult(cell, timed_out=hung.get(cell))
        for mode in settings.modes:
            observations = [o for (c, m, _), o in new.items() if c == cell and m == mode]
            result.runs[mode] = len(observations)
            result.differences[mode] = _standing(models[mode], observations)
            for o in observations:
                result.warnings.update(w for w in o.warnings if w not in models[mode].warnings)
        cells.append(result)
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


def _standing(model: Model, observations: list[Observation]) -> list[Difference]:
    """The differences shown by most of the runs, and a hang shown by any, in the order first
    seen."""
    found = [model.differences(o) for o in observations]
    counted = Counter(d for differences in found for d in set(differences))
    first_seen: dict[Difference, int] = {}
    for differences in found:
        for d in differences:
            first_seen.setdefault(d, len(first_seen))
    return sorted((d for d, n in counted.items() if 2 * n > len(observations) or is_hang(d)),
                  key=first_seen.get)


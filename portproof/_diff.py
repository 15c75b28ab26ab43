"""`portproof diff OLD.py NEW.py`: does a Python 3 port behave like its Python 2 original?

No spec to write: OLD runs several times on its own interpreter first (`--baseline-runs`, per
mode), and what varies between those runs is noise, learned by `_noise.Model`. Then NEW runs
on every Python 3 x start method (a cell), in a terminal and on a pipe, and each run is
compared, after `_normalise`'s rules and `_observe`'s reading, with what OLD did.

A difference must be real, not luck: an order that held in three runs of OLD by chance is the
obvious trap. So when any run of NEW shows a difference, OLD runs more (CONFIRM_OLD times its
baseline in all), and the model is learned again from every run of OLD; then each cell that
still differs runs CONFIRM_NEW times more, and a difference stands only where most of that
cell's runs in that mode show it. Real porting differences (a line lost, a changed value, an
order set by buffering) show every time; races show now and then, and are dropped.

Time: by default both run in real time. Scaling the scripts' own sleeps (`--fast`, as `check`
does) keeps runs short, but a program that mixes its own sleeps with timeouts it passes to the
library (`join(1)` on a process that sleeps 2 s, `get(timeout=...)`) then prints something it
never prints in real life, on both sides alike; `diff` runs code nobody here has read, so it
does not assume. The report's header says which was used.
"""
from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import partial

from portproof import __version__, _args, _report, _run, _terminal, timeouts
from portproof._args import UsageError
from portproof._compare import SHORT, add_jobs, print_table
from portproof._interpreters import START_METHODS, Interpreter, compile_error
from portproof._noise import Difference, Model
from portproof._observe import TIMED_OUT, Observation, observe
from portproof._stop import STOPS, results, stopped, workers

# OLD's runs per mode, in all, once any run of NEW differs: 3 baseline runs become 9.
CONFIRM_OLD = 3
# More runs of a cell and mode that differ; a difference stands in most of its runs.
CONFIRM_NEW = 2
JSON_VERSION = 1


@dataclass(frozen=True)
class Cell:
    python: Interpreter
    start_method: str

    @property
    def id(self) -> str:
        return f"{self.python.minor}-{self.start_method}"


@dataclass
class CellResult:
    cell: Cell
    differences: dict[str, list[Difference]] = field(default_factory=dict)  # mode -> found
    runs: dict[str, int] = field(default_factory=dict)  # mode -> runs made
    warnings: set[str] = field(default_factory=set)

    @property
    def same(self) -> bool:
        return not any(self.differences.values())


@dataclass
class Report:
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
    timeout: float = timeouts.RUN

    @property
    def same(self) -> bool:
        return all(c.same for c in self.cells)


def add_parser(sub, name: str = "diff") -> None:
    diff = sub.add_parser(name, help="does NEW.py, on every Python 3, behave like OLD.py on 2.7?")
    diff.add_argument("old", metavar="OLD.py", help="the Python 2 original")
    diff.add_argument("new", metavar="NEW.py", help="its Python 3 port")
    add_options(diff)
    diff.set_defaults(command=run)


def add_options(parser) -> None:
    """The options `port` shares with `diff`."""
    parser.add_argument("--old-python", metavar="PY",
                        help=f"interpreter for OLD, {_args.PYTHON} (default: the Python 2 "
                             "found)")
    parser.add_argument("--python", metavar="PY", action="append",
                        help=f"Python 3 interpreter for NEW, {_args.PYTHON}; repeatable "
                             "(default: all found)")
    _args.add_start_method(parser)
    _args.add_mode(parser)
    _args.add_runs(parser, default=1)
    parser.add_argument("--baseline-runs", type=_args.positive, default=3, metavar="N",
                        help="runs of OLD per mode to learn its noise from (default: 3)")
    parser.add_argument("--ignore", action="append", default=[], metavar="REGEX",
                        help="mask what matches in every line, repeatable")
    parser.add_argument("--workdir", metavar="DIR",
                        help="a folder copied afresh as each run's working directory "
                             "(default: an empty one)")
    parser.add_argument("--stdin", metavar="FILE", help="the scripts' stdin (default: /dev/null)")
    _args.add_reports(parser)
    time = parser.add_mutually_exclusive_group()
    time.add_argument("--fast", action="store_true",
                      help=f"scale the scripts' own sleeps x{_run.FAST} (default: real time)")
    time.add_argument("--real-time", action="store_true",
                      help="let the scripts sleep for real (the default; as check and compare "
                           "spell it)")
    parser.add_argument("--strict", action="store_true",
                        help="a warning NEW prints and OLD does not is a difference, not a note")
    _args.add_timeout(parser)
    # One per core: diff's rules about the order of lines were soaked at that load.
    add_jobs(parser, os.cpu_count() or 1)
    parser.add_argument("args", nargs="*", metavar="-- ARGS",
                        help="arguments after -- go to both scripts")


def run(args) -> int:
    return judge(args)[0]


def judge(args) -> tuple[int, Report | None]:
    """What `diff` does: its exit status and its report (None when stopped)."""
    settings = settings_from(args)
    planned = len(settings.modes) * (settings.baseline_runs + len(settings.cells) * settings.runs)
    try:
        # Inside the pool's block, as compare's: gone before the clean-up and the report.
        with workers(args.jobs) as (pool, cancel), \
                _terminal.progress("diff", planned, "runs", "cell(s) differ") as bar:
            report = diff(settings, partial(_runs, pool, cancel, bar), bar)
    except STOPS as stop:
        return stopped(stop), None
    print_report(report)
    _report.write(args, as_json(report), _report.diff_page)
    return (0 if report.same else 1), report


@dataclass(frozen=True)
class Settings:
    old: str
    new: str
    old_python: Interpreter
    cells: tuple[Cell, ...]
    modes: tuple[str, ...]
    runs: int = 1
    baseline_runs: int = 3
    ignore: tuple[re.Pattern, ...] = ()
    workdir: str | None = None
    stdin: str | None = None
    args: tuple[str, ...] = ()
    time_scale: float = 1.0
    strict: bool = False
    timeout: float = timeouts.RUN
    containment: str = "token"


def settings_from(args, check_new: bool = True) -> Settings:
    """The settings `args` ask for, or a UsageError; `port` checks them before NEW exists."""
    old = _args.script(args.old, "OLD")
    new = _args.script(args.new, "NEW") if check_new else args.new
    _report.check_paths(args)
    ignore = []
    for text in args.ignore:
        try:
            ignore.append(re.compile(text))
        except re.error as exc:
            raise UsageError(f"--ignore {text!r} is not a regular expression: {exc}") from None
    for option, path, check in (("--workdir", args.workdir, os.path.isdir),
                                ("--stdin", args.stdin, os.path.isfile)):
        if path is not None and not check(path):
            kind = "folder" if check is os.path.isdir else "file"
            raise UsageError(f"{option} {path!r} is not a {kind}")
    if args.old_python:
        old_python = _args.interpreter(args.old_python, "--old-python")
    else:
        old_python = _args.newest(2, "--old-python")
    pythons = [p for p in _args.interpreters(args.python) if p.version[0] == 3]
    if not pythons:
        raise UsageError("no Python 3 to run NEW with; name one with --python")
    if args.start_method != "all" and not any(args.start_method in p.start_methods
                                              for p in pythons):
        raise UsageError(f"no interpreter given has the start method {args.start_method!r}")
    cells = tuple(Cell(p, m) for p in pythons for m in p.start_methods
                  if args.start_method in ("all", m))
    for python, path, name in ((old_python, old, "OLD"),
                               *((p, new, "NEW") for p in pythons if check_new)):
        problem = compile_error(python, path)
        if problem:
            raise UsageError(f"{name} {path!r} is not valid Python {python.minor}: {problem}")
    return Settings(
        old=os.path.abspath(old), new=os.path.abspath(new), old_python=old_python, cells=cells,
        modes=_run.MODES if args.mode == "both" else (args.mode,), runs=args.runs,
        baseline_runs=args.baseline_runs, ignore=tuple(ignore),
        workdir=args.workdir and os.path.abspath(args.workdir),
        stdin=args.stdin and os.path.abspath(args.stdin), args=tuple(args.args),
        time_scale=_run.FAST if args.fast else 1.0, strict=args.strict, timeout=args.timeout,
        containment=_args.containment(),
    )


def _runs(pool, cancel, bar: _terminal.Bar, calls: dict) -> dict:
    """Run every `key: (python, script, start_method, mode)` of `calls` at once."""
    todo = {key: partial(_run.run, python, script, start_method=method, mode=mode,
                         cancel=cancel, **options)
            for key, (python, script, method, mode, options) in calls.items()}
    traces = {}
    for key, trace in results(pool, todo):
        traces[key] = trace
        bar.advance()
    return traces


def diff(settings: Settings, runs, bar: _terminal.Bar | None = None) -> Report:
    """Compare NEW with OLD as `settings` say; `runs(calls)` makes the runs, and `bar` shows
    which step it is at and how many cells differ so far."""
    bar = bar or _terminal.Bar()
    options = {"time_scale": settings.time_scale, "timeout": settings.timeout,
               "containment": settings.containment}
    for name in ("workdir", "stdin"):
        if getattr(settings, name):
            options[name] = getattr(settings, name)
    if settings.args:
        options["args"] = settings.args
    rules: set[str] = set()

    def observed(traces: dict) -> dict:
        found = {}
        for key, trace in traces.items():
            found[key] = observe(trace, settings.ignore, settings.strict)
            rules.update(found[key].fired)
        return found

    def old_runs(first: int, last: int) -> dict:
        return observed(runs({(mode, n): (settings.old_python, settings.old, "fork", mode, options)
                              for mode in settings.modes for n in range(first, last)}))

    def new_runs(keys) -> dict:
        return observed(runs({(cell, mode, n): (cell.python, settings.new, cell.start_method,
                                                mode, options)
                              for cell, mode, n in keys}))

    bar.describe("diff OLD")
    baseline = old_runs(0, settings.baseline_runs)
    bar.describe("diff NEW")
    new = new_runs((cell, mode, n) for cell in settings.cells for mode in settings.modes
                   for n in range(settings.runs))
    models = _learn(baseline, settings.modes)
    differing = {k for k, o in new.items() if models[k[1]].differences(o)}
    bar.failing(len({cell for cell, _, _ in differing}))
    if differing:
        bar.describe("diff OLD again")
        bar.add(len(settings.modes) * settings.baseline_runs * (CONFIRM_OLD - 1))
        baseline.update(old_runs(settings.baseline_runs, settings.baseline_runs * CONFIRM_OLD))
        models = _learn(baseline, settings.modes)
        again = {(cell, mode) for cell, mode, n in differing
                 if models[mode].differences(new[(cell, mode, n)])}
        bar.failing(len({cell for cell, _ in again}))
        bar.describe("diff NEW again")
        bar.add(len(again) * CONFIRM_NEW)
        new.update(new_runs((cell, mode, settings.runs + n) for cell, mode in again
                            for n in range(CONFIRM_NEW)))
    cells = []
    for cell in settings.cells:
        result = CellResult(cell)
        for mode in settings.modes:
            observations = [o for (c, m, _), o in new.items() if c == cell and m == mode]
            result.runs[mode] = len(observations)
            result.differences[mode] = _standing(models[mode], observations)
            for o in observations:
                result.warnings.update(w for w in o.warnings if w not in models[mode].warnings)
        cells.append(result)
    return Report(settings.old, settings.new, settings.old_python, settings.modes,
                  settings.time_scale, {m: [o for (mode, _), o in baseline.items() if mode == m]
                                        for m in settings.modes}, models, cells, rules,
                  settings.containment, settings.timeout)


def _learn(baseline: dict, modes) -> dict[str, Model]:
    return {mode: Model([o for (m, _), o in baseline.items() if m == mode]) for mode in modes}


def _standing(model: Model, observations: list[Observation]) -> list[Difference]:
    """The differences shown by most of the runs, in the order first seen."""
    found = [model.differences(o) for o in observations]
    counted = Counter(d for differences in found for d in set(differences))
    first_seen: dict[Difference, int] = {}
    for differences in found:
        for d in differences:
            first_seen.setdefault(d, len(first_seen))
    return sorted((d for d, n in counted.items() if 2 * n > len(observations)),
                  key=first_seen.get)


# -- the report -----------------------------------------------------------------------------


def print_report(report: Report) -> None:
    pythons = sorted({c.cell.python for c in report.cells}, key=lambda p: p.version)
    runs = {mode: len(obs) for mode, obs in report.baseline.items()}
    print(f"portproof diff: OLD {_rel(report.old)} on Python {report.old_python.minor} fork, "
          f"{max(runs.values())} runs per mode")
    print(f"                NEW {_rel(report.new)} on Python "
          f"{', '.join(p.minor for p in pythons)}, {_methods_text(report, pythons)}")
    print(f"                {' and '.join(report.modes)} mode; "
          f"{_report.timing(report.time_scale)}; processes held by {report.containment}")
    columns = [("NEW", c.cell.python.minor, c.cell.start_method) for c in report.cells]
    print_table(columns, {"verdict": ["same" if c.same else "DIFF" for c in report.cells]})
    noise = [f"{mode}: {s}" for mode, model in report.models.items() for s in model.noise()]
    print("noise learned from OLD's runs (not compared):" if noise else
          "noise learned from OLD's runs: none, every run printed the same")
    for sentence in noise:
        print(f"  {sentence}")
    from portproof._normalise import RULES
    fired = [rule for rule in RULES if rule.name in report.rules]
    if fired:
        print("normalised in both:")
        for rule in fired:
            print(f"  {rule.name}: {rule.says}")
    # A script that never ends (a server's loop) is "same" until the timeout: say so.
    ended = Counter(o.ending for runs in report.baseline.values() for o in runs)
    if set(ended) != {"exit status 0"}:
        said = [(f"{ending} after {report.timeout:g} s" if ending == TIMED_OUT else ending)
                + f" in {n} of {ended.total()}" for ending, n in ended.items()]
        print(f"note OLD's runs: {', '.join(said)}"
              + ("; what came before is compared" if TIMED_OUT in ended else ""))
    out = _terminal.Out()
    for where, found in _grouped(report).items():
        out.line(_terminal.word("DIFF"), f" {where}:")
        for text, lines in found:
            print(f"  {text}")
            for line in lines:
                print(f"      {line}")
    warned: dict[str, list[str]] = defaultdict(list)
    for c in report.cells:
        for w in sorted(c.warnings):
            warned[w].append(c.cell.id)
    for w, ids in warned.items():
        print(f"note {_cells_text(ids, report)}: NEW warns: {w}")
    differ = [c for c in report.cells if not c.same]
    print(f"{len(report.cells) - len(differ)} of {len(report.cells)} cells same"
          + (f", {len(differ)} differ" if differ else ""))


def _methods_text(report: Report, pythons: list[Interpreter]) -> str:
    """'each start method' when NEW ran under every one its interpreters have, else those it
    ran under (`--start-method fork`)."""
    run = {(c.cell.python, c.cell.start_method) for c in report.cells}
    if all((p, m) in run for p in pythons for m in p.start_methods):
        return "each start method"
    chosen = [m for m in START_METHODS if any(method == m for _, method in run)]
    return f"start method{'s' * (len(chosen) > 1)} {' and '.join(chosen)}"


def _grouped(report: Report) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The differences under the cells and modes that show them: each said once. Modes that
    show it in the same cells are named together, and not at all when they are every mode."""
    where: dict[tuple[str, tuple[str, ...]], dict[str, list[str]]] = {}
    for c in report.cells:
        for mode, found in c.differences.items():
            for d in found:
                where.setdefault((d.text, d.lines), defaultdict(list))[mode].append(c.cell.id)
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for key, by_mode in where.items():
        modes_of: dict[str, list[str]] = defaultdict(list)  # cells' text -> the modes
        for mode, ids in by_mode.items():
            modes_of[_cells_text(ids, report)].append(mode)
        parts = [cells if len(modes_of) == 1 and set(modes) == set(report.modes)
                 else f"{cells} ({', '.join(modes)})" for cells, modes in modes_of.items()]
        out.setdefault("; ".join(parts), []).append(key)
    return out


def first_differences(report: Report, n: int) -> tuple[str, list[str], int]:
    """Where the report's first DIFF is, the first `n` differences under it, and how many
    there are, as print_report says them."""
    where, found = next(iter(_grouped(report).items()))
    return where, [text for text, _ in found[:n]], len(found)


def _cells_text(ids: list[str], report: Report) -> str:
    if len(ids) == len(report.cells) and len(ids) > 1:
        return "every cell"
    by_python: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        minor, method = i.split("-", 1)
        by_python[minor].append(SHORT[method])
    return ", ".join(f"{minor} {'/'.join(methods)}" for minor, methods in by_python.items())


def _rel(path: str) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else path


def as_json(report: Report) -> dict:
    """The report as a documented structure (README, "diff --json")."""
    return _report.clean({
        "version": JSON_VERSION,
        "portproof": __version__,
        "old": {"script": report.old, "python": report.old_python.minor,
                "path": report.old_python.path,
                "runs": {m: len(o) for m, o in report.baseline.items()},
                "endings": {m: [r.ending for r in o] for m, o in report.baseline.items()}},
        "new": {"script": report.new},
        "timing": _report.timing(report.time_scale),
        "containment": report.containment,
        "rules": sorted(report.rules),
        "noise": {mode: model.noise() for mode, model in report.models.items()},
        "cells": [
            {"python": c.cell.python.minor, "path": c.cell.python.path,
             "start_method": c.cell.start_method, "verdict": "same" if c.same else "differs",
             "runs": c.runs,
             "differences": [{"mode": mode, "kind": d.kind, "text": d.text,
                              "lines": list(d.lines)}
                             for mode, found in c.differences.items() for d in found],
             "warnings": sorted(c.warnings)}
            for c in report.cells
        ],
        "same": report.same,
    })

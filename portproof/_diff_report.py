"""diff's report: as text on stdout, and as a documented JSON structure (docs, "diff --json")."""
from __future__ import annotations

import math
import os
import re
from collections import Counter, defaultdict

from portproof import __version__, _report, _terminal, timeouts
from portproof._differ import DiffCell, DiffReport, DiffSettings, SoFar, Unsettled
from portproof._interpreters import START_METHODS, Interpreter
from portproof._noise import Difference, is_hang
from portproof._normalise import RULES
from portproof._observe import TIMED_OUT
from portproof._groups import Group, grouped
from portproof._table import cells_text, print_table
from portproof._trace import timing

# Bumped when a field changes meaning or goes; new fields may come without a bump.
JSON_VERSION = 1
# A cell's verdict as the matrix says it.
WORDS = {"same": "same", "differs": "DIFF", "unstable": "unstable"}


def print_header(settings: DiffSettings) -> None:
    """What is compared with what, before any run: OLD's first runs per mode (its baseline)."""
    _header(settings.old, settings.new, settings.old_python, settings.baseline_runs,
            [*settings.cells], settings.modes, settings.options.time_scale,
            str(settings.options.containment or ""))


def _header(old: str, new: str, old_python: Interpreter, runs: int, cells: list[DiffCell],
            modes, time_scale: float, containment: str) -> None:
    out = _terminal.Out()
    pythons = sorted({c.python for c in cells}, key=lambda p: p.version)
    out.line(f"portproof diff: OLD {_rel(old)} on Python {old_python.minor} fork, "
             f"{runs} runs per mode")
    out.line(f"                NEW {_rel(new)} on Python "
             f"{', '.join(p.minor for p in pythons)}, {_methods_text(cells, pythons)}")
    out.line(f"                {' and '.join(modes)} mode; "
             f"{timing(time_scale)}; processes held by {containment}")


def print_report(report: DiffReport, header: bool = True, baseline_runs: int = 0) -> None:
    """The report on stdout: with `header`, what was compared with what first (else print_header
    said it before the runs, with OLD's `baseline_runs`, and a line says how many OLD made in
    all where a difference made it run more)."""
    out = _terminal.Out()
    made = {mode: len(obs) for mode, obs in report.baseline.items()}
    runs = max(made.values())
    if header:
        _header(report.old, report.new, report.old_python, runs, [c.cell for c in report.cells],
                report.modes, report.time_scale, report.containment)
    elif runs > baseline_runs:
        said = (f"{runs} runs per mode" if len(set(made.values())) == 1 else
                " and ".join(f"{n} {'runs ' if i == 0 else ''}in {mode} mode"
                             for i, (mode, n) in enumerate(made.items())))
        out.line(f"OLD ran {said} in all: a run of NEW differed, and OLD runs more before a "
                 "difference stands (fewer where its runs explain NEW's first)")
    columns = [("NEW", c.cell.python.minor, c.cell.start_method) for c in report.cells]
    print_table(columns, {"verdict": [WORDS[c.verdict] for c in report.cells]})
    noise = [f"{mode}: {s}" for mode, model in report.models.items() for s in model.noise()]
    out.line("noise learned from OLD's runs (not compared):" if noise else
             "noise learned from OLD's runs: none, every run printed the same")
    for sentence in noise:
        out.line(f"  {sentence}")
    fired = [rule for rule in RULES if rule.name in report.rules]
    if fired:
        out.line("normalised in both:")
        for rule in fired:
            out.line(f"  {rule.name}: {rule.says}")
    # A script that never ends (a server's loop) is "same" until the timeout: say so.
    ended = Counter(o.ending for runs in report.baseline.values() for o in runs)
    if set(ended) != {"exit status 0"}:
        said = [(f"{ending} after {report.timeout:g} s" if ending == TIMED_OUT else ending)
                + f" in {n} of {ended.total()}" for ending, n in ended.items()]
        out.line(f"note OLD's runs: {', '.join(said)}"
                 + ("; what came before is compared" if TIMED_OUT in ended else ""))
    for where, found in _grouped(report).items():
        out.line(_terminal.word("DIFF"), f" {where}:")
        for text, lines in found:
            out.line(f"  {text}")
            for line in lines:
                out.line(f"      {line}")
    for c in report.cells:
        if c.timed_out is not None:
            out.line(f"hung {_cells_text([c.cell], report)} ({c.timed_out.mode}): timed out after "
                     f"{report.new_timeout:g} s{_limit_text(report)}; not run again")
            for stack in c.timed_out.stacks:
                out.line(f"  {stack}")
    for c in report.cells:
        for mode, unsettled in c.unstable.items():
            if unsettled:
                out.line(_terminal.word("unstable"), f" {_cells_text([c.cell], report)} ({mode}):"
                         " shown in some runs only")
            for u in unsettled:
                out.line(f"  {_unsettled_text(u)}")
    warned: dict[str, list[DiffCell]] = defaultdict(list)
    for c in report.cells:
        for w in sorted(c.warnings):
            warned[w].append(c.cell)
    for w, cells in warned.items():
        out.line(f"note {_cells_text(cells, report)}: NEW warns: {w}")
    floored = true_division(report)
    if floored:
        out.line(f"hint: {floored} changed line(s) differ only where a whole number of OLD's is "
                 "now a number with a fraction that floors to it (1 -> 1.5, 7 -> 7.0): true "
                 "division, `/` on ints, which floors on 2.7 and not on 3.x; `//` floors on both")
    out.line(summary([c.verdict for c in report.cells]))


def print_stopped(settings: DiffSettings, so_far: SoFar) -> int:
    """What a stopped diff had, said as partial: the matrix of the cells judged same so far
    (the others "-"), what NEW's runs showed that OLD's did not so far (not confirmed: OLD and
    NEW would have run more), and how many cells were judged; returns that number."""
    same = [cell for cell, differed in so_far.judged(settings).items() if not differed]
    columns = [("NEW", c.python.minor, c.start_method) for c in settings.cells]
    print_table(columns, {"verdict": ["same" if c in same else "-" for c in settings.cells]})
    out = _terminal.Out()
    shown = [((d.text, d.lines), cell, mode, n) for (cell, mode, n), o in so_far.new.items()
             if mode in so_far.models for d in so_far.models[mode].differences(o)]
    total = len(settings.cells)
    for group in grouped(shown, lambda cells: cells_text(
            [(c.python.minor, c.start_method) for c in cells], total), settings.modes):
        out.line(f"seen so far in {group.where}, not confirmed:")
        for said in group.said:
            text, lines = said.key
            out.line(f"  {text}")
            for line in lines:
                out.line(f"      {line}")
    out.line(f"stopped: {len(same)} of {total} cells judged")
    return len(same)


# A number in a line: an int, or one with a fraction or an exponent.
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")


def true_division(report: DiffReport) -> int:
    """How many distinct changed lines of the report differ only where OLD printed an int and
    NEW prints a number with a fraction that floors to it: what `/` on ints does on 3.x."""
    pairs = {(d.lines[0][2:], d.lines[1][2:]) for c in report.cells
             for found in c.differences.values() for d in found
             if d.kind == "changed" and len(d.lines) == 2}
    return sum(_floored(old, new) for old, new in pairs)


def _floored(old: str, new: str) -> bool:
    olds, news = _NUMBER.split(old), _NUMBER.split(new)
    if olds != news:  # the text around the numbers changed too
        return False
    changed = [(a, b) for a, b in zip(_NUMBER.findall(old), _NUMBER.findall(new), strict=True)
               if a != b]
    return bool(changed) and all(
        re.fullmatch(r"-?\d+", a) and not re.fullmatch(r"-?\d+", b)
        and math.floor(float(b)) == int(a) for a, b in changed)


def _unsettled_text(u: Unsettled) -> str:
    """'in 2 of 8 runs: <what showed> (OLD's runs vary in it too)'."""
    old = "OLD's runs vary in it too" if u.difference.varies else "no run of OLD's did it"
    return f"in {u.shown} of {u.runs} runs: {u.difference.text} ({old})"


def summary(verdicts: list[str]) -> str:
    """'1 of 3 cells same, 1 differ, 1 unstable': the report's last line."""
    counted = Counter(verdicts)
    return (f"{counted['same']} of {len(verdicts)} cells same"
            + (f", {counted['differs']} differ" if counted["differs"] else "")
            + (f", {counted['unstable']} unstable" if counted["unstable"] else ""))


def _limit_text(report: DiffReport) -> str:
    """Where NEW's limit came from, unless --timeout named it."""
    if report.slowest_old is None:
        return ""
    return (f" (NEW's limit: {timeouts.NEW_LIMIT_FACTOR:g} times OLD's slowest run "
            f"({report.slowest_old:.2g} s), at least {timeouts.NEW_LIMIT_FLOOR:g} s, at most "
            f"{report.timeout:g} s; --timeout sets one limit for every run)")


def _methods_text(cells: list[DiffCell], pythons: list[Interpreter]) -> str:
    """'each start method' when NEW runs under every one its interpreters have, else those it
    runs under (`--start-method fork`)."""
    run = {(c.python, c.start_method) for c in cells}
    if all((p, m) in run for p in pythons for m in p.start_methods):
        return "each start method"
    chosen = [m for m in START_METHODS if any(method == m for _, method in run)]
    return f"start method{'s' * (len(chosen) > 1)} {' and '.join(chosen)}"


def _grouped(report: DiffReport) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The differences under the cells and modes that show them (_groups): each said once,
    what to fix first first (_rank), under the cells that show it."""
    return {g.where: [s.key for s in g.said] for g in _groups(report)}


def _groups(report: DiffReport) -> list[Group]:
    ranked = sorted(((d, c.cell, mode) for c in report.cells
                     for mode, found in c.differences.items() for d in found),
                    key=lambda shown: _rank(shown[0]))
    return grouped((((d.text, d.lines), cell, mode, None) for d, cell, mode in ranked),
                   lambda cells: _cells_text(cells, report), report.modes)


def first_differences(report: DiffReport, n: int) -> tuple[str, list[str], int]:
    """Where what to fix first is (the report's first DIFF), the first `n` differences there,
    and how many there are, as print_report says them."""
    where, found = next(iter(_grouped(report).items()))
    return where, [text for text, _ in found[:n]], len(found)


def first_unstable(report: DiffReport, n: int) -> tuple[str, list[str], int]:
    """Where the report's first unstable cell and mode is, the first `n` differences shown
    there in some runs only, and how many there are, as print_report says them."""
    c, mode, unsettled = next((c, mode, found) for c in report.cells
                              for mode, found in c.unstable.items() if found)
    return (f"{_cells_text([c.cell], report)} ({mode})",
            [_unsettled_text(u) for u in unsettled[:n]],
            len(unsettled))


def _rank(difference: Difference) -> int:
    """What to fix first: a hang, then a new uncaught exception, then the rest."""
    if is_hang(difference):
        return 0
    return 1 if difference.kind == "exception" else 2


def _cells_text(cells: list[DiffCell], report: DiffReport) -> str:
    return cells_text([(c.python.minor, c.start_method) for c in cells], len(report.cells))


def _rel(path: str) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else path


def as_json(report: DiffReport) -> dict:
    """The report as a documented structure (README, "diff --json")."""
    return _report.clean({
        "version": JSON_VERSION,
        "portproof": __version__,
        "old": {"script": report.old, "python": report.old_python.minor,
                "path": report.old_python.path,
                "runs": {m: len(o) for m, o in report.baseline.items()},
                "endings": {m: [r.ending for r in o] for m, o in report.baseline.items()}},
        "new": {"script": report.new},
        "timing": timing(report.time_scale),
        "containment": report.containment,
        "rules": sorted(report.rules),
        "noise": {mode: model.noise() for mode, model in report.models.items()},
        "cells": [
            {"python": c.cell.python.minor, "path": c.cell.python.path,
             "start_method": c.cell.start_method, "verdict": c.verdict,
             "runs": c.runs,
             "differences": [{"mode": mode, "kind": d.kind, "text": d.text,
                              "lines": list(d.lines)}
                             for mode, found in c.differences.items() for d in found],
             "unstable": [{"mode": mode, "kind": u.difference.kind, "text": u.difference.text,
                           "lines": list(u.difference.lines), "shown": u.shown, "runs": u.runs,
                           "old_varies": u.difference.varies}
                          for mode, unsettled in c.unstable.items() for u in unsettled],
             "warnings": sorted(c.warnings),
             "timed_out": c.timed_out and {"mode": c.timed_out.mode, "after": report.new_timeout,
                                           "stacks": list(c.timed_out.stacks)}}
            for c in report.cells
        ],
        # The differences as print_report says them: each once, under the cells that show it.
        "groups": [{"where": g.where,
                    "cells": [{"python": c.python.minor, "start_method": c.start_method}
                              for c in g.places],
                    "differences": [{"text": text, "lines": list(lines)}
                                    for text, lines in (s.key for s in g.said)]}
                   for g in _groups(report)],
        "verdict": report.verdict,  # as diff's exit status says it
        "same": report.same,
    })

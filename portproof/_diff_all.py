"""`portproof diff --all`: every pair of a team's config (_pairs) diffed in one go, one report.

Invariants: every pair's settings are checked before any run (a bad one is a usage error and
nothing runs); the pairs' runs share one pool of --jobs workers (each pair's comparison waits
in a thread of its own, submitting its runs to that pool), so that the cores stay busy across
pairs; a stop ends every run of every pair before portproof says so.
"""
from __future__ import annotations

import re
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from portproof import _diff_options, _diff_report, _pairs, _report, _terminal
from portproof._differ import DiffReport, SoFar, compare_with_old
from portproof._stop import STOPS, results, stopped, workers

# The status of the whole run, from its pairs' verdicts, as diff's is from its cells'.
VERDICTS = ("differs", "unstable", "same")


def diff_all(args) -> int:
    """Run every pair of the config `args.config` names (or the one found) and report them
    all; the exit status is diff's, of the worst verdict."""
    path = _pairs.config(args.config)
    overrides = _pairs.given_options(args.argv) | ({"args"} if args.args else set())
    pairs = _pairs.pairs(path, args, overrides)
    _report.check_paths(args)
    settings = [pair.settings(path) for pair in pairs]
    planned = sum(len(s.modes) * (s.baseline_runs + len(s.cells) * s.runs) for s in settings)
    print(f"portproof diff --all: {len(pairs)} pairs from {path}")
    sys.stdout.flush()
    failing: dict[str, int] = {}
    so_far = {pair.name: SoFar() for pair in pairs}
    reports: dict[str, DiffReport] = {}
    try:
        with ThreadPoolExecutor(len(pairs)) as waiting, workers(args.jobs) as (pool, cancel), \
                _terminal.progress("diff --all", planned, "runs",
                                   "cell(s) showed a difference") as bar:
            calls = {}
            for pair, s in zip(pairs, settings, strict=True):
                shown = _PairBar(bar, failing, pair.name)
                runs = partial(_diff_options._runs, pool, cancel, shown)
                calls[pair.name] = partial(compare_with_old, s, runs, shown, so_far[pair.name])
            for name, report in results(waiting, calls):
                reports[name] = report
    except STOPS as stop:  # what it had: each pair's report, or what a stopped diff says
        finished = f"{len(reports)} of {len(pairs)} pairs finished"
        _print_pairs(pairs, settings, reports, so_far)
        _terminal.Out().line(f"stopped: {finished}")
        return stopped(stop, f" after {finished}")
    _print_pairs(pairs, settings, reports)
    out = _terminal.Out()
    for pair in pairs:
        report = reports[pair.name]
        out.line(_terminal.word(_diff_report.WORDS[report.verdict]),
                 f" {pair.name}{' (hung)' * _hung(report)}")
    out.line(summary(list(reports.values())))
    _report.write(args, {"pairs": [{"name": pair.name, **_diff_report.as_json(reports[pair.name])}
                                   for pair in pairs]}, page)
    worst = next(v for v in VERDICTS if any(r.verdict == v for r in reports.values()))
    return _diff_options.STATUS[worst]


def _print_pairs(pairs, settings, reports: dict, so_far: dict | None = None) -> None:
    """Each pair's report under its name; of a pair not finished (stopped), what a stopped
    diff says from what it had (`so_far`, by name)."""
    out = _terminal.Out()
    for pair, s in zip(pairs, settings, strict=True):
        out.line("")
        out.line(f"== {pair.name}")
        if pair.name in reports:
            _diff_report.print_report(reports[pair.name])
        else:
            _diff_report.print_stopped(s, so_far[pair.name])
    out.line("")


def _hung(report) -> bool:
    return any(c.timed_out is not None for c in report.cells)


def summary(reports: list) -> str:
    """'3 pairs: 1 same, 2 differ (1 hung), 1 unstable': the report's last line."""
    counted = {v: sum(r.verdict == v for r in reports) for v in VERDICTS}
    hung = sum(_hung(r) for r in reports)
    return (f"{len(reports)} pairs: {counted['same']} same"
            + (f", {counted['differs']} differ" if counted["differs"] else "")
            + (f" ({hung} hung)" if hung else "")
            + (f", {counted['unstable']} unstable" if counted["unstable"] else ""))


def page(report: dict) -> str:
    """One page for every pair: each pair's diff page (_report.diff_page) under its name."""
    pages = [_report.diff_page(pair) for pair in report["pairs"]]
    head = re.sub(r"<title>.*?</title>", "<title>portproof diff --all</title>",
                  pages[0].split("<body>")[0], flags=re.S)
    body = []
    for n, (pair, text) in enumerate(zip(report["pairs"], pages, strict=True)):
        inner = text.split("<body>", 1)[1].rsplit("</body>", 1)[0]
        # Each pair's title names it; the ids of its sections stay its own.
        inner = re.sub(r"<h1>.*?</h1>", f"<h1>{_report._e(pair['name'])}</h1>", inner,
                       count=1, flags=re.S)
        inner = re.sub(r'(?<=\s)((?:id|href)="#?)', rf"\g<1>pair{n}-", inner)
        body.append(f'<section id="pair{n}">{inner}</section>')
    return head + "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"


class _PairBar:
    """A pair's view of the shared progress line: its runs count there; the cells failing
    there are every pair's."""

    def __init__(self, bar: _terminal.Bar, failing: dict[str, int], name: str) -> None:
        self.bar, self.counts, self.name = bar, failing, name

    def advance(self, failed: bool = False) -> None:
        self.bar.advance(failed)

    def add(self, more: int) -> None:
        self.bar.add(more)

    def failing(self, count: int) -> None:
        self.counts[self.name] = count
        self.bar.failing(sum(self.counts.values()))

    def describe(self, text: str) -> None:
        self.bar.describe(f"{self.name}: {text}")

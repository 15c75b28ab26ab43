"""portproof's pytest plugin: the pairs of a pyproject.toml's [tool.portproof] table as tests,
one per cell (`test_port[scripts/etl.py-3.13-spawn]`), and the `portproof` fixture
(`portproof.assert_same(old, new)`).

Registered by entry point and off until asked for (`--portproof`, or `portproof = true` in
pytest's ini): off, it imports nothing of portproof beyond this module, and collects nothing.
A failing test's message is diff's text report for its cell. Within one process (one xdist
worker), OLD's runs are made once per pair and interpreter and shared by its cells, as one diff
shares them.
"""
from __future__ import annotations

import os

import pytest

HELP = "run the pairs of pyproject.toml's [tool.portproof] table as tests (portproof diff)"
# Within this process: OLD's traces, by what was run (the run's call and its number), so that
# the cells of a pair, each a test of its own, learn OLD's noise from the same runs.
_OLD_RUNS: dict = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("portproof").addoption("--portproof", action="store_true", help=HELP)
    parser.addini("portproof", type="bool", default=False, help=HELP)


def _on(config: pytest.Config) -> bool:
    return bool(config.getoption("portproof") or config.getini("portproof"))


def pytest_collect_file(file_path, parent):
    if file_path.name == "pyproject.toml" and _on(parent.config):
        return PairsFile.from_parent(parent, path=file_path)
    return None


class PairsFile(pytest.File):
    """A pyproject.toml: each cell of each pair of its [tool.portproof] table is a test."""

    def collect(self):
        from portproof import _pairs
        from portproof._usage import UsageError
        path = str(self.path)
        shown = os.path.relpath(path, self.config.invocation_params.dir)
        try:
            if _pairs.table_of(_pairs.read(path)) is None:
                return
            pairs = _pairs.pairs(path)
            settings = [pair.settings(path) for pair in pairs]
        except UsageError as exc:
            raise self.CollectError(f"portproof: {str(exc).replace(path, shown, 1)}") from None
        for pair, s in zip(pairs, settings, strict=True):
            for cell in s.cells:
                name = f"test_port[{pair.name}-{cell.python.minor}-{cell.start_method}]"
                yield PairItem.from_parent(self, name=name, pair=pair.name, settings=s,
                                           cell=cell)


class PairItem(pytest.Item):
    """One cell of one pair: it passes where diff says the cell is the same."""

    def __init__(self, *, pair: str, settings, cell, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pair, self.settings, self.cell = pair, settings, cell

    def runtest(self) -> None:
        from dataclasses import replace
        _assert_same(replace(self.settings, cells=(self.cell,)), _jobs(self.config))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, Differs):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return (self.path, None, f"portproof diff {self.pair} on {self.cell.python.minor} "
                                 f"{self.cell.start_method}")


class Differs(AssertionError):
    """NEW does not behave as OLD: the message is diff's report."""


class Portproof:
    """The `portproof` fixture: diff a pair from a test of one's own."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def assert_same(self, old: str, new: str, *, python: str | list[str] | None = None,
                    start_method: str | None = None, **options) -> None:
        """Diff `old` with `new` (paths from the current folder, as diff takes them) with diff's
        options as keywords (`timeout=5`, `ignore=[...]`, `fast=True`); raise AssertionError
        with diff's report unless every cell is the same. A bad option is a ValueError."""
        __tracebackhide__ = True
        from portproof import _pairs
        from portproof._usage import UsageError
        table = {key.replace("_", "-"): value for key, value in options.items()}
        if python is not None:
            table["python"] = [python] if isinstance(python, str) else list(python)
        if start_method is not None:
            table["start-method"] = start_method
        try:
            pair = _pairs.pair("portproof.assert_same()", old, new, table)
            settings = pair.settings("portproof.assert_same()")
        except UsageError as exc:
            raise ValueError(str(exc)) from None
        try:
            _assert_same(settings, _jobs(self.config))
        except Differs as exc:  # said as a plain assert is, in the caller's test
            raise AssertionError(str(exc)) from None


@pytest.fixture
def portproof(request: pytest.FixtureRequest) -> Portproof:
    """`portproof.assert_same(old, new, python=..., start_method=...)`: diff in a test."""
    return Portproof(request.config)


def _jobs(config: pytest.Config) -> int:
    """diff's runs at once: one per core, shared by the xdist workers on this machine."""
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    return max(1, (os.cpu_count() or 1) // workers)


def _assert_same(settings, jobs: int) -> None:
    """Compare as diff does; raise Differs with diff's text report unless every cell is the
    same."""
    __tracebackhide__ = True
    import contextlib
    import io
    from functools import partial

    from portproof import _diff_options, _diff_report, _terminal
    from portproof._differ import compare_with_old
    from portproof._stop import workers

    with workers(jobs) as (pool, cancel):
        made = partial(_diff_options._runs, pool, cancel, _terminal.Bar())

        def runs(calls, skip=lambda key: False, ended=lambda key, trace: None):
            # OLD's runs are keyed (mode, n), NEW's (cell, mode, n).
            known = {key: (call, key) for key, call in calls.items() if len(key) == 2}
            for key, what in known.items():
                if what in _OLD_RUNS:
                    yield key, _OLD_RUNS[what]
            todo = {k: c for k, c in calls.items() if k not in known or known[k] not in _OLD_RUNS}
            for key, trace in made(todo, skip, ended):
                if key in known:
                    _OLD_RUNS[known[key]] = trace
                yield key, trace

        report = compare_with_old(settings, runs)
    if not report.same:
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            _diff_report.print_report(report)
        raise Differs(text.getvalue().rstrip("\n"))

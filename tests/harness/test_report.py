"""`--json` and `--html` of check, compare and diff (portproof/_report.py): the structure the
harness manual documents, the page made from it, what a subject prints shown as text and never
as markup, in a parser and in a real browser, and a report path that cannot be written."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from _suite import PY3, ROOT, SUBJECTS, json_keys, manual_json_keys
from portproof import _matrix, _plot, _report, _usage
from portproof._cli import main
from portproof._interpreters import Interpreter
from portproof._matrix import Cell, JudgedRun, Verdict
from portproof._record import ProcessInfo
from portproof._trace import Line, Trace
from portproof.specs import SPECS

needs_py3 = pytest.mark.skipif(not PY3, reason="no Python 3 found")
MARKUP = os.path.join(SUBJECTS, "markup.py")
INJECTED = ["<script>alert(1)</script>",
            '&amp; <img src="http://127.0.0.1:9/leak.png" onerror="alert(2)">']
PY = Interpreter("/opt/py<3>/bin/python", (3, 13, 0), ("fork", "spawn", "forkserver"))
PY2 = Interpreter("/opt/py2/bin/python", (2, 7, 18), ("fork",))


def verdict(example, side, python, method, *runs) -> Verdict:
    """A verdict of `runs`, each (mode, stdout lines, problems)."""
    v = Verdict(Cell(example, side, python, method), script=f"/r/{side}/{example}.py")
    for mode, lines, problems in runs:
        n = 1 + sum(r.mode == mode for r in v.made)
        trace = Trace(v.script, ".".join(map(str, python.version)), method, mode, 100,
                      lines=[Line(text, 0.1 * i, 0.1 * i - 0.05) for i, text in enumerate(lines)],
                      stderr="Traceback ...\nValueError: <b>\n" if problems else "",
                      returncode=1 if problems else 0,
                      processes=[ProcessInfo(100, 99, None, None, 0.0, 0.5)])
        v.made.append(JudgedRun(mode, n, trace, tuple(problems)))
        v.problems += [f"{mode} run {n}: {p}" for p in problems]
    return v


def compare_report() -> dict:
    ok = [("pty", ["Current process 100."], []), ("pipe", ["Current process 100."], [])]
    bad = [("pty", ["task <0>", "caf\\xe9 \x1b[0m \udcff"], ["task 0 never <ended>"]),
           ("pipe", [], ["no output & no exit"])]
    verdicts = [verdict("process", "py2_original", PY2, "fork", *ok),
                verdict("process", "py3_port", PY, "fork", *ok),
                verdict("process", "py3_port", PY, "spawn", *ok),
                verdict("pool", "py2_original", PY2, "fork", *ok),
                verdict("pool", "py3_port", PY, "fork", *bad),
                verdict("pool", "py3_port", PY, "spawn", *ok)]
    skipped = [_matrix.Skip("Python 2.7 has no spawn or forkserver start method",
                            (("py2_original", "2.7", "spawn"),
                             ("py2_original", "2.7", "forkserver")))]
    return _report.as_json("compare", verdicts, [PY2, PY], skipped, runs=1, time_scale=0.05,
                           containment="cgroup")


def test_the_json_has_every_cell_run_line_and_skip():
    report = compare_report()
    assert report["version"] == _report.JSON_VERSION
    assert [c["id"] for c in report["cells"]] == [
        "py2_original-2.7-fork", "py3_port-3.13-fork", "py3_port-3.13-spawn"] * 2
    pool = report["cells"][4]
    assert pool["verdict"] == "fails" and pool["mode"] == "both"
    assert pool["problems"] == ["pty run 1: task 0 never <ended>",
                                "pipe run 1: no output & no exit"]
    assert pool["runs"][0]["lines"][1] == {"t": 0.1, "earliest": 0.05,
                                           "text": "caf\\xe9 \x1b[0m \\xff"}
    assert pool["runs"][0]["stderr"] == ["Traceback ...", "ValueError: <b>"]
    assert report["skipped"][0]["columns"][1] == {
        "side": "py2_original", "python": "2.7", "start_method": "forkserver"}
    assert report["interpreters"][1] == {"python": "3.13", "version": "3.13.0",
                                         "path": PY.path, "start_methods": list(PY.start_methods)}
    assert report["holds"] is False


def _never_started_in_three_cells() -> dict:
    """compare's report of three pool cells that fail alike on a pipe, in each of 2 runs, and
    one that fails otherwise in one run."""
    lost = [("pty", ["x"], []), ("pty", ["x"], []),
            ("pipe", [], ["task 0 never started", "exited with status 1"]),
            ("pipe", [], ["task 0 never started", "exited with status 1"])]
    verdicts = [verdict("pool", "py3_port", PY, m, *lost) for m in ("fork", "spawn")]
    verdicts.append(verdict("pool", "py3_port", PY, "forkserver", *lost))
    verdicts.append(verdict("process", "py3_port", PY, "fork", ("pty", [], ["no exit"]),
                            ("pipe", ["x"], [])))
    return _report.as_json("compare", verdicts, [PY], [], runs=2, time_scale=0.05,
                           containment="cgroup")


# One grouping for check's and compare's reasons, as diff's: each reason once, under the cells
# and modes that show it, with how many runs showed it.
def test_the_json_groups_identical_reasons_across_cells_and_runs():
    report = _never_started_in_three_cells()
    assert report["groups"] == [
        {"where": "pool py3_port 3.13 fork/spawn/fsrv (pipe)",
          "cells": [{"example": "pool", "id": f"py3_port-3.13-{m}"}
                   for m in ("fork", "spawn", "forkserver")],
         "problems": [{"text": "task 0 never started", "runs": 6, "of": 6, "cells": 3},
                      {"text": "exited with status 1", "runs": 6, "of": 6, "cells": 3}]},
        {"where": "process py3_port 3.13 fork (pty)",
         "cells": [{"example": "process", "id": "py3_port-3.13-fork"}],
         "problems": [{"text": "no exit", "runs": 1, "of": 1, "cells": 1}]}]


def test_the_text_says_each_reason_once_with_its_counts(capsys):
    _report.print_groups(_never_started_in_three_cells())
    assert capsys.readouterr().out.splitlines() == [
        "FAIL pool py3_port 3.13 fork/spawn/fsrv (pipe):",
        "  task 0 never started (in 6 of 6 runs of 3 cells)",
        "  exited with status 1 (in 6 of 6 runs of 3 cells)",
        "FAIL process py3_port 3.13 fork (pty):",
        "  no exit"]


def test_the_page_says_each_reason_once_under_the_cells_that_show_it():
    report = _never_started_in_three_cells()
    page = Page(_report.page(report))
    assert page.titles == ["FAIL pool py3_port 3.13 fork/spawn/fsrv (pipe)",
                           "FAIL process py3_port 3.13 fork (pty)"]
    assert page.failures == {
        "py3_port-3.13-fork py3_port-3.13-spawn py3_port-3.13-forkserver": [
            "task 0 never started (in 6 of 6 runs of 3 cells)",
            "exited with status 1 (in 6 of 6 runs of 3 cells)"],
        "py3_port-3.13-fork": ["no exit"]}
    # each FAIL of the matrix leads to the first group that names its cell
    assert page.links == {("pool", "py3_port-3.13-fork"): "#fail-1",
                          ("pool", "py3_port-3.13-spawn"): "#fail-1",
                          ("pool", "py3_port-3.13-forkserver"): "#fail-1",
                          ("process", "py3_port-3.13-fork"): "#fail-2"}


def test_the_json_names_what_a_run_left_behind():
    v = verdict("process", "py3_port", PY, "fork", ("pipe", ["Current process 100."], ["left"]))
    v.made[0].trace.leaked = {4300: "python -c 'import time; time.sleep(600)'"}
    v.made[0].trace.shm_removed = ["psm_1a", "sem.mp-2b"]
    report = _report.as_json("check", [v], [PY], [], runs=1, time_scale=0.05,
                             containment="cgroup")
    (run,) = report["cells"][0]["runs"]
    assert run["leaked"] == [{"pid": 4300,
                              "command": "python -c 'import time; time.sleep(600)'"}]
    assert run["shm_removed"] == ["psm_1a", "sem.mp-2b"]


def test_the_json_round_trips_as_ascii_and_has_the_documented_keys():
    report = compare_report()
    text = json.dumps(report, ensure_ascii=True)
    assert text.isascii()
    assert json.loads(text) == report
    assert json_keys(report) == manual_json_keys('"holds": false}')


# What the OS or a subject can hand us, and what a UTF-8 file gets instead.
CLEANED = [
    pytest.param("plain <text> & more", "plain <text> & more", id="text"),
    pytest.param("caf\udce9", "caf\\xe9", id="surrogate-escaped-byte"),
    pytest.param("a\ud800b", "a\\ud800b", id="lone-high-surrogate"),
    pytest.param("\x00\x1b[31m", "\x00\x1b[31m", id="control-characters-kept"),
]


@pytest.mark.parametrize(("given", "written"), CLEANED)
def test_every_string_is_made_writable(given, written):
    assert _report.clean({"k": [given]}) == {"k": [written]}
    json.loads(json.dumps(_report.clean(given), ensure_ascii=True))


class Page(HTMLParser):
    """What a page shows: the matrix cells and where each leads, the failing (and unstable)
    sections' titles and reasons and lines, OLD's and NEW's lines side by side, the source
    diff's hunks and what each prints, every tag."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.cells: dict[tuple[str, str], tuple[str, str]] = {}  # (row, id) -> (class, text)
        self.links: dict[tuple[str, str], str] = {}  # (row, id) -> where its word leads
        self.titles: list[str] = []  # of the failing and unstable sections
        self.failures: dict[str, list[str]] = {}  # cell id(s) -> reasons
        self.unstable: dict[str, list[str]] = {}  # cell id -> what showed in some runs only
        self.pre: list[str] = []  # blocks of lines, the source diff's aside
        self.sides: list[list[list[str]]] = []  # each side-by-side table's rows
        self.hunks: list[str] = []  # the source diff's hunks
        self.printing: dict[str, list[str]] = {}  # a hunk's header -> the lines it prints
        self.text: list[str] = []
        self._open: list[tuple[str, dict]] = []
        self._failure = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag in ("meta", "br"):
            return
        if tag == "section" and attrs.get("class") in ("failure", "unstable"):
            self._failure = (self.failures if attrs["class"] == "failure" else self.unstable
                             ).setdefault(attrs.get("data-cell") or attrs["data-cells"], [])
        if tag == "a" and self._open and "data-cell" in self._open[-1][1]:
            td = self._open[-1][1]
            self.links[(td["data-row"], td["data-cell"])] = attrs["href"]
        if tag == "table" and attrs.get("class") == "sides":
            self.sides.append([])
        if tag == "tr" and any(a.get("class") == "sides" for _, a in self._open):
            self.sides[-1].append([])
        self._open.append((tag, {**attrs, "text": ""}))

    def handle_endtag(self, tag):
        while self._open:
            open_tag, attrs = self._open.pop()
            if self._open:
                self._open[-1][1]["text"] += attrs["text"]
            if open_tag == tag:
                break
        classes = attrs.get("class", "").split()
        if tag == "td" and "data-cell" in attrs:
            self.cells[(attrs["data-row"], attrs["data-cell"])] = (attrs["class"], attrs["text"])
        elif tag in ("td", "th") and any(a.get("class") == "sides" for _, a in self._open):
            self.sides[-1][-1].append(attrs["text"])
        elif "problem" in classes:
            self._failure.append(attrs["text"])
        elif tag == "h3" and self._failure is not None:
            self.titles.append(attrs["text"])
        elif tag == "pre" and "hunk" in classes:
            self.hunks.append(attrs["text"])
        elif tag == "li" and "printed" in classes:
            self.printing.setdefault(self.hunks[-1].split("\n")[0], []).append(attrs["text"])
        elif tag == "pre" and "source" not in classes:
            self.pre.append(attrs["text"])
        elif tag == "section":
            self._failure = None

    def handle_data(self, data):
        self.text.append(data)
        if self._open:
            self._open[-1][1]["text"] += data


def _groups_said(report: dict) -> dict[str, list[str]]:
    """The reasons the report's groups give, under the ids of their cells; every reason of
    every run of a failing cell is among those of a group that names the cell."""
    for c in report["cells"]:
        for r in c["runs"]:
            assert all(any({"example": c["example"], "id": c["id"]} in g["cells"]
                           and problem in [p["text"] for p in g["problems"]]
                           for g in report["groups"]) for problem in r["problems"]), c
    said: dict[str, list[str]] = {}  # as Page keeps them: groups of the same cells together
    for g in report["groups"]:
        said.setdefault(" ".join(c["id"] for c in g["cells"]), []).extend(
            _report.reason(p) for p in g["problems"])
    return said


def test_the_pages_matrix_and_failures_are_the_jsons():
    report = compare_report()
    page = Page(_report.page(report))
    shown = {"holds": "ok", "fails": "FAIL"}
    assert page.cells == {(c["example"], c["id"]): (c["verdict"], shown[c["verdict"]])
                          for c in report["cells"]}
    assert page.failures == _groups_said(report)
    assert "   0.100  caf\\xe9 \\x1b[0m \\xff" in page.pre[0].splitlines()
    assert "script" not in page.tags and "b" not in page.tags
    text = "".join(page.text)
    assert "Python 2.7 has no spawn or forkserver start method" in text
    assert PY.path in text


def test_the_page_shows_the_sections_it_is_given_under_each_failing_cell():
    more = (lambda cell: f"<p>more on {cell['id']}</p>",)
    page = Page(_report.page(compare_report(), sections=more))
    assert "more on py3_port-3.13-fork" in "".join(page.text)


DIFF_REPORT = {
    "version": 1, "portproof": "0.1.0", "timing": "real time", "containment": "token",
    "old": {"script": "/o.py", "python": "2.7", "path": "/py2", "runs": {"pty": 3}},
    "new": {"script": "/n.py"}, "rules": [], "noise": {"pty": ["<i>noise</i>"]},
    "cells": [{"python": "3.13", "path": "/py3", "start_method": m, "verdict": v,
               "runs": {"pty": 1}, "warnings": [], "unstable": [],
               "differences": [{"mode": "pty", "kind": "missing",
                                "text": "stdout line missing: '<script>'",
                                "lines": ["- <script>"]}] if v == "differs" else []}
              for m, v in (("fork", "same"), ("spawn", "differs"))],
    "groups": [{"where": "3.13 spawn", "cells": [{"python": "3.13", "start_method": "spawn"}],
                "differences": [{"text": "stdout line missing: '<script>'",
                                 "lines": ["- <script>"]}]}],
    "same": False,
}


def test_diffs_page_shows_its_verdicts_and_differences():
    page = Page(_report.diff_page(DIFF_REPORT))
    assert page.cells == {("verdict", "3.13-fork"): ("same", "same"),
                          ("verdict", "3.13-spawn"): ("differs", "DIFF")}
    assert page.links == {("verdict", "3.13-spawn"): "#diff-1"}
    assert page.titles == ["DIFF 3.13 spawn"]
    assert page.failures == {"3.13-spawn": ["stdout line missing: '<script>'"]}
    assert page.pre == ["- <script>"]
    assert not {"script", "i"} & set(page.tags)
    assert page.unstable == {}
    assert "1 of 2 cells same, 1 differ" in "".join(page.text)


# An unstable cell looks neither like a same one nor like a DIFF: its own class, word and
# section, which says what showed in how many runs.
def test_diffs_page_sets_an_unstable_cell_apart():
    unsettled = {"mode": "pipe", "kind": "changed", "text": "stdout line changed: '<b>'",
                 "lines": ["- <b>", "+ 999"], "shown": 2, "runs": 8, "old_varies": True}
    report = {
        "version": 1, "portproof": "0.1.0", "timing": "real time", "containment": "token",
        "old": {"script": "/o.py", "python": "2.7", "path": "/py2", "runs": {"pipe": 18}},
        "new": {"script": "/n.py"}, "rules": [], "noise": {"pipe": []},
        "cells": [{"python": "3.13", "path": "/py3", "start_method": m, "verdict": v,
                   "runs": {"pipe": 8}, "warnings": [], "differences": [],
                   "unstable": [unsettled] if v == "unstable" else []}
                  for m, v in (("fork", "same"), ("spawn", "unstable"))],
        "groups": [], "verdict": "unstable", "same": False,
    }
    page = Page(_report.diff_page(report))
    assert page.cells == {("verdict", "3.13-fork"): ("same", "same"),
                          ("verdict", "3.13-spawn"): ("unstable", "unstable")}
    assert page.failures == {}
    assert page.unstable == {"3.13-spawn": ["pipe: in 2 of 8 runs: stdout line changed: '<b>' "
                                          "(OLD's runs vary in it too)"]}
    assert page.sides == [[["OLD", "NEW"], ["<b>", "999"]]]
    assert "1 of 2 cells same, 1 unstable" in "".join(page.text)
    assert "b" not in page.tags


# A cell that hung says so, as the text report does, after the differences: when, after how
# long, and each process's stack.
def test_diffs_page_shows_a_hang_with_its_stacks():
    hang = {"mode": "pty", "kind": "ending", "text": "ends with timed out, not exit status 0",
            "lines": []}
    report = {
        "version": 1, "portproof": "0.1.0", "timing": "real time", "containment": "token",
        "old": {"script": "/o.py", "python": "2.7", "path": "/py2", "runs": {"pty": 3}},
        "new": {"script": "/n.py"}, "rules": [], "noise": {},
        "cells": [{"python": "3.13", "path": "/py3", "start_method": "spawn",
                   "verdict": "differs", "runs": {"pty": 1}, "warnings": [],
                   "differences": [hang],
                   "timed_out": {"mode": "pty", "after": 10.0,
                                 "stacks": ["pid 7 (python n.py): <module> (n.py:3) <b>"]}}],
        "groups": [{"where": "3.13 spawn (pty)",
                    "cells": [{"python": "3.13", "start_method": "spawn"}],
                    "differences": [{"text": hang["text"], "lines": []}]}],
        "same": False,
    }
    page = Page(_report.diff_page(report))
    assert page.titles == ["DIFF 3.13 spawn (pty)", "hung 3.13 spawn (pty)"]
    assert page.failures == {"3.13-spawn": ["ends with timed out, not exit status 0",
                                            "timed out after 10 s; not run again"]}
    assert page.pre == ["pid 7 (python n.py): <module> (n.py:3) <b>"]
    assert "b" not in page.tags


@pytest.fixture(scope="module")
def markup_reports(tmp_path_factory):
    """`check process markup.py` with both reports: a failing cell whose lines are markup, an
    entity and bytes that are not UTF-8."""
    if not PY3:
        pytest.skip("no Python 3 found")
    folder = tmp_path_factory.mktemp("reports")
    json_path, html_path = folder / "r.json", folder / "r.html"
    status = main(["check", "process", MARKUP, "--start-method", "fork", "--runs", "1",
                   "--json", str(json_path), "--html", str(html_path)])
    assert status == 1
    return json.loads(json_path.read_text(encoding="utf-8")), html_path


def test_what_a_subject_prints_is_shown_as_text_never_as_markup(markup_reports):
    report, html_path = markup_reports
    text = html_path.read_text(encoding="utf-8")
    for line in INJECTED:
        assert line not in text  # escaped, not written as it came
    page = Page(text)
    assert not {"script", "img"} & set(page.tags)
    assert [c["verdict"] for c in report["cells"]] == ["fails", "fails"]
    for cell in report["cells"]:
        lines = [line["text"] for line in cell["runs"][0]["lines"]]
        assert lines[:2] == INJECTED
        assert lines[2].startswith("caf\\xe9 \\xff\\xfe")
    assert page.failures == _groups_said(report)
    shown = "\n".join(page.pre)
    for line in INJECTED:
        assert line in shown
    assert "\\x1b[31mred\\x1b[0m \\x00nul" in shown


@needs_py3
@pytest.mark.parametrize("option", ["--json", "--html"])
@pytest.mark.parametrize("where", [
    pytest.param("missing/r.out", id="no-such-folder"),
    pytest.param(".", id="a-folder"),
    pytest.param("file/r.out", id="under-a-file"),
])
def test_a_report_path_that_cannot_be_written_is_a_usage_error(option, where, tmp_path, capsys):
    (tmp_path / "file").write_text("")
    path = os.path.join(tmp_path, where)
    argv = ["check", "pool", os.path.join(ROOT, "py3_port", "pool.py"), option, path]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"portproof: error: {option} {path}: ")
    assert os.listdir(tmp_path) == ["file"]


def test_a_write_that_fails_leaves_no_partial_file(tmp_path, monkeypatch):
    def full(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(_usage.UsageError, match="r.html: cannot write: No space left"):
        _report.write(type("Args", (), {"html": str(tmp_path / "r.html")}),
                      compare_report(), _report.page)
    assert os.listdir(tmp_path) == []


@needs_py3
def test_compare_writes_both_reports_of_its_matrix(tmp_path, capsys):
    python = PY3[-1]
    argv = ["compare", "--root", ROOT, "--python", python.path, "--no-python2",
            "--json", str(tmp_path / "r.json"), "--html", str(tmp_path / "r.html")]
    status = main(argv)
    out = capsys.readouterr().out
    report = json.loads((tmp_path / "r.json").read_text())
    assert status == (0 if report["holds"] else 1), out
    assert len(report["cells"]) == 7 * len(python.start_methods)
    assert {c["id"] for c in report["cells"]} == {
        f"py3_port-{python.minor}-{m}" for m in python.start_methods}
    assert all(len(c["runs"]) == 2 and c["mode"] == "both" for c in report["cells"])
    assert "py2_original was not run: --no-python2" in [s["reason"]
                                                        for s in report["skipped"]]
    page = Page((tmp_path / "r.html").read_text())
    assert len(page.cells) == len(report["cells"])


# -- a real browser ----------------------------------------------------------------------------


def browser() -> str:
    """The path of a Chromium to drive, or a skip that says why there is none."""
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test "
                        "extra installs it)")
    for name in (os.environ.get("PORTPROOF_CHROMIUM"), "chromium", "chromium-browser",
                 "google-chrome"):
        path = name and shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium on PATH (Debian: apt-get install chromium; or set "
                "PORTPROOF_CHROMIUM)")


def test_the_page_in_a_real_browser_shows_the_matrix_loads_nothing_and_runs_nothing(
        markup_reports):
    executable = browser()
    from playwright.sync_api import sync_playwright

    report, html_path = markup_reports
    requests, dialogs = [], []
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            page = chromium.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(html_path.as_uri(), wait_until="load")
            page.wait_for_timeout(300)  # anything that would load or alert late
            cells = page.eval_on_selector_all(
                "table.matrix td[data-cell]",
                "tds => tds.map(td => [td.dataset.cell, td.className, td.innerText.trim()])")
            shown = page.inner_text("section.runs pre")
            tags = page.evaluate("document.querySelectorAll('script, img').length")
        finally:
            chromium.close()
    assert cells == [[c["id"], c["verdict"], "FAIL"] for c in report["cells"]]
    assert INJECTED[0] in shown and INJECTED[1] in shown
    assert tags == 0
    assert dialogs == []
    assert requests == [html_path.as_uri()]


def _pool_run_with_its_record():
    """A failing pool cell whose run has a parent and three workers on record."""
    v = verdict("pool", "py3_port", PY, "fork", ("pty", [
        "Current process 100.", "Child process 0(101) is running.",
        "Child process 0(101) end."], ["task 1 never started"]))
    v.made[0].trace.processes = [ProcessInfo(100, 99, None, None, 0.0, 1.0)] + [
        ProcessInfo(pid, 100, f"ForkPoolWorker-{pid - 100}", "fork", 0.05, 0.9)
        for pid in (101, 102, 103)]
    return _report.as_json("check", [v], [PY], [], runs=1, time_scale=0.05,
                           containment="cgroup")


def test_a_failing_pool_cells_runs_are_drawn_on_the_page():
    pytest.importorskip("matplotlib", reason="the timelines need the plot extra")
    report = _pool_run_with_its_record()
    (run,) = report["cells"][0]["runs"]
    assert run["pid"] == 100 and [p["pid"] for p in run["processes"]] == [100, 101, 102, 103]
    timeline = _plot.model(_plot.trace_of(report["cells"][0], run), SPECS["pool"])
    assert timeline.counts() == {"rows": 4, "marks": 3, "tasks": 1}
    text = _report.page(report)
    section = text[text.index('<section class="failure"'):]
    assert section.count("<svg") == 1 and "<!--" not in section
    Page(text)  # still a page html.parser reads through


# The page is composed where it is made: a program that imports only the report module, not the
# timeline command, still draws a failing pool cell's timelines.
PAGE_ALONE = """
import json, sys
from portproof import _report
text = _report.page(json.load(open(sys.argv[1])))
section = text[text.index('<section class="failure"'):]
print(section.count("<svg"), "portproof._timeline" in sys.modules)
"""


def test_a_failing_pool_cell_has_its_timeline_without_the_timeline_command(tmp_path):
    pytest.importorskip("matplotlib", reason="the timelines need the plot extra")
    path = tmp_path / "report.json"
    path.write_text(json.dumps(_pool_run_with_its_record()))
    done = subprocess.run([sys.executable, "-c", PAGE_ALONE, str(path)], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "False"], done.stdout


def test_a_cell_without_tasks_gets_no_timeline():
    pytest.importorskip("matplotlib", reason="the timelines need the plot extra")
    report = _pool_run_with_its_record()
    report["cells"][0]["example"] = "process"
    assert _plot.page_section(report["cells"][0]) == ""


# -- diff's and port's page ----------------------------------------------------------------------


# Every word the matrix can say has a colour of its own rule, as on the terminal.
@pytest.mark.parametrize("verdict", sorted(_report.VERDICT_WORDS))
def test_every_verdict_has_a_background_of_its_own_rule(verdict):
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", _report._STYLE)
    styled = [body for selectors, body in rules
              if f"td.{verdict}" in [s.strip() for s in selectors.split(",")]]
    assert any("background:" in body for body in styled), styled


def _grouped_diff():
    """A diff of 4 cells, as the text report groups it: a line missing in every cell, a line
    changed in 3.13's only, in pty mode."""
    from test_diff_report import CHANGED, EVERY_CELL, MISSING, PY313, made_up_report
    return made_up_report({
        cell: {"pty": [MISSING] + ([CHANGED] if cell[0] is PY313 else []), "pipe": [MISSING]}
        for cell in EVERY_CELL})


# One grouping for the text and the page: each difference once, under the cells that show it,
# as the text report says it ("DIFF every cell"), never once per cell.
def test_diffs_page_says_each_difference_once_under_the_cells_that_show_it(capsys):
    from portproof import _diff_report
    report = _grouped_diff()
    _diff_report.print_report(report)
    out = capsys.readouterr().out.splitlines()
    said: dict[str, list[str]] = {}  # a DIFF heading -> the differences under it
    for line in out[out.index("DIFF every cell:"):-1]:
        if line.startswith("DIFF "):
            said[line[:-1]] = under = []
        elif not line.startswith("      "):
            under.append(line[2:])
    page = Page(_report.diff_page(_diff_report.as_json(report)))
    assert page.titles == list(said)
    assert page.failures == {
        "3.12-fork 3.12-spawn 3.13-fork 3.13-spawn": said["DIFF every cell"],
        "3.13-fork 3.13-spawn": said["DIFF 3.13 fork/spawn (pty)"]}
    # each DIFF of the matrix leads to the first place that names its cell
    assert set(page.links.values()) == {"#diff-1"}


# A changed line: OLD's and NEW's side by side; lines of one side only stay a block.
def test_diffs_page_shows_old_and_new_side_by_side():
    from portproof import _diff_report
    from portproof._noise import Difference
    from test_diff_report import PY313, made_up_report
    extra = Difference("extra", "stdout line added: '<i>'", ("+ <i>",))
    report = made_up_report({(PY313, "fork"): {"pty": [
        Difference("changed", "stdout line changed: '<b>' is now '1.5'", ("- <b>", "+ 1.5")),
        extra]}})
    page = Page(_report.diff_page(_diff_report.as_json(report)))
    assert page.sides == [[["OLD", "NEW"], ["<b>", "1.5"]]]
    assert page.pre == ["+ <i>"]
    assert not {"b", "i"} & set(page.tags)


SOURCE_DIFF = """\
--- old.py
+++ new.py
@@ -1,4 +1,4 @@
 import os
-print "pid %s" % os.getpid()
+print(f"pid {os.getpid()}")
 x = 1
 y = 2
@@ -10,3 +10,3 @@
 def mean(xs):
-    return sum(xs) / len(xs)
+    return sum(xs) // len(xs)
 z = 3
@@ -20,2 +20,2 @@
-print 'mean of', xs, 'is <', m
+print('mean of', xs, 'is <', m)
"""


# port's page: the source diff it made, each hunk that prints a differing line marked with
# the lines it prints.
def test_ports_page_shows_the_source_diff_and_marks_the_hunks_that_print_the_lines():
    from portproof import _diff_report
    from portproof._noise import Difference
    from test_diff_report import PY313, made_up_report
    report = made_up_report({(PY313, "fork"): {"pipe": [
        Difference("changed", "stdout line changed: 'mean of [1] is < 1' is now "
                   "'mean of [1] is < 1.5'", ("- mean of [1] is < 1", "+ mean of [1] is < 1.5")),
        Difference("missing", "stdout line missing: 'pid <parent>'")]}})
    page = Page(_report.diff_page({**_diff_report.as_json(report), "source_diff": SOURCE_DIFF}))
    assert [hunk.splitlines()[0] for hunk in page.hunks] == [
        "@@ -1,4 +1,4 @@", "@@ -10,3 +10,3 @@", "@@ -20,2 +20,2 @@"]
    assert "".join(page.hunks) == SOURCE_DIFF.split("\n", 2)[2]
    assert page.printing == {"@@ -1,4 +1,4 @@": ["pid <parent>"],
                             "@@ -20,2 +20,2 @@": ["mean of [1] is < 1",
                                                  "mean of [1] is < 1.5"]}
    assert "--- old.py\n+++ new.py" in "".join(page.text)
    assert "i" not in page.tags


def test_diffs_page_has_no_source_diff():
    page = Page(_report.diff_page(DIFF_REPORT))
    assert page.hunks == [] and "Source diff" not in "".join(page.text)


# -- each verdict in a real browser --------------------------------------------------------------


def test_each_verdict_has_its_colour_in_a_real_browser(tmp_path):
    executable = browser()
    from playwright.sync_api import sync_playwright

    diff = {**DIFF_REPORT, "cells": [
        {**DIFF_REPORT["cells"][0], "start_method": m, "verdict": v}
        for m, v in (("fork", "same"), ("spawn", "differs"), ("forkserver", "unstable"))]}
    # compare's matrix with a cell not run: pool has no 2.7 fork column of its own
    compare = compare_report()
    compare["cells"] = [c for c in compare["cells"]
                        if (c["example"], c["side"]) != ("pool", "py2_original")]
    check = _report.as_json("check", [
        verdict("pool", "", PY, "fork", ("pty", ["x"], [])),
        verdict("pool", "", PY, "spawn", ("pipe", [], ["task 0 never started"]))],
        [PY], [], runs=1, time_scale=0.05, containment="cgroup")
    pages = {"check": _report.page(check), "compare": _report.page(compare),
             "diff": _report.diff_page(diff),
             "port": _report.diff_page({**diff, "source_diff": SOURCE_DIFF})}
    colours: dict[str, dict[str, str]] = {}  # page -> a cell's class -> its background
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            for name, text in pages.items():
                path = tmp_path / f"{name}.html"
                path.write_text(text, encoding="utf-8")
                tab = chromium.new_page()
                tab.goto(path.as_uri(), wait_until="load")
                colours[name] = tab.eval_on_selector_all(
                    "table.matrix td",
                    "tds => Object.fromEntries(tds.map(td => "
                    "[td.className, getComputedStyle(td).backgroundColor]))")
        finally:
            chromium.close()
    assert {name: sorted(found) for name, found in colours.items()} == {
        "check": ["fails", "holds"], "compare": ["fails", "holds", "missing"],
        "diff": ["differs", "same", "unstable"], "port": ["differs", "same", "unstable"]}
    # one colour per verdict on every page: same as ok, DIFF as FAIL, unstable and a cell not
    # run apart from both, as on the terminal
    shown = {verdict: colour for found in colours.values() for verdict, colour in found.items()}
    assert all(found[v] == shown[v] for found in colours.values() for v in found), colours
    assert shown["same"] == shown["holds"] and shown["differs"] == shown["fails"]
    assert len({shown["holds"], shown["fails"], shown["unstable"], shown["missing"],
                "rgba(0, 0, 0, 0)"}) == 5, shown


# Only a difference's lines are OLD's and NEW's: a subject's own `- `/`+ ` lines stay a block.
def test_a_failing_cells_stderr_is_never_taken_for_old_and_new():
    v = verdict("process", "py3_port", PY, "fork", ("pipe", ["x"], ["no exit"]))
    v.made[0].trace.stderr = "- a\n+ b\n"
    page = Page(_report.page(_report.as_json("check", [v], [PY], [], runs=1, time_scale=0.05,
                                             containment="cgroup")))
    assert page.sides == []
    assert "- a\n+ b" in page.pre


# A difference's text quotes what is not a Python string (a file name with a quote and a
# backslash): the page is still written, naming no line for it.
def test_a_quote_that_is_no_python_string_names_no_line():
    from portproof import _diff_report
    from portproof._noise import Difference
    from test_diff_report import PY313, made_up_report
    report = made_up_report({(PY313, "fork"): {"pipe": [
        Difference("file", "file a'\\x'b.txt is created by NEW only"),
        Difference("missing", "stdout line missing: 'pid <parent>'")]}})
    page = Page(_report.diff_page({**_diff_report.as_json(report), "source_diff": SOURCE_DIFF}))
    assert page.printing == {"@@ -1,4 +1,4 @@": ["pid <parent>"]}


def test_every_text_colour_of_the_pages_has_enough_contrast():
    """WCAG 2.1 AA (4.5:1) for each rule's text colour against its own background, or else
    against the page's and a code block's (white, #f6f6f6), where such text can sit."""
    coloraide = pytest.importorskip("coloraide")
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", _report._STYLE)
    checked = []
    for selector, body in rules:
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body)
        if colour is None:
            continue
        background = re.search(r"background:\s*(#[0-9a-fA-F]{3,6})", body)
        for behind in [background[1]] if background else ["#ffffff", "#f6f6f6"]:
            ratio = coloraide.Color(colour[1]).contrast(behind, method="wcag21")
            checked.append((selector.strip(), colour[1], behind, round(ratio, 2)))
    assert len(checked) >= 3
    assert [c for c in checked if c[3] < 4.5] == []

"""diff's text report, from made-up results: no subject runs, so these run in every harness env
(test_diff.py runs subjects, in the matrix env)."""
import re

import pytest

from portproof import _diff_report, _differ
from portproof._differ import CellResult, DiffCell, DiffReport, DiffSettings
from portproof._interpreters import Interpreter
from portproof._noise import Difference, Model
from portproof._normalise import RULES
from portproof._observe import Observation
from portproof._run import RunOptions
from portproof._trace import TRUNCATED, Line, Trace

OLD_PY = Interpreter("/opt/py2.7/bin/python", (2, 7, 18), ("fork",))
PY312 = Interpreter("/opt/py3.12/bin/python", (3, 12, 1), ("fork", "spawn"))
PY313 = Interpreter("/opt/py3.13/bin/python", (3, 13, 0), ("fork", "spawn"))
MODES = ("pty", "pipe")


def made_up_report(cells: dict, time_scale=1.0, old_runs=None) -> DiffReport:
    """A report of diff from {(python, start method): {mode: [Difference, ...]}}, OLD having
    run 3 runs per mode unless `old_runs` ({mode: runs}) says otherwise."""
    baseline = {mode: [Observation(mode, ["done"], [], None, "exit status 0")]
                * (old_runs or {}).get(mode, 3) for mode in MODES}
    results = [CellResult(DiffCell(python, method), dict(found), dict.fromkeys(MODES, 1))
               for (python, method), found in cells.items()]
    return DiffReport("/work/old.py", "/work/new.py", OLD_PY, MODES, time_scale, baseline,
                      {mode: Model(runs) for mode, runs in baseline.items()}, results, set(),
                      "cgroup")


def made_up_runs(fields, made=None):
    """diff's `runs`, made up: each call's Trace takes its fields from `fields(python, script,
    n)`, n being the run's number (OLD's first ones are its baseline). The calls are made one
    after another, in order, each unless `skip(key)` says so when its turn comes, `ended(key,
    trace)` called as each ends; the keys of those made are appended to `made`."""
    def runs(calls, skip=lambda key: False, ended=lambda key, trace: None):
        for key, (python, script, method, mode, _) in calls.items():
            if not skip(key):
                if made is not None:
                    made.append(key)
                trace = Trace(script, f"{python.minor}.0", method, mode, 100,
                              **fields(python, script, key[-1]))
                ended(key, trace)
                yield key, trace
    return runs


def printed(report, capsys) -> list[str]:
    _diff_report.print_report(report)
    return capsys.readouterr().out.splitlines()


MISSING = Difference("missing", "stdout line missing: 'done'")
CHANGED = Difference("changed", "stdout line changed: 'a' is now 'b'", ("- a", "+ b"))
EVERY_CELL = [(PY312, "fork"), (PY312, "spawn"), (PY313, "fork"), (PY313, "spawn")]


def test_a_difference_is_said_once_under_the_cells_that_show_it(capsys):
    report = made_up_report({
        cell: {"pty": [MISSING] + ([CHANGED] if cell[0] is PY313 else []), "pipe": [MISSING]}
        for cell in EVERY_CELL})
    out = printed(report, capsys)
    assert out[out.index("DIFF every cell:"):] == [
        "DIFF every cell:",  # in each mode: the modes are not named
        "  stdout line missing: 'done'",
        "DIFF 3.13 fork/spawn (pty):",
        "  stdout line changed: 'a' is now 'b'",
        "      - a",
        "      + b",
        "0 of 4 cells same, 4 differ",
    ]


@pytest.mark.parametrize(("cells", "header"), [
    pytest.param(EVERY_CELL, "on Python 3.12, 3.13, each start method", id="all"),
    pytest.param([(PY312, "fork"), (PY313, "fork")], "on Python 3.12, 3.13, start method fork",
                 id="fork"),
    pytest.param([(PY313, "spawn")], "on Python 3.13, start method spawn", id="spawn"),
])
def test_the_header_names_the_start_methods_run(cells, header, capsys):
    out = printed(made_up_report({cell: {} for cell in cells}), capsys)
    assert out[1] == f"                NEW {_diff_report._rel('/work/new.py')} {header}"


def test_modes_that_show_a_difference_in_the_same_cells_are_said_together(capsys):
    report = made_up_report({(PY313, "fork"): {"pty": [MISSING], "pipe": [MISSING]},
                             (PY313, "spawn"): {"pipe": [MISSING, CHANGED]},
                             (PY312, "fork"): {}})
    out = printed(report, capsys)
    assert [line for line in out if line.startswith("DIFF")] == [
        "DIFF 3.13 fork (pty); 3.13 fork/spawn (pipe):",
        "DIFF 3.13 spawn (pipe):",
    ]
    report = made_up_report({(PY313, "fork"): {"pty": [MISSING], "pipe": [MISSING]},
                             (PY313, "spawn"): {}})
    assert [line for line in printed(report, capsys) if line.startswith("DIFF")] == [
        "DIFF 3.13 fork:"]


def test_what_new_left_in_dev_shm_is_a_difference(capsys):
    runs = made_up_runs(lambda python, script, n: {
        "lines": [Line("done", 0.1)], "returncode": 0,
        "shm_removed": ["psm_1a"] if python is PY313 else []})
    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY, (DiffCell(PY313, "fork"),),
                        ("pipe",))
    report = _differ.compare_with_old(settings, runs)
    assert not report.same
    assert ("  left 1 shared-memory entry in /dev/shm: 'psm_1a'; portproof removed them"
            in printed(report, capsys))


# A warning that NEW prints and OLD does not: a note, a difference only with --strict.
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_a_new_warning_is_a_note_unless_strict(strict, capsys):
    warning = "DeprecationWarning: old() is deprecated"

    runs = made_up_runs(lambda python, script, n: {
        "lines": [Line("done", 0.1)], "returncode": 0,
        "stderr": f"{script}:3: {warning}\n  old()\n" if python is PY313 else ""})
    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY, (DiffCell(PY313, "fork"),),
                        ("pipe",), strict=strict)
    report = _differ.compare_with_old(settings, runs)
    out = printed(report, capsys)
    if strict:
        assert not report.same
        assert f"  stderr line added: '(warning) {warning}'" in out
        assert not [line for line in out if line.startswith("note")]  # said once, not twice
        assert out[-1] == "0 of 1 cells same, 1 differ"
    else:
        assert report.same
        assert out[-2:] == [f"note 3.13 fork: NEW warns: {warning}", "1 of 1 cells same"]


# diff says what it compares before its first run (print_header, from the settings, with OLD's
# baseline runs); the report at the end then says only how many runs OLD made in all, where a
# difference made it run more than that.
MORE = ("a run of NEW differed, and OLD runs more before a difference stands (fewer where its "
        "runs explain NEW's first)")


@pytest.mark.parametrize(("baseline_runs", "made", "said"), [
    pytest.param(3, (3, 3), [], id="no-more-runs"),
    pytest.param(1, (3, 3), [f"OLD ran 3 runs per mode in all: {MORE}"], id="more-runs"),
    pytest.param(3, (3, 5), [f"OLD ran 3 runs in pty mode and 5 in pipe mode in all: {MORE}"],
                 id="more-runs-in-one-mode"),
])
def test_the_header_comes_before_the_runs_and_the_report_adds_olds_runs(baseline_runs, made,
                                                                         said, capsys):
    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY,
                            (DiffCell(PY313, "fork"), DiffCell(PY313, "spawn")), MODES,
                            baseline_runs=baseline_runs,
                            options=RunOptions(time_scale=1.0, containment="cgroup"))
    _diff_report.print_header(settings)
    assert capsys.readouterr().out.splitlines() == [
        f"portproof diff: OLD /work/old.py on Python 2.7 fork, {baseline_runs} runs per mode",
        "                NEW /work/new.py on Python 3.13, each start method",
        "                pty and pipe mode; real time; processes held by cgroup"]
    report = made_up_report({(PY313, "fork"): {}, (PY313, "spawn"): {}},
                            old_runs=dict(zip(MODES, made, strict=True)))
    _diff_report.print_report(report, header=False, baseline_runs=baseline_runs)
    out = capsys.readouterr().out.splitlines()
    assert out[:len(said) + 1] == [*said, ""]  # then the matrix
    assert not [line for line in out if line.startswith("portproof diff:")]


def changed(old: str, new: str) -> Difference:
    return Difference("changed", f"stdout line changed: {old!r} is now {new!r}",
                      (f"- {old}", f"+ {new}"))


# A line that changed only where OLD's whole number is now a number with a fraction that floors
# to it points at `/` on ints; any other change of a number, or of the text around it, does not.
@pytest.mark.parametrize(("old", "new", "hint"), [
    pytest.param("mean of [1, 2] is 1", "mean of [1, 2] is 1.5", True, id="1-1.5"),
    pytest.param("half: 7", "half: 7.0", True, id="7-7.0"),
    pytest.param("below: -2", "below: -1.5", True, id="negative-floors"),
    pytest.param("n 3", "n 2.5", False, id="floors-to-another"),
    pytest.param("n 3", "n 4", False, id="int-to-int"),
    pytest.param("a 1", "b 1.5", False, id="text-changed-too"),
    pytest.param("n 1.5", "n 1.75", False, id="float-to-float"),
])
def test_a_whole_number_that_became_a_fraction_points_at_true_division(old, new, hint, capsys):
    report = made_up_report({(PY313, "fork"): {"pipe": [changed(old, new)],
                                                "pty": [changed(old, new)]}})
    assert _diff_report.true_division(report) == int(hint)
    out = printed(report, capsys)
    said = [line for line in out if line.startswith("hint: ")]
    assert said == (["hint: 1 changed line(s) differ only where a whole number of OLD's is now "
                     "a number with a fraction that floors to it (1 -> 1.5, 7 -> 7.0): true "
                     "division, `/` on ints, which floors on 2.7 and not on 3.x; `//` floors "
                     "on both"] if hint else [])


def under(out: list[str], heading: str) -> list[str]:
    """The indented lines under `heading` in a printed report; none if it is not there."""
    if heading not in out:
        return []
    start = out.index(heading) + 1
    return out[start:next(n for n in range(start, len(out)) if not out[n].startswith("  "))]


# Both scripts print the lines, {pid} as the run's own pid, {script} as its own path and
# {worker} as its interpreter names a Pool worker; each case names the rules that change them.
FIRING = [
    pytest.param(["done"], (), set(), id="none"),
    pytest.param(["started {pid}"], (), {"pids"}, id="pids"),
    pytest.param(["{worker} done"], (), {"process names"}, id="process-names-in-new-only"),
    pytest.param(["{script} made <Foo object at 0x7f3a2b1c0d90> in {pid}", "request id=ab12"],
                 (re.compile(r"id=\w+"),), {"ignore", "paths", "pids", "addresses"},
                 id="four-of-five"),
    pytest.param(['  File "{library}/multiprocessing/process.py", line {line}, in run'], (),
                 {"library frames"}, id="library-frames"),
]


@pytest.mark.parametrize(("lines", "ignore", "fired"), FIRING)
def test_the_report_names_each_rule_that_fired_and_no_other(lines, ignore, fired, capsys):
    def fields(python, script, n):
        worker = "ForkPoolWorker-1" if python is PY313 else "PoolWorker-1"
        library = f"/opt/py{python.minor}/lib/python{python.minor}"
        line_number = 108 if python is PY313 else 114
        return {"lines": [Line(line.format(pid=100, script=script, worker=worker,
                                           library=library, line=line_number), 0.1)
                          for line in lines], "returncode": 0}

    runs = made_up_runs(fields)
    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY, (DiffCell(PY313, "fork"),),
                        MODES, ignore=ignore)
    report = _differ.compare_with_old(settings, runs)
    assert report.same  # what the rules changed is the same on both sides
    out = printed(report, capsys)
    assert under(out, "normalised in both:") == [f"  {rule.name}: {rule.says}" for rule in RULES
                                                  if rule.name in fired]
    assert ("normalised in both:" in out) == bool(fired)  # no heading over nothing
    assert _diff_report.as_json(report)["rules"] == sorted(fired)


# When a run of NEW differs, OLD runs CONFIRM_OLD times its baseline in all and the noise is
# learned again, and a cell that still differs runs CONFIRM_NEW times more. A difference of a
# kind OLD's runs never vary in stands where every one of those runs shows it; any other is
# settled (OLD to SETTLE_OLD times its baseline, the cell to SETTLE_NEW runs): a difference
# where every run shows it, unstable where some do. Each run prints "a", then "b" as many
# times as `old_b` or `new_b` say for its number (OLD's first three are its baseline), else
# once ("every": each).
CONFIRMING = [
    pytest.param({}, {}, "same", 3, 1, id="no-difference-no-more-runs"),
    # What OLD never did, in one run of NEW only: a loaded machine can make one run do what the
    # program never does.
    pytest.param({}, {0: 0}, "unstable", 18, 8, id="a-line-old-always-printed-missing-once"),
    pytest.param({}, {"every": 0}, "differs", 9, 3, id="every-time-stands"),
    # OLD runs again until its runs explain every run of NEW (more could not change a verdict),
    # 9 runs at most: noise that shows in its last run still gets it.
    pytest.param({4: 0}, {0: 0}, "same", 5, 1, id="noise-found-by-old-again"),
    pytest.param({3: 0}, {0: 0}, "same", 4, 1, id="old-stops-once-it-explains-new"),
    pytest.param({8: 0}, {0: 0}, "same", 9, 1, id="noise-that-shows-late-still-gets-its-runs"),
    pytest.param({1: 0}, {0: 2}, "unstable", 18, 8, id="a-count-old-varies-in-once-is-unstable"),
    pytest.param({1: 0}, {0: 2, 5: 2}, "unstable", 18, 8, id="twice-in-eight-is-unstable"),
    pytest.param({1: 0}, {"every": 2}, "differs", 18, 8, id="a-count-old-varies-in-every-time"),
    pytest.param({1: 0, 12: 2}, {0: 2}, "same", 18, 8, id="settled-by-olds-runs"),
]


@pytest.mark.parametrize(("old_b", "new_b", "verdict", "old_runs", "new_runs"), CONFIRMING)
def test_a_difference_stands_where_old_never_varies_or_every_run_shows_it(old_b, new_b, verdict,
                                                                         old_runs, new_runs):
    def fields(python, script, n):
        b = new_b if python is PY313 else old_b
        return {"lines": [Line("a", 0.1)] + [Line("b", 0.2)] * b.get(n, b.get("every", 1)),
                "returncode": 0}

    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY, (DiffCell(PY313, "fork"),),
                            ("pipe",))
    report = _differ.compare_with_old(settings, made_up_runs(fields))
    (cell,) = report.cells
    assert (len(report.baseline["pipe"]), cell.runs["pipe"]) == (old_runs, new_runs)
    assert (report.verdict, cell.verdict) == (verdict, verdict)
    if verdict == "differs":
        assert [d.kind for d in cell.differences["pipe"]] == [
            "missing" if 0 in new_b.values() else "extra"]
    if verdict == "unstable":
        (unsettled,) = cell.unstable["pipe"]
        shown = sum(n in new_b for n in range(new_runs))
        kind = "missing" if 0 in new_b.values() else "added"
        assert (unsettled.difference.text, unsettled.shown, unsettled.runs) == (
            f"stdout line {kind}: 'b'", shown, new_runs)
        # Said with whether OLD's runs vary in it (here, where OLD's count of "b" varied).
        old = "OLD's runs vary in it too" if old_b else "no run of OLD's did it"
        assert unsettled.difference.varies == bool(old_b)
        assert _diff_report.first_unstable(report, 1)[1] == [
            f"in {shown} of {new_runs} runs: stdout line {kind}: 'b' ({old})"]
    else:
        assert cell.unstable["pipe"] == []


# How OLD's own runs ended is said when not every run exited with status 0: "same" for a
# script that never ends (a server loop) means same until the timeout, and the user must know.
ENDED = [
    pytest.param({}, None, "exit status 0", id="exit-0-says-nothing"),
    pytest.param({"returncode": 1}, "note OLD's runs: exit status 1 in 3 of 3", "exit status 1",
                 id="exit-1"),
    pytest.param({"timeout": 2.0, "returncode": None},
                 "note OLD's runs: timed out after 2 s in 3 of 3; what came before is compared",
                 "timed out", id="timed-out"),
    # Its parent and portproof's supervisor of the run were both killed: no one said it.
    pytest.param({"returncode": None},
                 "note OLD's runs: exit status not known in 3 of 3", "exit status not known",
                 id="not-known"),
]


@pytest.mark.parametrize(("ended", "said", "ending"), ENDED)
def test_how_olds_runs_ended_is_said_unless_each_exited_with_0(ended, said, ending, capsys):
    runs = made_up_runs(lambda python, script, n: {
        "lines": [Line("ping", 0.1)], "returncode": 0, **ended})
    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY, (DiffCell(PY313, "fork"),),
                        ("pipe",), options=RunOptions(timeout=2.0))
    report = _differ.compare_with_old(settings, runs)
    assert report.same  # NEW ended as OLD did
    notes = [line for line in printed(report, capsys) if line.startswith("note OLD")]
    assert notes == ([said] if said else [])
    assert _diff_report.as_json(report)["old"]["endings"] == {"pipe": [ending] * 3}


# The harness's mark where it cut a stream is not a line of the program's, on either stream.
def test_the_harness_cutting_news_output_alone_is_no_difference(capsys):
    def fields(python, script, n):
        lines = [f"PoolWorker-1: attempt {k}" for k in range(40)]
        if python is PY313:  # NEW's output is longer, and was cut: its middle is not kept
            lines = lines[:10] + [TRUNCATED] + lines[30:]
        return {"lines": [Line(line, 0.1) for line in lines], "returncode": 0,
                "stderr": "\n".join(lines)}

    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY, (DiffCell(PY313, "fork"),),
                        ("pipe",))
    report = _differ.compare_with_old(settings, made_up_runs(fields))
    assert report.same, printed(report, capsys)


# The mark is where the harness left lines out, not where its head of a stream filled: a
# stream the tail kept the rest of is whole, and a diff of two whole streams compares every line.
@pytest.mark.parametrize(("lines", "cut"), [(15, False), (16, False), (17, True)])
def test_a_stream_is_marked_cut_only_where_a_line_was_left_out(lines, cut):
    from portproof._stream import Lines

    stream = Lines(strip_cr=False, head=48, tail=48)  # 8 lines of 6 bytes (5, an end) each way
    stream.feed(b"".join(b"line%d\n" % (n % 10) for n in range(lines)), 0.1, 0.0)
    texts = [line.text for line in stream.lines]
    assert (TRUNCATED in texts, stream.truncated) == (cut, cut)
    assert texts[-1] == f"line{(lines - 1) % 10}"
    assert len(texts) == (8 + 1 + 8 if cut else lines)


HANG = Difference("ending", "ends with timed out, not exit status 0")
EXCEPTION = Difference("exception", "uncaught exception ValueError: x, not none",
                       ("- none", "+ ValueError: x"))
HUNG = {"timeout": 2.0, "returncode": None, "hung_commands": {200: "python new.py"},
        "stacks": {200: 'File "new.py", line 9, in <module>'}}


# A run of NEW that timed out where no run of OLD did is a difference no more runs undo: the
# cell is not run again, in that mode or another, and the report says so, with the stacks.
def test_a_cell_that_hung_is_not_run_again(capsys):
    made = []
    runs = made_up_runs(lambda python, script, n: {
        "lines": [Line("done", 0.1)], "returncode": 0,
        **(HUNG if python is PY313 else {})}, made)
    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY,
                            (DiffCell(PY312, "fork"), DiffCell(PY313, "fork")), MODES,
                            options=RunOptions(timeout=2.0), new_timeout=2.0)
    report = _differ.compare_with_old(settings, runs)
    fine, hung = report.cells
    assert fine.same and fine.runs == {"pty": 1, "pipe": 1}
    assert [k for k in made if k[0] == hung.cell] == [(hung.cell, "pty", 0)]
    assert hung.runs == {"pty": 1, "pipe": 0}
    assert HANG in hung.differences["pty"]
    out = printed(report, capsys)
    assert "  ends with timed out, not exit status 0" in under(out, "DIFF 3.13 fork (pty):")
    assert under(out, "hung 3.13 fork (pty): timed out after 2 s; not run again") == [
        '  pid 200 (python new.py): File "new.py", line 9, in <module>']
    cell = _diff_report.as_json(report)["cells"][1]
    assert cell["timed_out"] == {"mode": "pty", "after": 2.0, "stacks": [
        'pid 200 (python new.py): File "new.py", line 9, in <module>']}


# In the confirming stage, OLD's runs stop in a mode once they explain every run of NEW there:
# NEW's first run on 3.13 lacks a line that OLD's sixth run lacks too, so OLD makes 6 runs per
# mode, not 9, and the cell is the same.
def test_olds_runs_stop_in_each_mode_once_they_explain_news(capsys):
    made = []
    runs = made_up_runs(lambda python, script, n: {
        "lines": [Line("a", 0.1)] + [Line("b", 0.2)] * (0 if n == (0 if python is PY313 else 5)
                                                          else 1),
        "returncode": 0}, made)
    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY,
                            (DiffCell(PY312, "fork"), DiffCell(PY313, "fork")), MODES)
    report = _differ.compare_with_old(settings, runs)
    assert report.same
    assert sorted(k for k in made if k[0] in MODES) == [
        (mode, n) for mode in sorted(MODES) for n in range(6)]
    out = printed(report, capsys)
    assert out[0].startswith("portproof diff: OLD /work/old.py on Python 2.7 fork, 6 runs per")


# When OLD too times out in a run of its confirmation, NEW's hang is no difference: the runs
# left out are made after all, and the cell can be the same.
def test_a_hang_that_old_shows_too_leaves_no_run_out():
    made = []
    runs = made_up_runs(lambda python, script, n: {
        "lines": [Line("done", 0.1)], "returncode": 0,
        **(HUNG if (python is PY313 and n == 0) or (python is OLD_PY and n == 4) else {})},
        made)
    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY, (DiffCell(PY313, "fork"),),
                            MODES, options=RunOptions(timeout=2.0))
    report = _differ.compare_with_old(settings, runs)
    (cell,) = report.cells
    assert cell.same
    assert cell.runs["pipe"] >= 1
    assert cell.timed_out is None


# The closing hint of `port` points first at a hang, then at a new uncaught exception, then at
# the rest, wherever the report's first DIFF is.
@pytest.mark.parametrize(("new", "where", "first"), [
    pytest.param([CHANGED], "every cell", [CHANGED], id="changed-only"),
    pytest.param([CHANGED, EXCEPTION], "3.13 fork", [EXCEPTION], id="exception-first"),
    pytest.param([CHANGED, EXCEPTION, HANG], "3.13 fork", [HANG, EXCEPTION], id="hang-first"),
])
def test_the_closing_hint_ranks_a_hang_and_an_exception_first(new, where, first, capsys):
    report = made_up_report({(PY312, "fork"): {"pty": [CHANGED], "pipe": [CHANGED]},
                             (PY313, "fork"): {"pty": new, "pipe": new}})
    assert _diff_report.first_differences(report, 3) == (where, [d.text for d in first],
                                                         len(first))
    # The report says them in that order under their DIFF too.
    assert under(printed(report, capsys), f"DIFF {where}:")[:len(first)] == [
        f"  {d.text}" for d in first]


# A run of a cell that hangs while the run goes is stopped, not waited for to its timeout.
def test_a_run_whose_cell_hangs_while_it_goes_is_stopped(monkeypatch):
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from portproof import _diff_options, _run, _terminal

    def run_script(python, script, method, mode, options, cancel):
        if mode == "pty":  # times out first
            time.sleep(0.3)
            return Trace(script, "3.13.0", method, mode, 100, **HUNG)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if cancel.is_set():
                raise _run.Cancelled(script)
            time.sleep(0.01)
        return Trace(script, "3.13.0", method, mode, 100, returncode=0)

    monkeypatch.setattr(_run, "run_script", run_script)
    hung = set()
    cell = DiffCell(PY313, "spawn")
    calls = {(cell, mode, 0): (PY313, "/work/new.py", "spawn", mode, RunOptions())
             for mode in MODES}
    start = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        made = dict(_diff_options._runs(pool, threading.Event(), _terminal.Bar(), calls,
                                        lambda key: key[0] in hung,
                                        lambda key, trace: hung.add(key[0])))
    assert list(made) == [(cell, "pty", 0)]
    assert time.monotonic() - start < 5


# NEW's runs stop at a limit learned from OLD's: a port that hangs where OLD ends in a fraction
# of a second is said to hang after NEW_LIMIT_FACTOR times OLD's slowest run, at least
# NEW_LIMIT_FLOOR, at most OLD's limit; a --timeout given is every run's limit.
@pytest.mark.parametrize(("walls", "given"), [
    pytest.param((0.2, 0.4, 0.3), None, id="floor"),
    pytest.param((2.0, 3.0, 2.5), None, id="factor"),
    pytest.param((9.0, 8.0, 7.0), None, id="old-limit"),
    pytest.param((0.2, 0.4, 0.3), 5.0, id="given"),
])
def test_news_runs_stop_at_a_limit_learned_from_olds(walls, given, capsys):
    from portproof import timeouts

    limits = {}

    def runs(calls, skip=lambda key: False, ended=lambda key, trace: None):
        for key, (python, script, method, mode, options) in calls.items():
            limits[python is OLD_PY, key[-1]] = options.timeout
            fields = ({"wall": walls[key[-1] % 3], "returncode": 0} if python is OLD_PY
                      else {"wall": options.timeout, **HUNG, "timeout": options.timeout})
            trace = Trace(script, f"{python.minor}.0", method, mode, 100,
                          lines=[Line("done", 0.1)], **fields)
            ended(key, trace)
            yield key, trace

    old_limit = given or timeouts.RUN
    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY, (DiffCell(PY313, "fork"),),
                            ("pipe",), options=RunOptions(timeout=old_limit), new_timeout=given)
    report = _differ.compare_with_old(settings, runs)
    new_limit = given or min(max(timeouts.NEW_LIMIT_FLOOR,
                                 timeouts.NEW_LIMIT_FACTOR * max(walls)), old_limit)
    assert {limit for (old, _), limit in limits.items() if old} == {old_limit}
    assert {limit for (old, _), limit in limits.items() if not old} == {new_limit}
    out = printed(report, capsys)
    hung = next(line for line in out if line.startswith("hung "))
    assert f"timed out after {new_limit:g} s" in hung
    learned = f"{timeouts.NEW_LIMIT_FACTOR:g} times OLD's slowest run ({max(walls):g} s)"
    assert (learned in hung) == (given is None), hung
    assert _diff_report.as_json(report)["cells"][0]["timed_out"]["after"] == new_limit


# A cell that differs in one mode by what OLD never varies in, in every run, differs whatever
# more runs show: neither OLD nor the cell runs more to settle its other mode, and what that
# mode showed of a kind OLD varies in, unsettled (here in each of its 3 runs), is said neither
# as a difference nor as unstable.
def test_a_cell_that_differs_is_not_settled_in_its_other_mode():
    def fields(python, script, n):
        new, mode = python is PY313, script  # made_up_runs passes the script: its mode here
        lines = ["a"] + ["b"] * (0 if new and mode == "pty" else 1)
        lines += ["c"] * (2 if new and mode == "pipe" else
                          0 if not new and n == 1 else 1)
        return {"lines": [Line(line, 0.1) for line in lines], "returncode": 0}

    def runs(calls, skip=lambda key: False, ended=lambda key, trace: None):
        made = made_up_runs(fields)
        return made({key: (python, mode, method, mode, options)
                     for key, (python, _, method, mode, options) in calls.items()}, skip, ended)

    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY, (DiffCell(PY313, "fork"),),
                            MODES)
    report = _differ.compare_with_old(settings, runs)
    (cell,) = report.cells
    assert cell.verdict == "differs"
    assert ({m: len(o) for m, o in report.baseline.items()}, cell.runs) == (
        {"pty": 9, "pipe": 9}, {"pty": 3, "pipe": 3})
    assert [d.text for d in cell.differences["pty"]] == ["stdout line missing: 'b'"]
    assert (cell.differences["pipe"], cell.unstable) == ([], {"pty": [], "pipe": []})


# An unstable cell looks neither like a same one nor like a DIFF: its own word in the matrix,
# its own lines (what showed, in how many runs), its own count in the last line, its own JSON
# verdict, and `port`'s closing hint points at it.
def test_an_unstable_cell_is_said_as_such_everywhere(capsys):
    def fields(python, script, n):
        twice = python is PY313 and n in (0, 5) or python is OLD_PY and n == 1
        return {"lines": [Line("a", 0.1)] + [Line("b", 0.2)] * (2 if twice and python is PY313
                                                                else 0 if twice else 1),
                "returncode": 0}

    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY,
                            (DiffCell(PY312, "fork"), DiffCell(PY313, "fork")), ("pipe",))
    report = _differ.compare_with_old(settings, made_up_runs(fields))
    assert [c.verdict for c in report.cells] == ["same", "unstable"]
    out = printed(report, capsys)
    assert out[out.index("verdict  same  unstable") - 3:][:4] == [
        "         NEW", "         3.12  3.13", "         fork  fork", "verdict  same  unstable"]
    assert under(out, "unstable 3.13 fork (pipe): shown in some runs only") == [
        "  in 2 of 8 runs: stdout line added: 'b' (OLD's runs vary in it too)"]
    assert not [line for line in out if line.startswith("DIFF")]
    assert out[-1] == "1 of 2 cells same, 1 unstable"
    data = _diff_report.as_json(report)
    assert (data["verdict"], data["same"]) == ("unstable", False)
    assert [c["verdict"] for c in data["cells"]] == ["same", "unstable"]
    assert data["cells"][1]["unstable"] == [{"mode": "pipe", "kind": "extra",
                                             "text": "stdout line added: 'b'", "lines": [],
                                             "shown": 2, "runs": 8, "old_varies": True}]
    assert (data["cells"][1]["differences"], data["cells"][0]["unstable"]) == ([], [])
    assert _diff_report.first_unstable(report, 3) == (
        "3.13 fork (pipe)", ["in 2 of 8 runs: stdout line added: 'b' (OLD's runs vary in it too)"],
        1)


@pytest.mark.parametrize(("verdicts", "said"), [
    (["same", "same"], "2 of 2 cells same"),
    (["same", "differs", "unstable", "unstable"], "1 of 4 cells same, 1 differ, 2 unstable"),
])
def test_the_last_line_counts_each_verdict(verdicts, said):
    assert _diff_report.summary(verdicts) == said


# A diff stopped while NEW runs: the cells judged so far, and what a run showed that OLD's did
# not, said as not confirmed.
def test_a_stopped_diff_says_the_cells_it_judged_and_what_it_saw(capsys):
    cells = (DiffCell(PY312, "fork"), DiffCell(PY313, "fork"), DiffCell(PY313, "spawn"))
    settings = DiffSettings("/work/old.py", "/work/new.py", OLD_PY, cells, ("pipe",))
    made_up = made_up_runs(lambda python, script, n: {
        "lines": [Line("done" if script == "/work/old.py" or python is PY312 else "gone", 0.1)],
        "returncode": 0})

    def runs(calls, skip=lambda key: False, ended=lambda key, trace: None):
        for key, trace in made_up(calls, skip, ended):
            if key[0] == cells[2]:  # the stop comes while the last cell's run goes
                raise KeyboardInterrupt
            yield key, trace

    so_far = _differ.SoFar()
    with pytest.raises(KeyboardInterrupt):
        _differ.compare_with_old(settings, runs, so_far=so_far)
    assert _diff_report.print_stopped(settings, so_far) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[out.index("verdict  same  -     -"):] == [
        "verdict  same  -     -",
        "",
        "seen so far in 3.13 fork, not confirmed:",
        "  stdout line changed: 'done' is now 'gone'",
        "      - done",
        "      + gone",
        "stopped: 1 of 3 cells judged",
    ]

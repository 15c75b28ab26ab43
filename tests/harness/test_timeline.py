"""`portproof timeline`: the rows and bars made of a trace (no subprocess), the picture drawn of a
real run, its bad input, and MIGRATION.md's committed pool picture against a fresh run's."""
import importlib.util
import json
import os
import sys
import xml.etree.ElementTree as ET

import pytest

from _suite import INTERPRETERS, PY3, ROOT
from portproof import _plot, _timeline
from portproof._cli import main
from portproof._record import ProcessInfo
from portproof._trace import Line, Trace
from portproof.specs import SPECS

HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
needs_matplotlib = pytest.mark.skipif(not HAVE_MATPLOTLIB,
                                      reason="matplotlib is not installed (the 'plot' extra)")
POOL = os.path.join(ROOT, "py3_port", "pool.py")
FIGURE = os.path.join(ROOT, "docs", "pool_timeline.json")
PARENT, W1, W2, W3, TRACKER = 100, 101, 102, 103, 99


def pool_trace(**changes) -> Trace:
    """A pool run as the boot records it: the parent, a resource tracker that starts before the
    workers, three workers; five tasks, three at a time, the 4th and 5th on freed workers."""
    processes = [
        ProcessInfo(PARENT, 1, None, None, 0.10, 5.0, ["python", "pool.py"]),
        ProcessInfo(W2, PARENT, "SpawnPoolWorker-2", "spawn", 0.52, 4.9),
        ProcessInfo(TRACKER, PARENT, None, None, 0.30, 5.1,
                    ["python", "-c", "from multiprocessing.resource_tracker import main;main(5)"]),
        ProcessInfo(W1, PARENT, "SpawnPoolWorker-1", "spawn", 0.50, 4.9),
        ProcessInfo(W3, PARENT, "SpawnPoolWorker-3", "spawn", 0.55, None),
    ]
    lines = [
        (0.2, f"Current process {PARENT}."),
        (0.3, "Waiting for all subprocess done..."),
        (1.0, f"Child process 0({W1}) is running."),
        (1.0, f"Child process 1({W2}) is running."),
        (1.1, f"Child process 2({W3}) is running."),
        (2.0, f"Child process 1({W2}) end."),
        (2.0, f"Child process 3({W2}) is running."),
        (3.0, f"Child process 0({W1}) end."),
        (3.0, f"Child process 4({W1}) is running."),
        (3.5, f"Child process 2({W3}) end."),
        (4.0, f"Child process 3({W2}) end."),
        (4.5, f"Child process 4({W1}) end."),
        (4.95, "All subprocess done..."),
    ]
    fields = dict(script="/x/pool.py", python="3.13.0", start_method="spawn", mode="pty",
                  pid=PARENT, lines=[Line(text, t) for t, text in lines], processes=processes,
                  wall=5.2, returncode=0)
    fields.update(changes)
    return Trace(**fields)


def by_label(timeline):
    return {row.label: row for row in timeline.rows}


# The model: plain data made of a trace, no process run, no matplotlib.


def test_rows_are_the_parent_then_the_others_in_order_of_start():
    timeline = _plot.model(pool_trace())
    assert [row.label for row in timeline.rows] == [
        "parent", "resource tracker", "SpawnPoolWorker-1", "SpawnPoolWorker-2",
        "SpawnPoolWorker-3"]


def test_times_are_from_the_parents_start_and_lives_end_at_their_recorded_end():
    rows = by_label(_plot.model(pool_trace()))
    assert rows["parent"].life.start == 0.0
    assert rows["parent"].life.end == pytest.approx(4.9)
    assert rows["SpawnPoolWorker-1"].life.start == pytest.approx(0.4)
    assert rows["SpawnPoolWorker-1"].life.ended


def test_a_process_whose_end_was_not_recorded_lasts_to_the_end_of_the_run():
    timeline = _plot.model(pool_trace())
    worker = by_label(timeline)["SpawnPoolWorker-3"]
    assert not worker.life.ended
    assert worker.life.end == pytest.approx(timeline.end) == pytest.approx(5.1)


def test_a_line_is_marked_on_the_row_of_the_pid_it_names_else_the_parents():
    rows = by_label(_plot.model(pool_trace()))
    assert [m.text for m in rows["parent"].marks] == [
        f"Current process {PARENT}.", "Waiting for all subprocess done...",
        "All subprocess done..."]
    assert [m.text for m in rows["SpawnPoolWorker-2"].marks] == [
        f"Child process 1({W2}) is running.", f"Child process 1({W2}) end.",
        f"Child process 3({W2}) is running.", f"Child process 3({W2}) end."]
    assert rows["resource tracker"].marks == []


def test_a_number_that_is_no_pid_of_the_run_does_not_move_a_line():
    trace = pool_trace(lines=[Line("Child process 0(4242) is running.", 1.0)])
    assert [len(row.marks) for row in _plot.model(trace).rows] == [1, 0, 0, 0, 0]


def test_without_a_spec_there_are_no_tasks_and_no_kinds():
    timeline = _plot.model(pool_trace())
    assert timeline.counts() == {"rows": 5, "marks": 13, "tasks": 0}
    assert {m.kind for row in timeline.rows for m in row.marks} == {None}


def test_the_pools_tasks_are_bars_on_their_workers_rows():
    rows = by_label(_plot.model(pool_trace(), SPECS["pool"]))
    tasks = {label: [(t.label, t.start, t.end) for t in row.tasks] for label, row in rows.items()}
    assert tasks == {
        "parent": [],
        "resource tracker": [],
        "SpawnPoolWorker-1": [("task 0", pytest.approx(0.9), pytest.approx(2.9)),
                              ("task 4", pytest.approx(2.9), pytest.approx(4.4))],
        "SpawnPoolWorker-2": [("task 1", pytest.approx(0.9), pytest.approx(1.9)),
                              ("task 3", pytest.approx(1.9), pytest.approx(3.9))],
        "SpawnPoolWorker-3": [("task 2", pytest.approx(1.0), pytest.approx(3.4))],
    }


def test_the_4th_task_waits_for_a_free_worker():
    timeline = _plot.model(pool_trace(), SPECS["pool"])
    tasks = {t.label: t for row in timeline.rows for t in row.tasks}
    first_three_end = min(tasks[f"task {n}"].end for n in "012")
    assert tasks["task 3"].start >= first_three_end
    assert timeline.counts() == {"rows": 5, "marks": 13, "tasks": 5}


def test_a_task_never_ended_runs_to_the_end_of_the_run():
    trace = pool_trace()
    trace.lines = [line for line in trace.lines if line.text != f"Child process 2({W3}) end."]
    timeline = _plot.model(trace, SPECS["pool"])
    (task,) = by_label(timeline)["SpawnPoolWorker-3"].tasks
    assert (task.label, task.ended, task.end) == ("task 2", False, timeline.end)


def test_spec_kinds_label_the_marks():
    rows = by_label(_plot.model(pool_trace(), SPECS["pool"]))
    assert [m.kind for m in rows["parent"].marks] == ["parent", "waiting", "done"]


def test_the_title_names_script_interpreter_method_mode_and_timing():
    assert _plot.model(pool_trace(), script="py3_port/pool.py", time_scale=0.05).title == (
        "py3_port/pool.py on Python 3.13.0, spawn, pty, sleeps x0.05")
    assert _plot.model(pool_trace()).title.endswith(", real time")


def test_the_model_is_plain_json():
    data = json.loads(json.dumps(_plot.model(pool_trace(), SPECS["pool"]).as_json()))
    assert data["counts"] == {"rows": 5, "marks": 13, "tasks": 5}
    assert data["rows"][0]["label"] == "parent"


@pytest.mark.parametrize(("script", "named", "expected"), [
    ("py3_port/pool.py", None, "pool"),
    ("mine/queue_timeout.py", None, "queue_timeout"),
    ("mine/my_pool.py", None, None),
    ("mine/my_pool.py", "pool", "pool"),
])
def test_the_example_is_named_or_guessed_from_the_file_name(script, named, expected):
    assert _timeline.example_of(script, named) == expected


# The command: bad input is one line and exit 2, and leaves nothing behind.


def one_error_line(capsys) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize(("args", "says"), [
    pytest.param(["no/such/script.py", "-o", "{tmp}/x.svg"], "does not exist", id="no-script"),
    pytest.param([POOL, "-o", "{tmp}/x.pdf"], "ending in .svg or .png", id="bad-suffix"),
    pytest.param([POOL, "-o", "{tmp}/no/such/folder/x.png"], "does not exist", id="no-folder"),
    pytest.param([POOL, "-o", "{tmp}"], "is a directory", id="output-is-a-folder"),
    pytest.param([POOL, "-o", "/proc/portproof-timeline.svg"], "cannot write", id="unwritable"),
    pytest.param([POOL, "-o", "{tmp}/x.svg", "--example", "nope"], "unknown example",
                 id="unknown-example"),
    pytest.param([POOL, "-o", "{tmp}/x.svg", "--start-method", "thread"], "invalid choice",
                 id="bad-start-method"),
])
def test_bad_input_is_one_line_and_exit_2_and_nothing_is_written(args, says, tmp_path, capsys):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["timeline", *args]) == 2
    err = one_error_line(capsys)
    assert err.startswith("portproof: error: ") and says in err, err
    assert os.listdir(tmp_path) == []


def test_without_matplotlib_it_says_what_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    assert main(["timeline", POOL, "-o", str(tmp_path / "x.svg")]) == 2
    err = one_error_line(capsys)
    assert "pip install 'portproof[plot]'" in err
    assert os.listdir(tmp_path) == []


@needs_matplotlib
def test_a_failed_drawing_leaves_no_file_and_the_old_picture_whole(monkeypatch, tmp_path):
    from matplotlib.figure import Figure

    picture = tmp_path / "x.svg"
    picture.write_text("the old picture")

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(Figure, "savefig", broken)
    with pytest.raises(RuntimeError):
        _plot.draw([_plot.model(pool_trace(), SPECS["pool"])], str(picture))
    assert os.listdir(tmp_path) == ["x.svg"]
    assert picture.read_text() == "the old picture"


# A real run through the command: the newest Python 3, as the command's default.


@needs_matplotlib
@pytest.mark.skipif(not PY3, reason="no Python 3 on PATH or in pyenv's versions folder")
@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_a_real_pool_run_draws_a_picture(suffix, tmp_path, capsys):
    picture = tmp_path / f"pool.{suffix}"
    assert main(["timeline", POOL, "--python", PY3[-1].path, "-o", str(picture)]) == 0
    out, err = capsys.readouterr()
    assert out.strip().endswith(", 13 lines, 5 tasks"), out
    assert os.listdir(tmp_path) == [picture.name]  # no temporary file beside it
    if suffix == "svg":
        assert ET.parse(picture).getroot().tag == "{http://www.w3.org/2000/svg}svg"
        assert "SpawnPoolWorker" not in picture.read_text()  # fork, the first method
        assert "ForkPoolWorker-3" in picture.read_text()
    else:
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert oct(picture.stat().st_mode & 0o777) == oct(0o666 & ~current_umask())


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# MIGRATION.md's pool picture: the committed rows and bars are those a fresh run makes. Counts,
# not times or pixels: each run's timing differs.


def committed_panels():
    with open(FIGURE, encoding="utf-8") as f:
        panels = json.load(f)["panels"]
    return [pytest.param(p, id=f"{p['side']}-{p['python']}-{p['start_method']}")
            for p in panels]


def test_migration_shows_the_committed_pool_picture():
    with open(os.path.join(ROOT, "MIGRATION.md"), encoding="utf-8") as f:
        doc = f.read()
    assert "<!-- generated: timeline pool -->\n![" in doc
    assert "](docs/pool_timeline.svg)\n<!-- end generated -->" in doc
    assert ET.parse(os.path.join(ROOT, "docs", "pool_timeline.svg")).getroot().tag.endswith("svg")
    sides = [(p.values[0]["side"], p.values[0]["start_method"]) for p in committed_panels()]
    assert sides == [("py2_original", "fork"), ("py3_port", "fork"), ("py3_port", "spawn"),
                     ("py3_port", "forkserver")]


@pytest.mark.parametrize("panel", committed_panels())
def test_committed_pool_picture_has_the_rows_and_bars_of_a_fresh_run(panel):
    python = INTERPRETERS.get(panel["python"])
    if python is None:
        pytest.skip(f"no Python {panel['python']} to run the panel again")
    spec = importlib.util.spec_from_file_location(
        "migration", os.path.join(ROOT, "scripts", "migration.py"))
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    # Sleeps scaled: the structure does not depend on how long the tasks take.
    fresh = migration.timeline_model("pool", panel["side"], python, panel["start_method"],
                                     time_scale=0.05, mode=panel["mode"])
    assert fresh.counts() == panel["counts"]
    assert [row.label for row in fresh.rows][:1] == [panel["rows"][0]["label"]]
    assert sorted(row.label for row in fresh.rows) == sorted(r["label"] for r in panel["rows"])


# The picture read right: a legend entry for every kind of mark drawn, no mark hidden by another,
# every label readable on what it is drawn on. Read from matplotlib's figure, before it is saved.


def every_mark_trace() -> Trace:
    """A pool run with each kind of mark: lives that ended and one whose end was not recorded,
    tasks that ended and one that did not, lines printed."""
    trace = pool_trace()
    trace.lines = [line for line in trace.lines if line.text != f"Child process 2({W3}) end."]
    return trace


def drawn_styles(fig) -> set:
    """The look of every bar and mark drawn on the figure's axes, as a legend handle has it."""
    from matplotlib.colors import to_hex
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    styles = set()
    for ax in fig.axes:
        for artist in [*ax.patches, *ax.lines]:
            if isinstance(artist, Rectangle):
                styles.add(("bar", to_hex(artist.get_facecolor()), artist.get_hatch() or ""))
            elif isinstance(artist, Line2D) and artist.get_marker() not in (None, "None", ""):
                styles.add(("mark", to_hex(artist.get_color()), artist.get_marker()))
    return styles


def legend_styles(fig) -> dict:
    from matplotlib.colors import to_hex
    from matplotlib.lines import Line2D

    (legend,) = (ax.get_legend() for ax in fig.axes if ax.get_legend())
    handles = legend.legend_handles if hasattr(legend, "legend_handles") else legend.legendHandles
    styles = {}
    for handle, text in zip(handles, legend.get_texts(), strict=True):
        if isinstance(handle, Line2D):
            style = ("mark", to_hex(handle.get_color()), handle.get_marker())
        else:
            style = ("bar", to_hex(handle.get_facecolor()), handle.get_hatch() or "")
        styles[style] = text.get_text()
    return styles


@needs_matplotlib
@pytest.mark.parametrize("trace", [
    pytest.param(every_mark_trace(), id="every-kind"),
    pytest.param(pool_trace(processes=[p if p.end is not None else
                                       ProcessInfo(p.pid, p.ppid, p.name, p.start_method,
                                                   p.start, 4.9)
                                       for p in pool_trace().processes]), id="all-ended"),
])
def test_the_legend_names_every_kind_of_mark_drawn_and_no_other(trace):
    with _plot.figure([_plot.model(trace, SPECS["pool"])]) as fig:
        drawn, legend = drawn_styles(fig), legend_styles(fig)
    assert set(legend) == drawn
    assert len(set(legend.values())) == len(legend), legend  # each its own words


@needs_matplotlib
def test_hatched_bars_say_their_end_was_not_recorded():
    with _plot.figure([_plot.model(every_mark_trace(), SPECS["pool"])]) as fig:
        legend = legend_styles(fig)
    hatched = sorted(text for (kind, _, hatch), text in legend.items() if kind == "bar" and hatch)
    assert len(hatched) == 2 and all("end" in text for text in hatched), legend


def mark_positions(fig) -> list[tuple[float, float]]:
    """Where each line's mark is drawn, in pixels."""
    positions = []
    for ax in fig.axes:
        for line in ax.lines:
            if line.get_marker() not in (None, "None", ""):
                positions += [tuple(p) for p in ax.transData.transform(line.get_xydata())]
    return positions


@needs_matplotlib
@pytest.mark.parametrize("lines", [
    pytest.param([(5.0, f"line {n}") for n in range(13)], id="13-on-one-row"),
    # pipe mode: each process's lines come when it exits, all at once
    pytest.param([(5.0, line.text) for line in pool_trace().lines], id="pool-all-at-exit"),
    pytest.param([(1.0 + n * 1e-4, f"line {n}") for n in range(5)], id="a-tenth-of-a-ms-apart"),
])
def test_lines_printed_at_one_moment_are_each_their_own_mark(lines):
    trace = pool_trace(lines=[Line(text, t) for t, text in lines])
    with _plot.figure([_plot.model(trace, SPECS["pool"])]) as fig:
        positions = mark_positions(fig)
        size = _plot.MARK_SIZE * fig.dpi / 72  # the mark's width, in pixels
        inside = fig.axes[0].get_window_extent()
    assert len(positions) == len(lines)
    assert all(inside.x0 <= x <= inside.x1 - size / 2 for x, _ in positions), (positions, inside)
    for i, (x1, y1) in enumerate(positions):
        for x2, y2 in positions[i + 1:]:
            assert abs(x1 - x2) >= size or abs(y1 - y2) >= size, (positions, size)


@needs_matplotlib
def test_marks_apart_stay_at_their_time():
    trace = pool_trace()
    with _plot.figure([_plot.model(trace, SPECS["pool"])]) as fig:
        ax = fig.axes[0]
        times = sorted(ax.transData.inverted().transform(p)[0] for p in mark_positions(fig))
    zero = trace.processes[0].start
    assert times[:2] == [pytest.approx(line.t - zero) for line in trace.lines[:2]]


def contrast(text, background) -> float:
    """WCAG 2.1's contrast ratio of two colours (coloraide computes it)."""
    from coloraide import Color
    from matplotlib.colors import to_hex

    return Color(to_hex(text)).contrast(Color(to_hex(background)), method="wcag21")


def background_of(text, fig):
    """The colour a text is drawn on: its own box, else the topmost bar that holds it whole,
    else the axes'; None when it lies across a bar's edge (on two colours)."""
    renderer = fig.canvas.get_renderer()
    box = text.get_bbox_patch()
    if box is not None:
        return box.get_facecolor()
    extent = text.get_window_extent(renderer)
    ax = text.axes
    behind = ax.get_facecolor() if ax else fig.get_facecolor()
    for patch in (ax.patches if ax else []):
        bar = patch.get_window_extent(renderer)
        if bar.contains(extent.x0, extent.y0) and bar.contains(extent.x1, extent.y1):
            behind = patch.get_facecolor()
        elif bar.overlaps(extent):
            return None
    return behind


def text_extent(text, fig):
    """Where a text is drawn, in pixels: its box if it has one."""
    renderer = fig.canvas.get_renderer()
    box = text.get_bbox_patch()
    return box.get_window_extent(renderer) if box is not None else text.get_window_extent(renderer)


def short_task_trace() -> Trace:
    """Tasks too short to hold their label: one the last of its row, one right before
    another task."""
    lines = [
        (1.0, f"Child process 0({W1}) is running."),
        (1.0, f"Child process 1({W2}) is running."),
        (1.1, f"Child process 2({W3}) is running."),
        (2.0, f"Child process 1({W2}) end."),
        (2.0, f"Child process 3({W2}) is running."),
        (2.01, f"Child process 3({W2}) end."),
        (2.01, f"Child process 5({W2}) is running."),
        (3.0, f"Child process 0({W1}) end."),
        (3.0, f"Child process 4({W1}) is running."),
        (3.01, f"Child process 4({W1}) end."),
        (3.5, f"Child process 2({W3}) end."),
        (4.0, f"Child process 5({W2}) end."),
    ]
    return pool_trace(lines=[Line(text, t) for t, text in lines])


@needs_matplotlib
@pytest.mark.parametrize("trace", [pytest.param(every_mark_trace(), id="pool"),
                                   pytest.param(short_task_trace(), id="short-tasks")])
def test_every_text_has_enough_contrast_with_what_it_is_drawn_on(trace):
    with _plot.figure([_plot.model(trace, SPECS["pool"])], "heading") as fig:
        fig.canvas.draw()  # where each text's box is
        texts = [t for t in fig.findobj(lambda a: a.__class__.__name__ == "Text")
                 if t.get_visible() and t.get_text()]
        seen = {(t.get_text(), str(background_of(t, fig))) for t in texts}
        low = [(t.get_text(), t.get_color(), background_of(t, fig)) for t in texts
               if background_of(t, fig) is None
               or contrast(t.get_color(), background_of(t, fig)) < 4.5]
        extents = [(t.get_text(), text_extent(t, fig)) for t in fig.axes[0].texts]
    assert {"0", "1", "2", "3", "4"} <= {text for text, _ in seen}
    assert low == []
    overlapping = [(a, b) for i, (a, one) in enumerate(extents) for b, other in extents[i + 1:]
                   if one.overlaps(other)]
    assert overlapping == []


@needs_matplotlib
@pytest.mark.parametrize(("background", "text"), list(_plot.LABELS.items()))
def test_each_label_colour_of_the_palette_has_enough_contrast(background, text):
    assert contrast(text, background) >= 4.5


@needs_matplotlib
@pytest.mark.skipif("3.13" not in INTERPRETERS, reason="no Python 3.13 to run the pool")
@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_every_process_of_a_real_pool_run_is_named_on_the_reports_timeline(
        method, tmp_path, capsys):
    report = tmp_path / "report.json"
    main(["check", "pool", POOL, "--python", "3.13", "--start-method", method, "--mode", "pty",
          "--runs", "1", "--json", str(report)])
    capsys.readouterr()
    (cell,) = json.loads(report.read_text())["cells"]
    (run,) = cell["runs"]
    labels = [row.label for row in _plot.model(_plot.trace_of(cell, run), SPECS["pool"]).rows]
    assert "resource tracker" in labels and ("forkserver" in labels) == (method == "forkserver")
    assert [label for label in labels if label.startswith("process ")] == [], labels


# multiprocessing's own processes, known by their command line when they have no name.
@pytest.mark.parametrize(("argv", "label"), [
    (["python", "-c", "from multiprocessing.resource_tracker import main;main(5)"],
     "resource tracker"),
    (["python", "-c", "from multiprocessing.semaphore_tracker import main;main(5)"],
     "semaphore tracker"),
    (["python", "-c", "from multiprocessing.forkserver import main; main(8, 9, ['__main__'])"],
     "forkserver"),
    (["python", "-c", "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5)",
      "--multiprocessing-fork"], "spawned child, not started"),
    (["python", "pool.py"], "process 1"),
])
def test_a_process_without_a_name_is_named_by_its_command_line(argv, label):
    trace = pool_trace(processes=[pool_trace().processes[0],
                                  ProcessInfo(TRACKER, PARENT, None, None, 0.3, 5.1, argv)])
    assert [row.label for row in _plot.model(trace).rows] == ["parent", label]


def test_a_child_the_forkserver_forked_before_it_was_named_is_not_the_forkserver():
    argv = ["python", "-c", "from multiprocessing.forkserver import main; main(8, 9, [])"]
    trace = pool_trace(processes=[pool_trace().processes[0],
                                  ProcessInfo(TRACKER, PARENT, None, None, 0.3, 5.1, argv),
                                  ProcessInfo(W1, TRACKER, None, None, 0.4, 5.0, argv)])
    assert [row.label for row in _plot.model(trace).rows] == [
        "parent", "forkserver", "forkserver's child, not started"]


# A report's page: the failed runs of a failing pool cell it draws, and those it does not.


def report_cell(failed: int, held: int) -> dict:
    runs = [{"mode": "pty", "n": n, "problems": ["task 1 never started"] if n <= failed else [],
             "pid": PARENT, "wall": 5.2,
             "lines": [{"t": line.t, "earliest": None, "text": line.text}
                       for line in pool_trace().lines],
             "processes": [{"pid": p.pid, "ppid": p.ppid, "name": p.name,
                            "start_method": p.start_method, "start": p.start, "end": p.end,
                            "argv": p.argv} for p in pool_trace().processes]}
            for n in range(1, failed + held + 1)]
    return {"id": "py3_port-3.13-spawn", "example": "pool", "script": POOL, "python": "3.13",
            "start_method": "spawn", "runs": runs}


def page_text(section: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag == "svg"

        def handle_endtag(self, tag):
            self.skip -= tag == "svg"

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(section)
    return " ".join(" ".join(parser.parts).split())


@needs_matplotlib
@pytest.mark.parametrize(("failed", "held", "drawn", "says"), [
    (3, 0, 2, ["pty run 1", "pty run 2", "Not drawn: pty run 3", "at most 2"]),
    (3, 1, 2, ["pty run 1", "pty run 2", "Not drawn: pty run 3", "at most 2", "pty run 4",
               "held"]),
    (1, 2, 1, ["pty run 1", "Not drawn: pty run 2, pty run 3", "held"]),
    (2, 0, 2, ["pty run 1", "pty run 2"]),
])
def test_the_page_says_which_runs_it_draws_and_which_not_and_why(failed, held, drawn, says):
    section = _plot.page_section(report_cell(failed, held))
    assert section.count("<svg") == 1
    text = page_text(section)
    assert f"{drawn} of {failed} failed run" in text, text
    for words in says:
        assert words in text, text
    assert ("Not drawn" in text) == (failed + held > drawn), text

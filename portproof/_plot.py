"""What ran when in one run, as a picture.

One row per process of the run (the parent first, then the others in order of start), a bar for
its life as the boot recorded it, a mark for each stdout line on the row of the process whose
pid it names (else the parent's), and, for an example, its spec's tasks as bars on their
workers' rows. `model` turns a Trace into plain data; `draw` needs matplotlib (the `plot` extra)
and writes the picture, all or nothing; every text a subject chose (its path, its processes'
names, its tasks') is drawn escaped (_escape), never read as matplotlib's math (`$...$`).
`page_section` draws a failing pool cell's failed runs from a report's JSON alone, for the
report's page (_report).
"""
from __future__ import annotations

import html
import io
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field

from portproof._escape import escape
from portproof._record import ProcessInfo
from portproof._spec import Spec
from portproof._trace import Line, Trace, timing
from portproof._usage import UsageError
from portproof.specs import SPECS

SUFFIXES = (".svg", ".png")
INSTALL = "pip install 'portproof[plot]'"
# The spec events that open and close a task of an example, on the row of the pid they name.
TASKS = {"pool": ("running", "end")}
# Commands of multiprocessing's helpers, as the boot records them (3.6/3.7: semaphore_tracker).
HELPERS = {"resource_tracker": "resource tracker", "semaphore_tracker": "semaphore tracker"}

# A process's life, a task, a line of output.
LIFE, TASK, MARK = "#dddddd", "#4c72b0", "#c44e52"


@dataclass(frozen=True)
class Span:
    start: float
    end: float
    label: str = ""
    ended: bool = True  # False: its end was not recorded, so it is drawn to the end of the run


@dataclass(frozen=True)
class Mark:
    t: float
    text: str
    kind: str | None = None  # the spec's event kind, if a spec knows the line


@dataclass
class Row:
    label: str
    life: Span
    marks: list[Mark] = field(default_factory=list)
    tasks: list[Span] = field(default_factory=list)


@dataclass
class Timeline:
    title: str
    rows: list[Row]
    end: float  # seconds from the parent's start to the end of the run

    def counts(self) -> dict[str, int]:
        """What a committed picture and a fresh run share: how many of each thing."""
        return {"rows": len(self.rows), "marks": sum(len(r.marks) for r in self.rows),
                "tasks": sum(len(r.tasks) for r in self.rows)}

    def as_json(self) -> dict:
        return {"counts": self.counts(), **asdict(self)}


def _label(process, index: int) -> str:
    if process.name:
        return process.name
    if process.start_method == "forkserver-server":
        return "forkserver"
    for arg in process.argv:
        for helper, label in HELPERS.items():
            if helper in arg:
                return label
    return f"process {index}"


def title(trace: Trace, script: str, time_scale: float) -> str:
    return (f"{script} on Python {trace.python}, {trace.start_method}, {trace.mode}, "
            f"{timing(time_scale)}")


def model(trace: Trace, spec: Spec | None = None, *, script: str | None = None,
          time_scale: float = 1.0) -> Timeline:
    """The rows and bars of `trace`, times in seconds from the parent's start."""
    processes = {p.pid: p for p in trace.processes}  # a reused pid: its latest process
    parent = processes.get(trace.pid)
    zero = parent.start if parent else 0.0
    end = max([trace.wall, *(p.end for p in trace.processes if p.end is not None)]) - zero
    others = sorted((p for p in processes.values() if p.pid != trace.pid),
                    key=lambda p: p.start)
    rows: dict[int, Row] = {
        trace.pid: Row("parent", Span(0.0, parent.end - zero if parent and parent.end else end,
                                     ended=bool(parent and parent.end is not None)))}
    for index, p in enumerate(others, 1):
        rows[p.pid] = Row(_label(p, index), Span(p.start - zero, (p.end if p.end is not None
                                                                 else end + zero) - zero,
                                                ended=p.end is not None))
    kinds = _kinds(trace, spec)
    for index, line in enumerate(trace.lines, 1):
        pid = next((int(n) for n in re.findall(r"\d+", line.text) if int(n) in rows), trace.pid)
        rows[pid].marks.append(Mark(line.t - zero, line.text, kinds.get(index)))
    if spec is not None and spec.name in TASKS:
        _add_tasks(rows, trace, spec, zero, end)
    return Timeline(title(trace, script or trace.script, time_scale), list(rows.values()), end)


def _kinds(trace: Trace, spec: Spec | None) -> dict[int, str]:
    if spec is None:
        return {}
    parsed, _ = spec.parse(trace)
    return {e.index: e.kind for e in parsed.events}


def _add_tasks(rows: dict[int, Row], trace: Trace, spec: Spec, zero: float,
               end: float) -> None:
    """Each task as a bar from its opening line to its closing line, on the row of its pid; a
    task never closed runs to the end of the run."""
    opening, closing = TASKS[spec.name]
    parsed, _ = spec.parse(trace)
    open_tasks: dict[tuple[int, str], float] = {}
    for e in parsed.events:
        key = (e.pid, e.fields.get("name", ""))
        if e.kind == opening:
            open_tasks[key] = e.line.t - zero
        elif e.kind == closing and key in open_tasks and e.pid in rows:
            rows[e.pid].tasks.append(Span(open_tasks.pop(key), e.line.t - zero,
                                         f"task {key[1]}"))
    for (pid, name), start in open_tasks.items():
        if pid in rows:
            rows[pid].tasks.append(Span(start, end, f"task {name}", ended=False))


def pyplot():
    """matplotlib's pyplot on the Agg backend (no display), or a usage error saying what to
    install."""
    try:
        import matplotlib
    except ImportError:
        raise UsageError(f"timeline draws with matplotlib, which is not installed: "
                         f"{INSTALL}") from None
    matplotlib.use("Agg")
    from matplotlib import pyplot
    return pyplot


def draw(timelines: list[Timeline], path: str, heading: str | None = None) -> None:
    """One subplot per timeline, sharing the time axis, written to `path` (.svg or .png) whole
    or not at all."""
    _figure(timelines, heading, lambda fig: _save(fig, path))


def svg(timelines: list[Timeline]) -> str:
    """The picture as an <svg> element to put in a page: no XML prolog, and no comments (where
    matplotlib writes the text it draws, which a subject chose)."""
    out = io.BytesIO()
    _figure(timelines, None, lambda fig: fig.savefig(out, format="svg"))
    text = out.getvalue().decode("utf-8")
    return re.sub(r"<!--.*?-->", "", text[text.index("<svg"):], flags=re.S)


def _figure(timelines: list[Timeline], heading: str | None, save) -> None:
    plt = pyplot()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    heights = [max(len(t.rows), 1) * 0.45 + 0.9 for t in timelines]
    fig, axes = plt.subplots(len(timelines), 1, sharex=True, squeeze=False,
                             figsize=(10, sum(heights) + (0.4 if heading else 0)),
                             gridspec_kw={"height_ratios": heights})
    try:
        for ax, timeline in zip(axes[:, 0], timelines, strict=True):
            _draw_one(ax, timeline)
        axes[-1, 0].set_xlabel("seconds from the parent's start")
        axes[0, 0].legend(handles=[
            Patch(facecolor=LIFE, edgecolor="#888888", label="process alive"),
            Patch(facecolor=TASK, edgecolor="black", label="task running"),
            Line2D([], [], marker="v", color=MARK, linestyle="none", label="line printed")],
            loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, fontsize=7, frameon=False)
        if heading:
            fig.suptitle(escape(heading), parse_math=False)
        fig.tight_layout()
        save(fig)
    finally:
        plt.close(fig)


def _draw_one(ax, timeline: Timeline) -> None:
    n = len(timeline.rows)
    for y, row in enumerate(timeline.rows):
        life = row.life
        ax.barh(y, life.end - life.start, left=life.start, height=0.7, color=LIFE,
                edgecolor="#888888", hatch=None if life.ended else "//")
        for task in row.tasks:
            ax.barh(y, task.end - task.start, left=task.start, height=0.45, color=TASK,
                    edgecolor="black", linewidth=0.5, hatch=None if task.ended else "//")
            ax.text(task.start + timeline.end / 200, y, escape(task.label.replace("task ", "")),
                    va="center", fontsize=7, color="white", parse_math=False)
        if row.marks:
            ax.plot([m.t for m in row.marks], [y - 0.42] * len(row.marks), "v",
                    color=MARK, markersize=4, linestyle="none")
    ax.set_yticks(range(n), [escape(row.label) for row in timeline.rows], fontsize=8,
                  parse_math=False)
    ax.set_ylim(n - 0.4, -0.6)  # the parent on top
    ax.set_title(escape(timeline.title), fontsize=9, loc="left", parse_math=False)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)


def _save(fig, path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1]
    fd, partial = tempfile.mkstemp(prefix=".portproof-", suffix=suffix, dir=folder)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # as open() would make it, not mkstemp's 0600
        with os.fdopen(fd, "wb") as f:
            fig.savefig(f, format=suffix[1:].lower())
        os.replace(partial, path)
    except BaseException:
        os.unlink(partial)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# A report's page shows the timelines of a failing pool cell's failed runs, at most this many.
PAGE_RUNS = 2


def trace_of(cell: dict, run: dict) -> Trace:
    """A run as a report's JSON keeps it, as a trace again: what `model` needs of it."""
    return Trace(
        cell.get("script") or "", cell["python"], cell["start_method"], run["mode"], run["pid"],
        lines=[Line(line["text"], line["t"], line["earliest"]) for line in run["lines"]],
        wall=run["wall"],
        processes=[ProcessInfo(p["pid"], p["ppid"], p["name"], p["start_method"],
                                       p["start"], p["end"]) for p in run["processes"]])


def page_section(cell: dict) -> str:
    """The timelines of the failed runs of a failing cell whose example has tasks (the pool),
    for the report's page; without matplotlib, what to install."""
    if cell.get("example") not in TASKS:  # a diff's cell has none
        return ""
    failed = [run for run in cell["runs"] if run["problems"]][:PAGE_RUNS]
    if not failed:
        return ""
    try:
        pyplot()
    except UsageError:
        return f'<p class="muted">Timelines: {html.escape(INSTALL)}</p>'
    spec = SPECS[cell["example"]]
    timelines = []
    for run in failed:
        timeline = model(trace_of(cell, run), spec)
        timeline.title = f"{cell['id']}, {run['mode']} run {run['n']}"
        timelines.append(timeline)
    return f'<div class="timeline">{svg(timelines)}</div>'


"""What ran when in one run, as a picture.

One row per process of the run (the parent first, then the others in order of start; one with
no multiprocessing name named by its command line), a bar for its life as the boot recorded it,
a mark for each stdout line on the row of the process whose pid it names (else the parent's),
and, for an example, its spec's tasks as bars on their workers' rows. `model` turns a Trace
into plain data; `figure` lays it out: a legend entry for each kind of mark drawn and no other,
no mark on another, each task's label on a colour of LABELS; `draw` needs matplotlib (the
`plot` extra) and writes the picture, all or nothing; every text a subject chose (its path,
its processes' names, its tasks') is drawn escaped (_escape), never read as matplotlib's math
(`$...$`). `page_section` draws a failing pool cell's failed runs from a report's JSON alone,
for the report's page (_report), and says which runs it draws and which not.
"""
from __future__ import annotations

import html
import io
import os
import re
import tempfile
from contextlib import contextmanager
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
# What names a process that has no multiprocessing name, in its command line as the boot
# records it (3.6/3.7: semaphore_tracker). A child the forkserver forked has its command line.
HELPERS = {"resource_tracker": "resource tracker", "semaphore_tracker": "semaphore tracker",
           "multiprocessing.forkserver": "forkserver",
           "spawn_main": "spawned child, not started"}
FORKSERVER_CHILD = "forkserver's child, not started"

# A process's life, a task, a line of output; a label too long for its task's bar is drawn
# beside it, on a box of its own.
LIFE, TASK, MARK, BOX = "#dddddd", "#4c72b0", "#c44e52", "white"
LIFE_EDGE, TASK_EDGE, UNENDED = "#888888", "black", "//"
MARK_SIZE = 4  # points; marks closer than this plus MARK_GAP are set side by side
MARK_GAP = 1.5
# The colour of a task's label on each colour it can be drawn on (each pair: WCAG AA, 4.5:1).
LABELS = {TASK: "white", BOX: "black"}
LABEL_SIZE, LABEL_PAD = 7, 2.0  # points


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


def _label(process, index: int, processes: dict) -> str:
    if process.name:
        return process.name
    if process.start_method == "forkserver-server":
        return "forkserver"
    for helper, label in HELPERS.items():
        if any(helper in arg for arg in process.argv):
            parent = processes.get(process.ppid)
            if label == "forkserver" and parent is not None and parent.argv == process.argv:
                return FORKSERVER_CHILD
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
        life_end = (p.end if p.end is not None else end + zero) - zero
        rows[p.pid] = Row(_label(p, index, processes),
                          Span(p.start - zero, life_end, ended=p.end is not None))
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
    with figure(timelines, heading) as fig:
        _save(fig, path)


def svg(timelines: list[Timeline]) -> str:
    """The picture as an <svg> element to put in a page: no XML prolog, and no comments (where
    matplotlib writes the text it draws, which a subject chose)."""
    out = io.BytesIO()
    with figure(timelines) as fig:
        fig.savefig(out, format="svg")
    text = out.getvalue().decode("utf-8")
    return re.sub(r"<!--.*?-->", "", text[text.index("<svg"):], flags=re.S)


@contextmanager
def figure(timelines: list[Timeline], heading: str | None = None):
    """The picture as a matplotlib Figure, laid out and ready to save; closed after.

    Marks and task labels are placed in pixels once the layout is done, so that none hides
    another: marks that would touch are set side by side in order, the first at its time; a
    label that does not fit in its bar goes beside it, on a box of its own."""
    plt = pyplot()
    heights = [max(len(t.rows), 1) * 0.45 + 0.9 for t in timelines]
    fig, axes = plt.subplots(len(timelines), 1, sharex=True, squeeze=False,
                             figsize=(10, sum(heights) + (0.4 if heading else 0)),
                             gridspec_kw={"height_ratios": heights})
    try:
        for ax, timeline in zip(axes[:, 0], timelines, strict=True):
            _draw_bars(ax, timeline)
        axes[-1, 0].set_xlabel("seconds from the parent's start")
        _legend(fig, axes[0, 0], timelines)
        if heading:
            fig.suptitle(escape(heading), parse_math=False)
        fig.tight_layout()
        _draw_marks(fig, axes[:, 0], timelines)
        renderer = fig.canvas.get_renderer()
        for ax, timeline in zip(axes[:, 0], timelines, strict=True):
            _draw_labels(ax, timeline, renderer)
        yield fig
    finally:
        plt.close(fig)


def _legend(fig, ax, timelines: list[Timeline]) -> None:
    """An entry for each kind of mark the picture draws, and for no other."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.transforms import ScaledTranslation

    rows = [row for timeline in timelines for row in timeline.rows]
    tasks = [task for row in rows for task in row.tasks]
    kinds = [
        (any(r.life.ended for r in rows), "process alive", LIFE, LIFE_EDGE, None),
        (any(not r.life.ended for r in rows), "process alive, end not recorded", LIFE,
         LIFE_EDGE, UNENDED),
        (any(t.ended for t in tasks), "task running", TASK, TASK_EDGE, None),
        (any(not t.ended for t in tasks), "task running, end not printed", TASK, TASK_EDGE,
         UNENDED),
    ]
    handles = [Patch(facecolor=face, edgecolor=edge, hatch=hatch, label=label)
               for drawn, label, face, edge, hatch in kinds if drawn]
    if any(row.marks for row in rows):
        handles.append(Line2D([], [], marker="v", color=MARK, linestyle="none",
                              label="line printed"))
    # Above the first panel's title, at its right: a line of its own.
    above = ax.transAxes + ScaledTranslation(0, 14 / 72, fig.dpi_scale_trans)
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0),
              bbox_transform=above, ncol=len(handles), fontsize=7, frameon=False)


def _draw_bars(ax, timeline: Timeline) -> None:
    n = len(timeline.rows)
    for y, row in enumerate(timeline.rows):
        life = row.life
        ax.barh(y, life.end - life.start, left=life.start, height=0.7, color=LIFE,
                edgecolor=LIFE_EDGE, hatch=None if life.ended else UNENDED)
        for task in row.tasks:
            ax.barh(y, task.end - task.start, left=task.start, height=0.45, color=TASK,
                    edgecolor=TASK_EDGE, linewidth=0.5, hatch=None if task.ended else UNENDED)
    ax.set_yticks(range(n), [escape(row.label) for row in timeline.rows], fontsize=8,
                  parse_math=False)
    ax.set_ylim(n - 0.4, -0.6)  # the parent on top
    ax.set_title(escape(timeline.title), fontsize=9, loc="left", parse_math=False)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)


def _side_by_side(xs: list[float], step: float) -> list[float]:
    """`xs` (sorted) moved right as little as needs be to be `step` apart."""
    placed: list[float] = []
    for x in xs:
        placed.append(max(x, placed[-1] + step) if placed else x)
    return placed


def _draw_marks(fig, axes, timelines: list[Timeline]) -> None:
    """Each line's mark on its row, in pixels `MARK_SIZE + MARK_GAP` points apart at least.
    The time axis (shared) is widened first if marks set side by side would pass its end."""
    step = (MARK_SIZE + MARK_GAP) * fig.dpi / 72
    ax = axes[0]
    for _ in range(4):  # widening shrinks the seconds a step is: a few rounds settle it
        to_px = ax.transData.transform
        right = max((_side_by_side(sorted(to_px((m.t, 0))[0] for m in row.marks), step)[-1]
                     for timeline in timelines for row in timeline.rows if row.marks),
                    default=-1.0)
        x0, x1 = ax.get_xlim()
        edge = to_px((x1, 0))[0] - step
        if right <= edge:
            break
        per_second = (to_px((x1, 0))[0] - to_px((x0, 0))[0]) / (x1 - x0)
        ax.set_xlim(x0, x1 + (right - edge) / per_second * 1.1)
    ax.set_xlim(ax.get_xlim())  # fixed from here: marks and labels are placed in pixels
    for ax, timeline in zip(axes, timelines, strict=True):
        to_px, to_data = ax.transData.transform, ax.transData.inverted().transform
        for y, row in enumerate(timeline.rows):
            if not row.marks:
                continue
            xs = _side_by_side(sorted(to_px((m.t, y))[0] for m in row.marks), step)
            ax.plot([to_data((x, 0))[0] for x in xs], [y - 0.42] * len(xs), "v", color=MARK,
                    markersize=MARK_SIZE, linestyle="none")


def _draw_labels(ax, timeline: Timeline, renderer) -> None:
    """Each task's name at its bar's start, white on its bar where it fits, else beside the
    bar on a box of its own; a label starts after the one before it on its row ends."""
    to_px, to_data = ax.transData.transform, ax.transData.inverted().transform
    pad = LABEL_PAD * ax.figure.dpi / 72
    for y, row in enumerate(timeline.rows):
        taken = float("-inf")  # where the row's last label ends, in pixels
        for task in sorted(row.tasks, key=lambda t: t.start):
            start, end = to_px((task.start, y))[0], to_px((task.end, y))[0]
            text = ax.text(0, y, escape(task.label.replace("task ", "")), va="center",
                           fontsize=LABEL_SIZE, parse_math=False)
            width = text.get_window_extent(renderer).width
            left = max(start + pad, taken + pad)
            if left + width + pad <= end:
                text.set(x=to_data((left, y))[0], color=LABELS[TASK])
                taken = left + width
            else:
                left = max(end, taken) + 2 * pad
                text.set(x=to_data((left, y))[0], color=LABELS[BOX],
                         bbox={"boxstyle": f"square,pad={LABEL_PAD / LABEL_SIZE}",
                               "facecolor": BOX, "edgecolor": TASK, "linewidth": 0.5})
                taken = left + width + pad


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
                               p["start"], p["end"], p.get("argv") or [])
                   for p in run["processes"]])


def page_section(cell: dict) -> str:
    """The timelines of the failed runs of a failing cell whose example has tasks (the pool),
    for the report's page, with a line that says which runs are drawn and which are not, and
    why; without matplotlib, what to install."""
    if cell.get("example") not in TASKS:  # a diff's cell has none
        return ""
    failed = [run for run in cell["runs"] if run["problems"]]
    if not failed:
        return ""
    try:
        pyplot()
    except UsageError:
        return f'<p class="muted">Timelines: {html.escape(INSTALL)}</p>'
    spec = SPECS[cell["example"]]
    drawn = failed[:PAGE_RUNS]
    timelines = []
    for run in drawn:
        timeline = model(trace_of(cell, run), spec)
        timeline.title = f"{cell['id']}, {_run_name(run)}"
        timelines.append(timeline)
    return (f"<p>{html.escape(_drawn_or_not(cell['runs'], drawn, len(failed)))}</p>"
            f'<div class="timeline">{svg(timelines)}</div>')


def _run_name(run: dict) -> str:
    return f"{run['mode']} run {run['n']}"


def _drawn_or_not(runs: list[dict], drawn: list[dict], failed: int) -> str:
    said = [f"Timelines of {len(drawn)} of {failed} failed run{'s' if failed > 1 else ''}: "
            f"{', '.join(_run_name(run) for run in drawn)}."]
    cut = [run for run in runs if run["problems"] and run not in drawn]
    if cut:
        said.append(f"Not drawn: {', '.join(_run_name(run) for run in cut)} (a page draws at "
                    f"most {PAGE_RUNS} failed runs of a cell; their lines are above).")
    held = [run for run in runs if not run["problems"]]
    if held:
        said.append(f"Not drawn: {', '.join(_run_name(run) for run in held)} (they held).")
    return " ".join(said)

"""What a port costs in speed: multiprocessing's basic operations on every interpreter found x
every start method it has, each beside the raw limit beneath it on the same interpreter.

    python benchmarks/start_methods.py [--repeat N] [--python PY ...] [--quick] [--out DIR]

Each run of a cell is one child interpreter running benchmarks/start_methods_child.py (Python 2.7
and 3.x alike), which prints one sample of every figure as JSON; the runs go round-robin over the
cells, N times, so drift of a shared machine falls on every column alike. Writes to DIR (default
benchmarks/results/): start_methods.json (every sample), start_methods.md (medians with min-max,
and each figure as a multiple of its raw limit) and start_methods.svg (needs matplotlib: the
extra `pip install 'portproof[plot]'`). Prints the Markdown table.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from portproof import _args, _usage
from portproof._interpreters import START_METHODS, Interpreter

HERE = os.path.dirname(os.path.abspath(__file__))
CHILD = os.path.join(HERE, "start_methods_child.py")
RAW = "raw"
REPEAT = 7
# One child's run takes a few seconds (spawn's Pool on 2.7-era hardware included); a hung one
# is killed with its process group.
CHILD_TIMEOUT = 300.0
MB = 1e6


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    unit: str
    scale: float  # from the child's seconds or per-second figure to `unit`
    is_rate: bool  # higher is better
    limit: str  # what the raw limit is


FIGURES = [
    Figure("process_start", "Process start + join", "ms", 1e3, False,
           "os.fork() + os._exit(0) + waitpid"),
    Figure("pool", "Pool(3), 5 tasks, close + join", "ms", 1e3, False, "3 x the fork above"),
    Figure("queue_round_trip", "Queue round trip", "µs", 1e6, False,
           "1 byte each way over two os.pipe()s"),
    Figure("queue_1k", "Queue 1 KiB items", "MB/s", 1 / MB, True,
           "os.pipe() between two processes moving the same items"),
    Figure("queue_1m", "Queue 1 MiB items", "MB/s", 1 / MB, True, "as for 1 KiB"),
    Figure("pipe_1k", "Pipe 1 KiB items", "MB/s", 1 / MB, True, "as for Queue"),
    Figure("pipe_1m", "Pipe 1 MiB items", "MB/s", 1 / MB, True, "as for Queue"),
    Figure("value_increments", "Value += 1 under its lock", "k/s", 1e-3, True,
           "RawValue += 1, no lock"),
]


def raw_limits(sample: dict) -> dict:
    """The raw limit of every figure, from one sample of the raw cell."""
    limits = {"process_start": sample["fork"], "pool": 3 * sample["fork"],
              "queue_round_trip": sample["pipe_round_trip"],
              "value_increments": sample["value_increments"]}
    for size in ("1k", "1m"):
        limits[f"queue_{size}"] = limits[f"pipe_{size}"] = sample[f"os_pipe_{size}"]
    return limits


# The raw cell's own figures: the limits above, and pickle's share of the work.
PARTS = [("fork", "os.fork + waitpid", "ms", 1e3),
         ("pipe_round_trip", "os.pipe round trip", "µs", 1e6),
         ("os_pipe_1k", "os.pipe 1 KiB", "MB/s", 1 / MB),
         ("pickle_1k", "pickle dumps + loads 1 KiB", "MB/s", 1 / MB),
         ("os_pipe_1m", "os.pipe 1 MiB", "MB/s", 1 / MB),
         ("pickle_1m", "pickle dumps + loads 1 MiB", "MB/s", 1 / MB),
         ("value_increments", "RawValue += 1", "k/s", 1e-3)]


@dataclass(frozen=True)
class Cell:
    python: Interpreter
    method: str  # a start method, or RAW

    @property
    def name(self) -> str:
        return f"{self.python.minor}-{self.method}"


def cells_of(interpreters: list[Interpreter]) -> list[Cell]:
    return [Cell(python, method) for python in interpreters
            for method in (*(m for m in START_METHODS if m in python.start_methods), RAW)]


def run_child(cell: Cell, quick: bool) -> dict:
    command = [cell.python.path, "-B", CHILD, cell.method, *(["--quick"] if quick else [])]
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=CHILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RuntimeError(f"{cell.name}: no answer in {CHILD_TIMEOUT:g} s") from None
    if proc.returncode != 0:
        raise RuntimeError(f"{cell.name}: exit {proc.returncode}\n{err[-2000:]}")
    return json.loads(out)["figures"]


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarise(samples: dict[str, list[dict]], cells: list[Cell]) -> list[dict]:
    """Per cell: each figure's median, min and max in its unit, and its multiple of the raw
    limit (the figure's cost over the limit's: 2.0 means twice the time, or half the rate)."""
    rows = []
    for cell in cells:
        mine = samples[cell.name]
        if cell.method == RAW:
            per_sample = [raw_limits(s) for s in mine]
        else:
            per_sample = mine
        figures = {f.key: spread([s[f.key] * f.scale for s in per_sample]) for f in FIGURES}
        row = {"python": cell.python.minor, "version": ".".join(map(str, cell.python.version)),
               "method": cell.method, "figures": figures}
        if cell.method == RAW:
            row["parts"] = {k: spread([s[k] * scale for s in mine]) for k, _, _, scale in PARTS}
        rows.append(row)
    raw = {r["python"]: r["figures"] for r in rows if r["method"] == RAW}
    for row in rows:
        if row["method"] != RAW:
            limit = raw[row["python"]]
            row["times_limit"] = {
                f.key: (limit[f.key]["median"] / row["figures"][f.key]["median"] if f.is_rate
                        else row["figures"][f.key]["median"] / limit[f.key]["median"])
                for f in FIGURES}
    return rows


def machine() -> dict:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f
                          if line.startswith("model name")), model)
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "os": platform.platform()}


def number(x: float) -> str:
    """Three significant figures, never in exponent form."""
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.{2 - len(str(int(x))) + (x < 1)}f}" if x >= 0.01 else f"{x:.2g}"


def table(result: dict) -> str:
    m = result["machine"]
    head = ("| Python | start method | "
            + " | ".join(f"{f.title} ({f.unit})" for f in FIGURES) + " |\n"
            + "|---|---|" + "---:|" * len(FIGURES) + "\n")
    lines = [
        "# multiprocessing's basic operations, by interpreter and start method",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores (shared), {m['os']}. Date: {result['date']}. "
        f"Each figure: the median (min-max) of {result['repeat']} runs, the runs of every cell "
        "interleaved. Regenerate with `python benchmarks/start_methods.py`"
        + (" (this was a `--quick` smoke run: tiny sizes, not to be quoted)."
           if result["quick"] else "."),
        "",
        "The *raw limit* rows: the same work without multiprocessing, on the same interpreter: "
        + "; ".join(f"{f.title}: {f.limit}" for f in FIGURES) + ". MB is 10^6 bytes.",
        "",
        "## Figures",
        "",
        head.rstrip("\n"),
    ]
    for row in result["rows"]:
        method = "raw limit" if row["method"] == RAW else row["method"]
        cells = (f"{number(s['median'])} ({number(s['min'])}-{number(s['max'])})"
                 for s in (row["figures"][f.key] for f in FIGURES))
        lines.append(f"| {row['version']} | {method} | " + " | ".join(cells) + " |")
    lines += ["", "## Each figure as a multiple of its raw limit's cost",
              "", "Time over the limit's time, or the limit's rate over the rate: 1.0 is the "
              "limit, 10 is ten times its cost.", "", head.rstrip("\n")]
    for row in result["rows"]:
        if row["method"] != RAW:
            ratios = (number(row["times_limit"][f.key]) for f in FIGURES)
            lines.append(f"| {row['version']} | {row['method']} | " + " | ".join(ratios) + " |")
    lines += ["", "## The raw limits, and pickle's share", "",
              "A Queue or Pipe also pickles each item in the sender and unpickles it in the "
              "receiver, in parallel on two cores.", "",
              "| Python | " + " | ".join(f"{t} ({u})" for _, t, u, _ in PARTS) + " |",
              "|---|" + "---:|" * len(PARTS)]
    for row in result["rows"]:
        if row["method"] == RAW:
            parts = (row["parts"][k] for k, *_ in PARTS)
            lines.append(f"| {row['version']} | " + " | ".join(
                f"{number(s['median'])} ({number(s['min'])}-{number(s['max'])})" for s in parts)
                + " |")
    return "\n".join(lines) + "\n"


def plot(result: dict, path: str) -> bool:
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in result["rows"] if r["method"] != RAW]
    raw = {r["python"]: r["figures"] for r in result["rows"] if r["method"] == RAW}
    pythons = list(dict.fromkeys(r["python"] for r in rows))
    methods = [m for m in START_METHODS if any(r["method"] == m for r in rows)]
    colours = {"fork": "tab:blue", "spawn": "tab:orange", "forkserver": "tab:green"}
    width = 0.8 / len(methods)
    fig, axes = plt.subplots(2, 4, figsize=(16, 7.5), constrained_layout=True)
    for ax, figure in zip(axes.flat, FIGURES, strict=True):
        for n, method in enumerate(methods):
            xs, medians, low, high = [], [], [], []
            for x, python in enumerate(pythons):
                row = next((r for r in rows if r["python"] == python and r["method"] == method),
                           None)
                if row:
                    s = row["figures"][figure.key]
                    xs.append(x - 0.4 + width * (n + 0.5))
                    medians.append(s["median"])
                    low.append(s["median"] - s["min"])
                    high.append(s["max"] - s["median"])
            ax.bar(xs, medians, width, yerr=[low, high], color=colours[method], label=method,
                   error_kw={"elinewidth": 0.8, "capsize": 1.5})
        ax.scatter(range(len(pythons)), [raw[p][figure.key]["median"] for p in pythons],
                   marker="_", s=400, color="black", zorder=3, label="raw limit")
        ax.set_yscale("log")
        ax.set_title(f"{figure.title} ({figure.unit}, "
                     + ("higher" if figure.is_rate else "lower") + " is faster)", fontsize=9)
        ax.set_xticks(range(len(pythons)), pythons, fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    m = result["machine"]
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), fontsize=9)
    fig.suptitle(f"multiprocessing by interpreter and start method: median and min-max of "
                 f"{result['repeat']} runs; {m['cpu']}, {m['cores']} cores, {result['date']}",
                 fontsize=10)
    fig.savefig(path)
    plt.close(fig)
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=_args.positive, metavar="N",
                        help=f"runs of each cell (default: {REPEAT}; 1 with --quick)")
    parser.add_argument("--python", action="append", metavar="PY",
                        help="an interpreter to measure (repeatable; default: every one found)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: tiny sizes and loops, figures not to be quoted")
    parser.add_argument("--out", default=os.path.join(HERE, "results"), metavar="DIR")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else REPEAT)
    try:
        interpreters = _args.interpreters(args.python)
    except _usage.UsageError as exc:
        print(f"start_methods.py: {exc}", file=sys.stderr)
        return 2
    cells = cells_of(interpreters)
    samples: dict[str, list[dict]] = {c.name: [] for c in cells}
    began = time.monotonic()
    for n in range(repeat):
        # Round-robin, each round starting one cell further on: no cell always runs first.
        for cell in cells[n % len(cells):] + cells[:n % len(cells)]:
            try:
                samples[cell.name].append(run_child(cell, args.quick))
            except RuntimeError as exc:
                print(f"start_methods.py: {exc}", file=sys.stderr)
                return 1
        print(f"round {n + 1} of {repeat}: {time.monotonic() - began:.0f} s", file=sys.stderr)
    result = {
        "machine": machine(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "repeat": repeat, "quick": args.quick,
        "units": {f.key: f.unit for f in FIGURES},
        "rows": summarise(samples, cells),
        "samples": samples,
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "start_methods.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    text = table(result)
    with open(os.path.join(args.out, "start_methods.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    if not plot(result, os.path.join(args.out, "start_methods.svg")):
        print("start_methods.py: no plot: matplotlib is missing (pip install "
              "'portproof[plot]'); the table and JSON are written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What finding a run's processes costs, per look and per run, under each containment.

Before: every look read the environment of every process on the host (the "token" look,
`processes_with`). After: a cgroup lists its members, a subreaper supervisor its descendants.
The containments take turns, round after round, so that the machine's drift favours none.
Prints, and writes to benchmarks/results/looks.md, one row per containment:

    | cgroup | 0.05 (0.04-0.09) | 4 | 0.2 (0.2-0.4) |

the time of a look and of a run's looks in ms, as median (min-max) over the rounds.

    python benchmarks/looks.py [--rounds N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

import psutil

from portproof import _contain, _run
from portproof._interpreters import probe

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "looks.md")
SUBJECT = ("import os, select\nif os.fork() == 0:\n    select.select([], [], [], 5)\n"
           "    os._exit(0)\nprint('x')\n")  # a child left behind: a whole teardown


def timed_run(python, path: str, kind: str) -> list[float]:
    """The time of each look at the run's processes during one run of `path`."""
    real_members = _contain.Box.members
    cost: list[float] = []

    def members(self):
        start = time.perf_counter()
        found = real_members(self)
        cost.append(time.perf_counter() - start)
        return found

    _contain.Box.members = members
    try:
        _run.run_script(python, path, "fork", "pipe",
                        _run.RunOptions(containment=_contain.choose(kind)))
    finally:
        _contain.Box.members = real_members
    return cost


def spread(values: list[float], digits: int) -> str:
    return (f"{statistics.median(values):.{digits}f} "
            f"({min(values):.{digits}f}-{max(values):.{digits}f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    python = probe(sys.executable)
    kinds = []
    for kind in _contain.KINDS:
        try:
            _contain.choose(kind)
            kinds.append(kind)
        except _contain.ContainmentError as exc:
            print(f"{kind}: not here ({exc})")
    looks: dict[str, list[float]] = {kind: [] for kind in kinds}
    runs: dict[str, list[float]] = {kind: [] for kind in kinds}
    counts: dict[str, list[int]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "subject.py")
        with open(path, "w") as f:
            f.write(SUBJECT)
        for _ in range(args.rounds):
            for kind in kinds:
                cost = timed_run(python, path, kind)
                looks[kind] += [c * 1000 for c in cost]
                runs[kind].append(sum(cost) * 1000)
                counts[kind].append(len(cost))
    lines = [f"Finding a run's processes, {args.rounds} rounds, "
             f"{len(psutil.pids())} processes on the host, {os.cpu_count()} cores "
             f"(`python benchmarks/looks.py`)", "",
             "| containment | a look, ms | looks a run | a run's looks, ms |",
             "|---|---|---|---|"]
    for kind in kinds:
        lines.append(f"| {kind} | {spread(looks[kind], 2)} | "
                     f"{statistics.median(counts[kind]):.0f} | {spread(runs[kind], 1)} |")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    with open(RESULTS, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How long portproof takes to stop on SIGTERM mid-run, on subjects that signal, stop or kill
the processes above them, under each containment.

Each round starts `portproof diff SUBJECT SUBJECT` (the newest Python 3 on both sides, fork,
pipe, sleeps scaled), waits until a process of the subject has run for 0, 0.1, 0.2 or 0.3 s
(in turn, round after round: before and after it has signalled or killed what is above it),
sends portproof SIGTERM and times it until it has exited; then checks that no process of the
run is left. Prints, and
writes to benchmarks/results/stop.md, one row per subject and containment:

    | signals_parent.py SIGSTOP | cgroup | 0.12 (0.10-0.15) | 0 |

the time to stop in seconds, as median (min-max) over the rounds, and the processes of the
runs left after them (0: none).

    python benchmarks/stop.py [--rounds N]
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid

import psutil

from portproof import _contain
from portproof._interpreters import discover

HERE = os.path.dirname(os.path.abspath(__file__))
SUBJECTS = os.path.join(os.path.dirname(HERE), "tests", "harness", "subjects")
RESULTS = os.path.join(HERE, "results", "stop.md")
# (name in the table, script, the variables it reads)
CASES = [
    ("signals_parent.py SIGUSR1", "signals_parent.py", {"SUBJECT_SIGNALS": "SIGUSR1"}),
    ("signals_parent.py SIGSTOP", "signals_parent.py", {"SUBJECT_SIGNALS": "SIGSTOP"}),
    ("kills_its_keepers.py parent", "kills_its_keepers.py", {"SUBJECT_KILL": "parent"}),
    ("kills_its_keepers.py both", "kills_its_keepers.py", {"SUBJECT_KILL": "both"}),
    ("dies_of_sigusr2.py", "dies_of_sigusr2.py", {}),
    ("hang_tree.py", "hang_tree.py", {}),
]
# How long a round may wait for the subject to start, and for portproof to stop.
START_LIMIT = 60.0
STOP_LIMIT = 10.0


# When, after a process of the subject started, portproof is stopped: round after round.
OFFSETS = (0.0, 0.1, 0.2, 0.3)


def _runs(process: psutil.Process, script: str, offset: float) -> bool:
    """Whether `process` runs `script`, and has for `offset` seconds."""
    try:
        return (script in " ".join(process.cmdline())
                and time.time() - process.create_time() >= offset)
    except psutil.Error:  # gone meanwhile
        return False


def stop_once(python: str, script: str, variables: dict[str, str], kind: str, offset: float
              ) -> tuple[float, int]:
    """Start portproof on `script`, SIGTERM it once a process of the subject has run for
    `offset` seconds; (seconds it took to exit, processes of the run left)."""
    mark = f"SUBJECT_MARK={uuid.uuid4().hex}"
    env = {**os.environ, **variables, "PORTPROOF_CONTAINMENT": kind,
           mark.split("=")[0]: mark.split("=")[1]}
    path = os.path.join(SUBJECTS, script)
    portproof = subprocess.Popen(
        [sys.executable, "-m", "portproof", "diff", path, path, "--old-python", python,
         "--python", python, "--start-method", "fork", "--mode", "pipe", "--fast",
         "--baseline-runs", "20", "--jobs", "1"],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_LIMIT
        while not any(p.pid != portproof.pid and _runs(p, script, offset)
                      for p in _contain.processes_with(mark)):
            if time.monotonic() >= deadline or portproof.poll() is not None:
                raise RuntimeError(f"{script}: no run started")
            time.sleep(0.01)
        sent = time.monotonic()
        portproof.send_signal(signal.SIGTERM)
        portproof.wait(STOP_LIMIT)
        took = time.monotonic() - sent
        left = _contain.processes_with(mark)
        for p in left:
            print(f"{script}: left {p.pid} {_contain.command_line(p.pid)}", file=sys.stderr)
            p.kill()
        return took, len(left)
    finally:
        portproof.kill()
        portproof.wait()


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args(argv)
    newest = [i for i in discover() if i.version[0] == 3][-1]
    kinds = []
    for kind in _contain.KINDS:
        try:
            _contain.choose(kind)
            kinds.append(kind)
        except _contain.ContainmentError as exc:
            print(f"{kind}: not here ({exc})")
    lines = [f"portproof stopped by SIGTERM mid-run, {args.rounds} rounds, Python "
             f"{newest.minor}, {os.cpu_count()} cores (`python benchmarks/stop.py`)", "",
             "| subject | containment | to stop, s | processes left |", "|---|---|---|---|"]
    for name, script, variables in CASES:
        for kind in kinds:
            took, left = zip(*(stop_once(newest.path, script, variables, kind,
                                         OFFSETS[n % len(OFFSETS)])
                               for n in range(args.rounds)), strict=True)
            lines.append(f"| {name} | {kind} | {spread(list(took))} | {sum(left)} |")
            print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    with open(RESULTS, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

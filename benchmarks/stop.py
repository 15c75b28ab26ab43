"""How long portproof takes to stop on SIGTERM mid-run, on the misbehaving subjects of
tests/harness/subjects/ (CASES), under each containment.

Each round starts `portproof diff SUBJECT SUBJECT` (the newest Python 3 on both sides, fork,
pipe (flood.py: a terminal), sleeps scaled), waits until a process of the subject's run has run
for 0, 0.1, 0.2 or 0.3 s (in turn, round after round: before and after it has signalled or
killed what is above it; a subject that ends at once, as soon as it is seen), sends portproof
SIGTERM and times it until it has exited; then checks that no process portproof started is left
(its runs', and its own, such as the check that the script compiles). Prints, and writes to
benchmarks/results/stop.md, one row per subject and containment:

    | signals_parent.py SIGSTOP | cgroup | 0.12 (0.10-0.15) | 0 |

the time to stop in seconds, as median (min-max) over the rounds, and the processes of the
runs left after them (0: none).

    python benchmarks/stop.py [--rounds N] [--case TEXT]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from typing import NamedTuple

import psutil

from portproof import _contain
from portproof._boot import protocol
from portproof._interpreters import discover

HERE = os.path.dirname(os.path.abspath(__file__))
SUBJECTS = os.path.join(os.path.dirname(HERE), "tests", "harness", "subjects")
RESULTS = os.path.join(HERE, "results", "stop.md")
# When, after a process of the subject started, portproof is stopped: round after round.
OFFSETS = (0.0, 0.1, 0.2, 0.3)
# A subject whose main process is gone within milliseconds is stopped as soon as it is seen:
# the stop then lands in what follows its exit (reading its output, looking at its files,
# ending what it left).
AT_ONCE = (0.0,)


class Case(NamedTuple):
    name: str  # in the table
    script: str
    variables: dict[str, str] = {}  # never changed: stop_once copies it
    offsets: tuple[float, ...] = OFFSETS
    mode: str = "pipe"


# One or more subjects of each way a program misbehaves that the runner survives
# (docs/how-it-works.md): signalling or killing what is above it, a signal meant to end it,
# a tree that hangs, removing the folders it was given, spoiling portproof's own files, writing
# beside itself, a sparse file of 16 GiB, a shared-memory segment of another program's, a flood
# of output on a terminal. Not here: frozen_child.py, which needs a cgroup v1 freezer made for it.
CASES = [
    Case("signals_parent.py SIGUSR1", "signals_parent.py", {"SUBJECT_SIGNALS": "SIGUSR1"}),
    Case("signals_parent.py SIGSTOP", "signals_parent.py", {"SUBJECT_SIGNALS": "SIGSTOP"}),
    Case("kills_its_keepers.py parent", "kills_its_keepers.py", {"SUBJECT_KILL": "parent"}),
    Case("kills_its_keepers.py both", "kills_its_keepers.py", {"SUBJECT_KILL": "both"}),
    Case("dies_of_sigusr2.py", "dies_of_sigusr2.py"),
    Case("hang_tree.py", "hang_tree.py"),
    *(Case(f"tidies_up.py {tidy}", "tidies_up.py", {"SUBJECT_TIDY": tidy}, AT_ONCE)
      for tidy in ("tmpdir", "parent", "record")),
    *(Case(f"spoils_own_files.py {spoil}", "spoils_own_files.py", {"SUBJECT_SPOIL": spoil},
           AT_ONCE) for spoil in ("zero", "fifo", "deep")),
    Case("beside_itself.py", "beside_itself.py", offsets=AT_ONCE),
    Case("huge_file.py", "huge_file.py", offsets=AT_ONCE),
    Case("attaches_shm.py", "attaches_shm.py", {"SUBJECT_SHM": "<made per round>"}),
    Case("flood.py on a terminal", "flood.py", offsets=AT_ONCE, mode="pty"),
]
# How long a round may wait for the subject to start, and for portproof to stop.
START_LIMIT = 60.0
STOP_LIMIT = 10.0



def _runs(process: psutil.Process, script: str, offset: float) -> bool:
    """Whether `process` runs `script`, and has for `offset` seconds."""
    try:
        return (script in " ".join(process.cmdline())
                and time.time() - process.create_time() >= offset)
    except psutil.Error:  # gone meanwhile
        return False


def stop_once(python: str, case: Case, kind: str, offset: float) -> tuple[float, int]:
    """Start portproof on `case`'s script, SIGTERM it once a process of the subject has run for
    `offset` seconds; (seconds it took to exit, processes of the run left)."""
    mark = uuid.uuid4().hex
    variables = dict(case.variables)
    made = []  # files in /dev/shm this round makes, or its subject makes and leaves
    with tempfile.TemporaryDirectory(prefix="portproof-bench-") as tmp:
        if "SUBJECT_SHM" in variables:
            # Another program's segment, for the subject to attach to (as in test_misbehaving).
            made.append(os.path.join("/dev/shm", f"psm_{mark[:8]}"))
            os.close(os.open(made[0], os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
            variables["SUBJECT_SHM"] = os.path.join(tmp, "name")
            with open(variables["SUBJECT_SHM"], "w") as f:
                f.write(os.path.basename(made[0]))
        env = {**os.environ, **variables, "PORTPROOF_CONTAINMENT": kind, "SUBJECT_MARK": mark}
        path = os.path.join(SUBJECTS, case.script)
        portproof = subprocess.Popen(
            [sys.executable, "-m", "portproof", "diff", path, path, "--old-python", python,
             "--python", python, "--start-method", "fork", "--mode", case.mode, "--fast",
             "--baseline-runs", "20", "--jobs", "1"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + START_LIMIT
            while True:
                # A run's processes (not portproof's check that the script compiles)
                seen = _contain.processes_with(f"SUBJECT_MARK={mark}", f"{protocol.RUN}=")
                # attaches_shm.py makes psm_own<its pid> by os.open, which is its own to remove
                made += [f"/dev/shm/psm_own{p.pid}" for p in seen]
                if any(_runs(p, case.script, offset) for p in seen):
                    break
                if time.monotonic() >= deadline or portproof.poll() is not None:
                    raise RuntimeError(f"{case.name}: no run started")
                time.sleep(0.01)
            sent = time.monotonic()
            portproof.send_signal(signal.SIGTERM)
            portproof.wait(STOP_LIMIT)
            took = time.monotonic() - sent
            left = _contain.processes_with(f"SUBJECT_MARK={mark}")
            for p in left:
                print(f"{case.name}: left {p.pid} {_contain.command_line(p.pid)}",
                      file=sys.stderr)
                p.kill()
            return took, len(left)
        finally:
            portproof.kill()
            portproof.wait()
            for name in set(made):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--case", metavar="TEXT",
                        help="only the subjects whose name holds TEXT (the table is not written)")
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
    for case in CASES:
        if args.case and args.case not in case.name:
            continue
        for kind in kinds:
            took, left = zip(*(stop_once(newest.path, case, kind,
                                         case.offsets[n % len(case.offsets)])
                               for n in range(args.rounds)), strict=True)
            lines.append(f"| {case.name} | {kind} | {spread(list(took))} | {sum(left)} |")
            print(lines[-1], flush=True)
    if not args.case:
        with open(RESULTS, "w") as f:
            f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

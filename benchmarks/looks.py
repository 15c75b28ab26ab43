"""What finding a run's processes costs, per look and per run, under each containment.

Before: every look read the environment of every process on the host (the "token" look,
`processes_with`). After: a cgroup lists its members, a subreaper supervisor its descendants.
Prints one line per containment:

    cgroup: 0.05 ms a look, 4 looks a run, 1066 processes on the host
"""
from __future__ import annotations

import os
import sys
import tempfile
import time

import psutil

from portcheck import _contain, _run
from portcheck._interpreters import probe

LOOKS = 50
SUBJECT = ("import os, select\nif os.fork() == 0:\n    select.select([], [], [], 5)\n"
           "    os._exit(0)\nprint('x')\n")  # a child left behind: a whole teardown


def main() -> int:
    python = probe(sys.executable)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "subject.py")
        with open(path, "w") as f:
            f.write(SUBJECT)
        for kind in _contain.KINDS:
            try:
                _contain.choose(kind)
            except _contain.ContainmentError as exc:
                print(f"{kind}: not here ({exc})")
                continue
            looks = 0
            real_members = _contain.Box.members
            cost = []

            def members(self, real_members=real_members, cost=cost):
                nonlocal looks
                looks += 1
                start = time.perf_counter()
                found = real_members(self)
                cost.append(time.perf_counter() - start)
                return found

            _contain.Box.members = members
            try:
                trace = _run.run(python, path, start_method="fork", mode="pipe",
                                 containment=kind)
            finally:
                _contain.Box.members = real_members
            per_look = sum(cost) / len(cost) * 1000
            print(f"{kind}: {per_look:.2f} ms a look, {looks} looks a run "
                  f"({per_look * looks:.1f} ms), leaked {len(trace.leaked)}, "
                  f"{len(psutil.pids())} processes on the host", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What portproof's pytest plugin adds to a team's pytest start while it is off: `pytest --co -q`
in the example project (tests/harness/example_project, its ini's `portproof = true` overridden
with `-o portproof=false`), with the plugin loaded by its entry point and with it blocked
(`-p no:portproof`), the two taking turns so that drift of a shared machine falls on each alike.

    python benchmarks/plugin_startup.py [--repeat N]

Prints each one's median (min-max) wall time, the difference of the medians, and what
`python -X importtime` says importing the plugin takes once pytest is imported (cumulative:
portproof's package and the plugin module, all it imports while off). The plugin should add
under 20 ms.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys

from _turns import in_turns, repeat, spread_ms

PROJECT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests",
                       "harness", "example_project")
PYTEST = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider",
          "-o", "portproof=false"]
RUNS = {"plugin off": PYTEST, "plugin blocked": [*PYTEST, "-p", "no:portproof"]}
REPEAT = 20
# `import time:       self [us] |  cumulative | imported package`
IMPORT_TIME = re.compile(r"import time:\s+\d+ \|\s+(\d+) \|\s*(\S+)$")


def plugin_import_us() -> int:
    """The cumulative import time of portproof.pytest_plugin, pytest already imported, in µs
    (pytest loads it with importlib.import_module, which -X importtime does not time)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c",
                           "import pytest; import portproof.pytest_plugin"],
                          capture_output=True, text=True, check=True)
    (found,) = (int(m.group(1)) for m in map(IMPORT_TIME.match, done.stderr.splitlines())
                if m and m.group(2) == "portproof.pytest_plugin")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    times = in_turns(RUNS, repeat(parser, argv, REPEAT), cwd=PROJECT, stderr=subprocess.DEVNULL)
    print(f"{'pytest --co -q':<16} {'median (min-max), ms'}")
    for name, taken in times.items():
        print(f"{name:<16} {spread_ms(taken)}")
    added = statistics.median(times["plugin off"]) - statistics.median(times["plugin blocked"])
    print(f"added by the plugin, off: {added * 1e3:.0f} ms (difference of the medians); "
          f"importing it: {plugin_import_us() / 1e3:.1f} ms (python -X importtime, cumulative)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

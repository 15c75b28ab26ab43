"""What portproof costs before it does anything: `portproof --version`, `portproof --help` and
`portproof diff --help`, each timed against a bare start of the same interpreter
(`python -c pass`), the commands taking turns so that drift of a shared machine falls on each
alike.

    python benchmarks/startup.py [--repeat N]

Prints each command's median (min-max) wall time and its median as a multiple of the bare
start's. --version and --help import argparse and little else (portproof/_cli.py imports a
command's module only when that command is named): about 20 ms over the bare start here, which
is 1.6 times a start of pyenv's 3.11.7 and 2.9 times one of Debian's faster 3.11.2.
"""
from __future__ import annotations

import argparse
import statistics
import sys

from _turns import in_turns, repeat, spread_ms

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "portproof --version": [sys.executable, "-m", "portproof", "--version"],
    "portproof --help": [sys.executable, "-m", "portproof", "--help"],
    "portproof diff --help": [sys.executable, "-m", "portproof", "diff", "--help"],
}
REPEAT = 20


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    times = in_turns(COMMANDS, repeat(parser, argv, REPEAT), check=True)
    bare = statistics.median(times["python -c pass"])
    print(f"{'command':<24} {'median (min-max), ms':<24} x bare start")
    for name, taken in times.items():
        print(f"{name:<24} {spread_ms(taken):<24} {statistics.median(taken) / bare:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

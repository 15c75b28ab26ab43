"""What the start-up benchmarks share: commands timed in turns, and a spread in milliseconds."""
from __future__ import annotations

import argparse
import statistics
import subprocess
import time


def repeat(parser: argparse.ArgumentParser, argv, default: int) -> int:
    """The command line's --repeat, checked: the runs of each command."""
    parser.add_argument("--repeat", type=int, default=default,
                        help=f"runs of each (default: {default})")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat: give 1 or more")
    return args.repeat


def in_turns(commands: dict[str, list[str]], repeat: int, **run) -> dict[str, list[float]]:
    """Each command's wall times, in seconds, over `repeat` rounds in which every command runs
    once, in turn, so that drift of a shared machine falls on each alike; `run` goes to
    subprocess.run, whose output is thrown away."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, **run)
            times[name].append(time.perf_counter() - start)
    return times


def spread_ms(taken: list[float]) -> str:
    """`median (min-max)` in milliseconds."""
    return (f"{statistics.median(taken) * 1e3:.0f} "
            f"({min(taken) * 1e3:.0f}-{max(taken) * 1e3:.0f})")

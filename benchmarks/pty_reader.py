"""How fast portproof reads a subject that floods its stdout, against a bare reader of the same
subject, on a pseudo-terminal and on a pipe.

The subject is one Python 3 (this one) writing N MB of 80-byte lines to stdout, 1,024 lines a
write. portproof reads it by its run path (`_run.run_script`, fork, the mode's stdout); the
bare reader is pty.openpty() (or os.pipe()), fork and exec of the same subject, without the
caller's PYTHON* variables (as portproof runs it) and without portproof's boot, and a loop of
os.read() of the same size until the end, nothing else. The two take turns, so that drift of
a shared machine falls on each alike.

    python benchmarks/pty_reader.py [--mb N] [--repeat N]

Prints, per mode, each reader's median (min-max) wall time from start to the end of the
output, and portproof's time as a multiple of the bare reader's (median and min-max of the
ratios of each turn). One of three runs in a row on 2 cores shared with other work (load 5 to
9), Python 3.11, the default 200 MB:

    mode  reader     median (min-max), s   x bare
    pty   portproof  6.87 (5.04-6.88)      0.90 (0.77-1.36)
    pty   bare       6.54 (5.04-7.67)
    pipe  portproof  0.29 (0.28-0.47)      1.97 (1.00-3.17)
    pipe  bare       0.15 (0.15-0.28)

The other two runs: x bare 0.85 and 1.23 on the pty, 2.17 and 3.22 on the pipe. A terminal
is slow to move output through the kernel whoever reads it, and its time varies most on a
loaded machine; on a pipe, most of portproof's time is a run's own start and end (its
folders, its containment, the boot), not the reading: with --mb 1, 0.13 to 0.20 s against
0.04 to 0.09 s bare, in either mode.
"""
from __future__ import annotations

import argparse
import os
import pty
import statistics
import sys
import tempfile
import time

from portproof import _run, _stream, _trace
from portproof._interpreters import probe

MB = 200
REPEAT = 3
LINE = 80  # bytes, with its newline
SUBJECT = """\
import sys
block = ("x" * {width} + "\\n") * 1024
for _ in range({writes}):
    sys.stdout.write(block)
"""
# Long enough for any honest figure: the benchmark measures a slow reader, it does not cut it.
TIMEOUT = 3600.0


def subject(mb: int) -> str:
    return SUBJECT.format(width=LINE - 1, writes=mb * 1024 * 1024 // (LINE * 1024))


def bare(python: str, script: str, mode: str) -> float:
    """Seconds from fork to the end of `script`'s stdout, read by nothing but os.read()."""
    read_fd, write_fd = pty.openpty() if mode == "pty" else os.pipe()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: stdout on the terminal or pipe, the rest on /dev/null
        try:
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0)
            os.dup2(write_fd, 1)
            os.dup2(null, 2)
            os.execve(python, [python, script], env)
        finally:
            os._exit(127)
    os.close(write_fd)
    try:
        while True:
            try:
                if not os.read(read_fd, _stream.READ_SIZE):
                    break
            except OSError:  # EIO: the terminal's last writer has gone
                break
    finally:
        os.close(read_fd)
        _, status = os.waitpid(pid, 0)
    took = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"bare {mode}: the subject exited with {status}")
    return took


def through_portproof(python, script: str, mode: str) -> float:
    """Seconds portproof's run of `script` takes, from the call to its Trace."""
    start = time.monotonic()
    trace = _run.run_script(python, script, "fork", mode, _run.RunOptions(timeout=TIMEOUT))
    took = time.monotonic() - start
    if trace.returncode != 0 or trace.timeout is not None or not trace.lines or \
            trace.lines[0].text != "x" * (LINE - 1):
        raise RuntimeError(f"portproof {mode}: exit {trace.returncode}, timeout "
                           f"{trace.timeout}, {len(trace.lines)} lines: {trace.stderr}")
    return took


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=MB, help=f"MB the subject writes (default: {MB})")
    parser.add_argument("--repeat", type=int, default=REPEAT,
                        help=f"turns of each reader (default: {REPEAT})")
    args = parser.parse_args(argv)
    if args.mb < 1:
        parser.error("--mb: give 1 or more")
    if args.repeat < 1:
        parser.error("--repeat: give 1 or more")
    python = probe(sys.executable)
    print(f"{'mode':<5} {'reader':<10} {'median (min-max), s':<21} x bare", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "flood.py")
        with open(script, "w", encoding="ascii") as f:
            f.write(subject(args.mb))
        for mode in _trace.MODES:
            ours, theirs = [], []
            for _ in range(args.repeat):
                ours.append(through_portproof(python, script, mode))
                theirs.append(bare(python.path, script, mode))
            ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
            print(f"{mode:<5} {'portproof':<10} {spread(ours):<21} {spread(ratios)}")
            print(f"{mode:<5} {'bare':<10} {spread(theirs)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How fast portproof reads a subject that floods its stdout, against a bare reader of the same
subject, on a pseudo-terminal and on a pipe.

The subject is one Python 3 (this one) writing N MB of 80-byte lines to stdout, 1,024 lines a
write. portproof reads it by its run path (`_run.run_script`, fork, the mode's stdout); the
bare reader is pty.openpty() (or os.pipe()), fork and exec of the same subject, with the same
environment less portproof's boot, and a loop of os.read() of the same size until the end,
nothing else. The two take turns, so that drift of a shared machine falls on each alike.

    python benchmarks/pty_reader.py [--mb N] [--repeat N]

Prints, per mode, each reader's median (min-max) wall time from start to the end of the
output, and portproof's time as a multiple of the bare reader's (median and min-max of the
ratios of each turn).
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
    if trace.returncode != 0 or trace.timeout is not None or not trace.truncated:
        raise RuntimeError(f"portproof {mode}: exit {trace.returncode}, timeout "
                           f"{trace.timeout}, truncated {trace.truncated}: {trace.stderr}")
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

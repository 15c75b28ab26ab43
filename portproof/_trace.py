"""What a run left behind, as data: its stdout lines with their times, stderr, how it ended,
the processes it left or hung in, the files it changed. Made by the runner (_run), read by the
judges (_spec, _observe, _noise) and the reports, which need not import the runner.
"""
from __future__ import annotations

import signal
from dataclasses import dataclass, field

from portproof._record import ProcessInfo

# pty: stdout on a pseudo-terminal, line-buffered, as a person sees it; pipe: on a pipe,
# block-buffered, as when output goes to a file.
MODES = ("pty", "pipe")
# The longest line kept whole, and the marks the reader leaves where it cut output.
MAX_LINE = 1 << 16
TRUNCATED = "[portproof: output truncated]"
LINE_CUT = " [portproof: line cut]"
# Of each file a run makes or changes, this much is kept.
HEAD_KEPT = 1 << 16


@dataclass(frozen=True)
class Line:
    """A line of output, and when it can have been written (seconds from the start of the run).

    It arrived at `t`: it was written then or before, by as much as portproof's own delay in
    reading, which a loaded machine stretches. It was written after `earliest`, when the
    harness last found its stream empty (None: written at `t`, as in a recorded trace)."""

    text: str
    t: float
    earliest: float | None = None


@dataclass(frozen=True)
class FileState:
    """A file as a run left it in its folder: size -1 if the run deleted it. `sha256` hashes
    its size and its first and last HEAD_KEPT bytes (_folders), not all of it."""

    size: int
    sha256: str = ""
    head: bytes = b""  # at most HEAD_KEPT bytes


@dataclass
class Trace:
    script: str
    python: str  # "X.Y.Z"
    start_method: str
    mode: str
    pid: int
    lines: list[Line] = field(default_factory=list)
    stderr: str = ""
    returncode: int | None = None
    wall: float = 0.0
    timeout: float | None = None  # set when the run was killed for taking too long
    truncated: bool = False
    leaked: dict[int, str] = field(default_factory=dict)  # pid -> command, alive after it exited
    hung_commands: dict[int, str] = field(default_factory=dict)  # alive when it timed out
    # still alive once portproof had sent every process of the run SIGKILL and waited
    survived: dict[int, str] = field(default_factory=dict)
    stacks: dict[int, str] = field(default_factory=dict)  # of those, on one line (see _compact)
    processes: list[ProcessInfo] = field(default_factory=list)  # as the boot saw them
    containment: str = ""  # "cgroup", "subreaper" or "token" (see _contain)
    # The signal that killed portproof's supervisor of the run or the subject's parent below it
    supervisor_killed: str | None = None
    shm_removed: list[str] = field(default_factory=list)  # /dev/shm names portproof removed
    files: dict[str, FileState] = field(default_factory=dict)  # made or changed in its folder
    # made or changed beside the script, in the copy of its folder it ran from
    script_files: dict[str, FileState] = field(default_factory=dict)
    cwd: str = ""  # the run's own working directory and TMPDIR, gone after the run
    tmpdir: str = ""
    ran_as: str = ""  # the copy of the script that ran, gone after the run

    @property
    def signal(self) -> str | None:
        if self.returncode is not None and self.returncode < 0:
            try:
                return signal.Signals(-self.returncode).name
            except ValueError:
                return f"signal {-self.returncode}"
        return None

    @property
    def text(self) -> list[str]:
        return [line.text for line in self.lines]

    @property
    def hung(self) -> list[str]:
        """What was running when the run timed out: each process, with its stack if it gave
        one."""
        return [f"pid {pid} ({command}): {self.stacks[pid]}" if pid in self.stacks
                else f"pid {pid}: {command}" for pid, command in self.hung_commands.items()]


def timing(time_scale: float) -> str:
    """How the subject's sleeps were timed, as the reports say it."""
    return "real time" if time_scale == 1 else f"sleeps x{time_scale}"

"""What must differ between two runs of a program, made the same: one rule per kind of value.

Each rule rewrites a run's lines into placeholders and says whether it fired, so that a report
can name every rule that changed what it compares. The rules, in the order they apply:

- ignore: the user's own volatile fields (`--ignore REGEX`) become `<ignored>`;
- harness frames: a frame of portproof's boot in a traceback the program prints itself (a
  scaled sleep interrupted, a stack printed from inside a child) is dropped, with its source
  line: what portproof adds is none of the program's;
- carets: the lines of `^` and `~` that 3.11+ prints under a frame's source line are dropped;
- library frames: a path into an interpreter's library folder becomes `<stdlib>/...`, or
  `<site-packages>/...` for installed packages (a venv's too, wherever it sits), and a
  traceback's line number in such a file `<n>`: they differ between interpreters, not between
  programs; before `paths`, so that a venv inside a script's folder is the same on both sides;
- paths: the run's own folders (its working directory, TMPDIR) and the script's path become
  `<cwd>`, `<tmp>`, `<script>`: each run has its own, and OLD and NEW are different files;
- pids: any pid of the run's own processes becomes its role, `<parent>` for the process
  portproof started, then `<child1>`, `<child2>`... in order of first appearance;
- addresses: object addresses (`0x7f3a...`) become `0x<address>`;
- process names: the start method's prefix Python 3 puts on default process names
  (`ForkPoolWorker-1`, `SpawnProcess-2`, `ForkServerPoolWorker-3`) is dropped, leaving what
  Python 2.7 calls them (`PoolWorker-1`, `Process-2`; 2.7's Pool renames `Process-N` to
  `PoolWorker-N`, 3.x's names each Process after its class, e.g. `SpawnProcess`).

What varies between runs of the unchanged original (numbers at one place of a line, the role
of a child) is not a rule here but learned per program: see `_noise.Model`.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Context:
    """What the rules need to know about one run."""

    pids: Sequence[int] = ()  # the run's processes, the one portproof started first
    paths: dict[str, str] = field(default_factory=dict)  # absolute path -> placeholder
    ignore: Sequence[re.Pattern] = ()


@dataclass(frozen=True)
class Rule:
    name: str
    says: str  # what it does, for the report
    apply: Callable[[list[str], Context], list[str]]


def _ignore(lines: list[str], context: Context) -> list[str]:
    for pattern in context.ignore:
        lines = [pattern.sub("<ignored>", line) for line in lines]
    return lines


# A traceback's frame: `  File "/w/x.py", line 3, in f`.
_FRAME = re.compile(r'(?P<head>\s*File ")(?P<path>[^"]+)(?P<line>", line )(?P<n>\d+)')
_BOOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_boot", "sitecustomize.py")


def _harness_frames(lines: list[str], context: Context) -> list[str]:
    out, skip = [], False
    for line in lines:
        frame = _FRAME.match(line)
        if frame:
            skip = frame["path"] == _BOOT
        elif skip and not line[:1].isspace():
            skip = False  # the exception's line, or anything after the frame
        if not skip:
            out.append(line)
    return out


# Under a frame's source line, 3.11+ marks the expression that failed: spaces, then `~` and `^`.
_CARETS = re.compile(r"\s*[~^]*\^[~^]*\s*\Z")


def _carets(lines: list[str], context: Context) -> list[str]:
    return [line for n, line in enumerate(lines)
            if not (n >= 2 and _CARETS.match(line) and lines[n - 1][:1].isspace()
                    and _FRAME.match(lines[n - 2]))]


# An interpreter's library folder (.../lib/python3.13/, /usr/lib/python3/), and in it the
# folder of installed packages.
_LIBRARY = re.compile(r"(?<![\w.>-])/(?:[^\s\"'/:<>]+/)*?lib(?:64)?/python\d(?:\.\d+)?/"
                      r"(?P<packages>(?:site|dist)-packages/)?")


def _library(m: re.Match) -> str:
    return "<site-packages>/" if m["packages"] else "<stdlib>/"


def _library_frames(lines: list[str], context: Context) -> list[str]:
    out = []
    for line in lines:
        line = _LIBRARY.sub(_library, line)
        frame = _FRAME.match(line)
        if frame and frame["path"].startswith(("<stdlib>/", "<site-packages>/")):
            line = f"{frame['head']}{frame['path']}{frame['line']}<n>{line[frame.end():]}"
        out.append(line)
    return out


def _paths(lines: list[str], context: Context) -> list[str]:
    # Longest first: a script inside the working directory is <script>, not <cwd>/x.py.
    for path in sorted(context.paths, key=len, reverse=True):
        if path:
            lines = [line.replace(path, context.paths[path]) for line in lines]
    return lines


# A whole number, not part of a word or a float; an underscore separates ("worker_4242").
_NUMBER = re.compile(r"(?<![^\W_])(?<!\.)\d+(?![^\W_]|\.\d)")


def _pids(lines: list[str], context: Context) -> list[str]:
    if not context.pids:
        return lines
    ours = {str(pid) for pid in context.pids}
    roles = {str(context.pids[0]): "<parent>"}

    def role(m: re.Match) -> str:
        if m[0] not in ours:
            return m[0]
        return roles.setdefault(m[0], f"<child{len(roles)}>")

    return [_NUMBER.sub(role, line) for line in lines]


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


def _addresses(lines: list[str], context: Context) -> list[str]:
    return [_ADDRESS.sub("0x<address>", line) for line in lines]


_METHOD_PREFIX = re.compile(r"\b(?:Fork|Spawn|ForkServer)(Process|PoolWorker)-(?=\d)")


def _process_names(lines: list[str], context: Context) -> list[str]:
    return [_METHOD_PREFIX.sub(r"\1-", line) for line in lines]


RULES = (
    Rule("ignore", "your --ignore patterns became <ignored>", _ignore),
    Rule("harness frames", "frames of portproof's boot in a printed traceback were dropped",
         _harness_frames),
    Rule("carets", "the ^^^ lines 3.11+ prints under a traceback's source line were dropped",
         _carets),
    Rule("library frames", "paths into the interpreter's library became <stdlib>/... (installed "
         "packages <site-packages>/...), and their line numbers in a traceback <n>",
         _library_frames),
    Rule("paths", "the run's own folders and the script's path became <cwd>, <tmp>, <script>",
         _paths),
    Rule("pids", "pids of the run's processes became <parent>, <child1>, ...", _pids),
    Rule("addresses", "object addresses became 0x<address>", _addresses),
    Rule("process names", "Python 3's ForkPoolWorker-N, SpawnProcess-N... became 2.7's "
         "PoolWorker-N, Process-N", _process_names),
)


def normalise(lines: Iterable[str], context: Context,
              fired: set[str] | None = None) -> list[str]:
    """`lines` with every rule applied; the name of each rule that changed something is added
    to `fired`."""
    lines = list(lines)
    for rule in RULES:
        after = rule.apply(lines, context)
        if fired is not None and after != lines:
            fired.add(rule.name)
        lines = after
    return lines


# "Traceback..." blocks end with a line "Type: message"; 2.7 names the type with its module
# unless it is a builtin ("Queue.Empty"), 3.x with the module it lives in ("_queue.Empty" on
# 3.7+, "queue.Empty" before): the module part says where a class lives, not what happened.
_EXCEPTION = re.compile(r"(?:[A-Za-z_]\w*\.)*(?P<type>[A-Za-z_]\w*)(?P<rest>:.*)?\Z")


def exception_line(line: str) -> str:
    """The last line of a traceback with the exception's module dropped."""
    m = _EXCEPTION.match(line)
    return m["type"] + (m["rest"] or "") if m else line

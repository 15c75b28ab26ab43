"""What portproof shows only on a terminal: the progress of compare and diff on stderr, and the
matrix's verdicts in colour on stdout (ok and same green, FAIL and DIFF red, unstable yellow, a
cell not run dim).

Off a terminal (a pipe, a file, a CI log) output is plain text: a log gets no progress and no
escape codes. Colour is also off when NO_COLOR is set to anything but
the empty string (no-color.org). rich draws both; portproof decides where (FORCE_TERMINAL and
`force_terminal` are for the tests, which have no terminal).
"""
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from portproof._escape import escape

# rich is imported where it draws, on a terminal: off one (CI, a pipe) every command would pay
# its import, a quarter of portproof's start-up, for nothing.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, ProgressColumn

# Tests only, which have no terminal: True or False in place of each stream's isatty().
FORCE_TERMINAL: bool | None = None
STYLES = {"ok": "green", "same": "green", "FAIL": "red", "DIFF": "red", "unstable": "yellow",
          "-": "dim"}
# The progress line is redrawn this often; its clock counts seconds.
REFRESH_PER_SECOND = 4

# A piece of a line: plain text, or (text, style).
Part = str | tuple[str, str | None]


def no_color() -> bool:
    return os.environ.get("NO_COLOR", "") != ""


def _force(force_terminal: bool | None) -> bool | None:
    return FORCE_TERMINAL if force_terminal is None else force_terminal


def _terminal(file: IO[str], force_terminal: bool | None) -> bool:
    if force_terminal is not None:
        return force_terminal
    try:
        return file.isatty()
    except ValueError:  # closed
        return False


def colour_console(file: IO[str] | None = None,
                   force_terminal: bool | None = None) -> Console | None:
    """A console that writes `file` (default: stdout) in colour, or None where it is to be
    plain: not a terminal, or NO_COLOR set."""
    file = file or sys.stdout
    force_terminal = _force(force_terminal)
    if not _terminal(file, force_terminal) or no_color():
        return None
    from rich.console import Console
    return Console(file=file, force_terminal=force_terminal, highlight=False, soft_wrap=True)


def word(text: str) -> Part:
    """A verdict's word with its colour."""
    return text, STYLES.get(text)


class Out:
    """Lines on stdout (or `file`), their verdicts in colour where it is a terminal and NO_COLOR
    is not set; otherwise print()'s own plain text. Every part is escaped (_escape): a line may
    quote what a subject chose."""

    def __init__(self, force_terminal: bool | None = None, file: IO[str] | None = None) -> None:
        self.file = file
        self.console = colour_console(file or sys.stdout, force_terminal)

    def line(self, *parts: Part, rstrip: bool = False) -> None:
        parts = tuple(escape(p) if isinstance(p, str) else (escape(p[0]), p[1]) for p in parts)
        if self.console is None:
            text = "".join(p if isinstance(p, str) else p[0] for p in parts)
            print(text.rstrip() if rstrip else text, file=self.file or sys.stdout)
            return
        from rich.text import Text
        styled = Text.assemble(*parts)
        if rstrip:
            styled.rstrip()
        self.console.print(styled)


def _clock(seconds: float | None) -> str:
    minutes, seconds = divmod(int(seconds or 0), 60)
    return f"{minutes}:{seconds:02d}"


def _status() -> ProgressColumn:
    """'12/21 cells, 1 failing, 0:05 elapsed, 0:09 left': the time left once rich can tell."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Status(ProgressColumn):
        def render(self, task) -> Text:
            left = task.time_remaining
            # On a narrow terminal it is cut, not wrapped: one line is all it may take.
            return Text(f"{task.completed:.0f}/{task.total:.0f} {task.fields['unit']}, "
                        f"{task.fields['failed']} {task.fields['failed_word']}, "
                        f"{_clock(task.elapsed)} elapsed"
                        + (f", {_clock(left)} left" if left is not None else ""),
                        no_wrap=True, overflow="ellipsis")

    return Status()


class Bar:
    """One command's progress; does nothing off a terminal."""

    def __init__(self, progress: Progress | None = None, task=None) -> None:
        self._progress = progress
        self._task = task
        self._failed = 0

    def advance(self, failed: bool = False) -> None:
        """One more done (cell or run), and whether it failed."""
        self._failed += failed
        self._update(advance=1, failed=self._failed)

    def failing(self, count: int) -> None:
        """How many have failed so far, where it is known only in bulk."""
        self._failed = count
        self._update(failed=count)

    def add(self, more: int) -> None:
        """More to do than first planned."""
        if self._progress is not None:
            total = self._progress.tasks[0].total or 0
            self._update(total=total + more)

    def describe(self, text: str) -> None:
        self._update(description=text)

    def _update(self, **change) -> None:
        if self._progress is not None:
            self._progress.update(self._task, **change)


@contextlib.contextmanager
def progress(what: str, total: int, unit: str, failed_word: str, *,
             file: IO[str] | None = None, force_terminal: bool | None = None) -> Iterator[Bar]:
    """A progress line on `file` (default: stderr) while the block runs, if it is a terminal:
    `total` `unit` to do, how many are done and failed, the time taken and the time left. It is
    gone (transient) when the block ends, however it ends."""
    file = file or sys.stderr
    force_terminal = _force(force_terminal)
    if not _terminal(file, force_terminal):
        yield Bar()
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn
    console = Console(file=file, force_terminal=force_terminal, highlight=False)
    columns: list[ProgressColumn] = [TextColumn("{task.description}")]
    if not console.no_color:  # without colour a bar's done and to-do parts look alike
        # Neither green nor red: those are the verdicts' colours.
        columns.append(BarColumn(bar_width=10, complete_style="cyan", finished_style="cyan"))
    columns.append(_status())
    # Nothing else writes while it shows, so stdout and stderr are left as they are: redirected,
    # stdout would go to this console's file.
    with Progress(*columns, console=console, transient=True, redirect_stdout=False,
                  redirect_stderr=False, refresh_per_second=REFRESH_PER_SECOND) as shown:
        task = shown.add_task(what, total=total, unit=unit, failed=0, failed_word=failed_word)
        yield Bar(shown, task)

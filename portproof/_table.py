"""The matrix as text: three header lines (group, interpreter, start method), a row per
example, each verdict in colour on a terminal (_terminal).

Never wider than the terminal: where COLUMNS is set, or stdout is a terminal, a matrix that
would be wider is folded into blocks one under another, each holding whole interpreters and
repeating the headers and the row titles. On a pipe without COLUMNS (a CI log, a file) it stays
one block, as wide as it is.
"""
from __future__ import annotations

import os
import sys

from portproof import _terminal

# A start method as a column of the matrix shows it: a column is at least 6 wide.
SHORT = {"fork": "fork", "spawn": "spawn", "forkserver": "fsrv"}


def cells_text(places: list[tuple[str, ...]], total: int) -> str:
    """Cells as a report's heading says them: "every cell" where `places` are all `total`
    cells (more than one); else each by its parts, the start method last: the start methods of
    the parts before it said once ("3.12 fork/spawn, 3.13 fsrv"), the leading parts it shares
    with the one said before left out ("pool py3_port 3.12 fork, 3.13 spawn")."""
    if len(places) == total and total > 1:
        return "every cell"
    methods: dict[tuple[str, ...], list[str]] = {}
    for *head, method in places:
        methods.setdefault(tuple(head), []).append(SHORT.get(method, method))
    said, before = [], ()
    for head, shown in methods.items():
        # the parts it shares with the head said before (none before the first)
        same = next((i for i, (a, b) in enumerate(zip(head, before, strict=False)) if a != b),
                    min(len(head), len(before)))
        said.append(" ".join([*head[min(same, len(head) - 1):], "/".join(shown)]))
        before = head
    return ", ".join(said)


def width() -> int | None:
    """How wide a matrix may be: COLUMNS where it is a positive number, else the terminal's
    width where stdout is one; None (any width) otherwise."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns if sys.stdout.isatty() else None
    except (OSError, ValueError, AttributeError):  # no file descriptor (a test's capture)
        return None


def print_table(columns: list[tuple[str, str, str]], rows: dict[str, list[str]]) -> None:
    """A matrix with three header lines (group, interpreter, start method), each header shown
    where it changes (and at the start of each block), and one row per entry of `rows`."""
    label = max(map(len, rows), default=0) + 2
    out = _terminal.Out()
    print()
    for block in _blocks(columns, rows, label, width()):
        part = [columns[i] for i in block]
        _print_block(out, part, {title: [texts[i] for i in block] for title, texts in rows.items()},
                     label)
        print()


def _widths(columns: list[tuple[str, str, str]], rows: dict[str, list[str]]) -> list[int]:
    # A column is 6 wide, or wider for a longer verdict ("unstable"); the first column of a
    # group is wide enough for the group's name.
    new_group = [i == 0 or columns[i - 1][0] != c[0] for i, c in enumerate(columns)]
    return [max(6, len(column[0]) + 1 if new else 0,
                *(len(texts[i]) + 1 for texts in rows.values()))
            for i, (column, new) in enumerate(zip(columns, new_group, strict=True))]


def _blocks(columns, rows, label: int, limit: int | None) -> list[list[int]]:
    """The columns' indexes, split into blocks of whole interpreters, each as wide as `limit`
    allows (one interpreter wider than it is a block of its own)."""
    units: list[list[int]] = []
    for i, column in enumerate(columns):
        if units and columns[units[-1][0]][:2] == column[:2]:
            units[-1].append(i)
        else:
            units.append([i])
    blocks: list[list[int]] = []
    for unit in units:
        if blocks and (limit is None or _block_width(columns, rows, blocks[-1] + unit, label)
                       <= limit):
            blocks[-1] += unit
        else:
            blocks.append(list(unit))
    return blocks or [[]]


def _block_width(columns, rows, block: list[int], label: int) -> int:
    return label + sum(_widths([columns[i] for i in block],
                               {title: [texts[i] for i in block] for title, texts in rows.items()}))


def _print_block(out: _terminal.Out, columns, rows: dict[str, list[str]], label: int) -> None:
    widths = _widths(columns, rows)
    new_group = [i == 0 or columns[i - 1][0] != c[0] for i, c in enumerate(columns)]
    new_python = [i == 0 or columns[i - 1][:2] != c[:2] for i, c in enumerate(columns)]

    def row(title: str, texts: list[str]) -> None:
        cells = [part for cell, width in zip(texts, widths, strict=True)
                 for part in (_terminal.word(cell), " " * (width - len(cell)))]
        out.line(f"{title:<{label}}", *cells, rstrip=True)

    row("", [c[0] if new else "" for c, new in zip(columns, new_group, strict=True)])
    row("", [c[1] if new else "" for c, new in zip(columns, new_python, strict=True)])
    row("", [SHORT[c[2]] for c in columns])
    for title, texts in rows.items():
        row(title, texts)

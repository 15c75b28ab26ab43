"""The matrix as text: three header lines (group, interpreter, start method), a row per
example, each verdict in colour on a terminal (_terminal)."""
from __future__ import annotations

from portproof import _terminal

# A start method as a column of the matrix shows it: a column is at least 6 wide.
SHORT = {"fork": "fork", "spawn": "spawn", "forkserver": "fsrv"}


def print_table(columns: list[tuple[str, str, str]], rows: dict[str, list[str]]) -> None:
    """A matrix with three header lines (group, interpreter, start method), each header shown
    where it changes, and one row per entry of `rows`."""
    label = max(map(len, rows), default=0) + 2
    # A column is 6 wide, or wider for a longer verdict ("unstable"); the first column of a
    # group is wide enough for the group's name.
    new_group = [i == 0 or columns[i - 1][0] != c[0] for i, c in enumerate(columns)]
    new_python = [i == 0 or columns[i - 1][:2] != c[:2] for i, c in enumerate(columns)]
    widths = [max(6, len(column[0]) + 1 if new else 0,
                  *(len(texts[i]) + 1 for texts in rows.values()))
              for i, (column, new) in enumerate(zip(columns, new_group, strict=True))]

    out = _terminal.Out()

    def row(title: str, texts: list[str]) -> None:
        cells = [part for cell, width in zip(texts, widths, strict=True)
                 for part in (_terminal.word(cell), " " * (width - len(cell)))]
        out.line(f"{title:<{label}}", *cells, rstrip=True)

    print()
    row("", [c[0] if new else "" for c, new in zip(columns, new_group, strict=True)])
    row("", [c[1] if new else "" for c, new in zip(columns, new_python, strict=True)])
    row("", [SHORT[c[2]] for c in columns])
    for title, texts in rows.items():
        row(title, texts)
    print()

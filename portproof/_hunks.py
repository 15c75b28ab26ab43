"""The hunks of a unified source diff (_machine_port.source_diff), and which of them print a
line of output.

A hunk prints a line when one of its lines holds a string literal that, its format fields
(`%s`, `%(name)d`, `{}`, `{name}`) read as any text and a trailing `\\n` dropped, is the whole
line; or a `print` whose string literals, each read so, come in the line in their order. A
literal with no text of its own (`'%s'`, `''`) prints nothing. The rule reads the source as
text, so it holds for Python 2 and 3 alike.
"""
from __future__ import annotations

import re

# A string literal on one line: its prefix, its quote, its text.
_LITERAL = re.compile(r"""(?<![\w'"])[rRbBuUfF]{0,2}(?P<q>'|")(?P<text>(?:[^\\\n]|\\.)*?)(?P=q)""")
# A format field: printf-style (not `%%`), or str.format's and an f-string's (not `{{`).
_FIELD = re.compile(r"%(?:\(\w+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifrxXeEgGcoau]"
                    r"|\{[^{}]*\}")
_PRINT = re.compile(r"^\s*print\b(?!\s*=)")
_ESCAPES = {"\\t": "\t", "\\n": "\n", "\\\\": "\\", "\\'": "'", '\\"': '"', "%%": "%",
            "{{": "{", "}}": "}"}


def hunks(diff: str) -> list[str]:
    """The hunks of `diff`, each from its `@@` line, with its newlines; the file names before
    the first are not part of any."""
    return [f"@@{part}" for part in re.split(r"^@@", diff, flags=re.M)[1:]]


def prints(hunk: str, line: str) -> bool:
    """Whether `hunk` prints `line` (the module's rule)."""
    for source in hunk.splitlines()[1:]:
        code = source[1:]
        literals = [p for p in (_pieces(m.group("text")) for m in _LITERAL.finditer(code)) if p]
        if any(_whole(pieces, line) for pieces in literals):
            return True
        if literals and _PRINT.match(code) and _in_order(
                [piece for pieces in literals for piece in pieces], line):
            return True
    return False


def _pieces(text: str) -> list[str]:
    """A literal's text between its fields, unescaped; [] for one with no text of its own."""
    if text.endswith("\\n"):
        text = text[:-2]
    pieces = [re.sub(r"\\[tn\\'\"]|%%|\{\{|\}\}", lambda m: _ESCAPES[m.group()], part)
              for part in _FIELD.split(text)]
    return pieces if any(piece.strip() for piece in pieces) else []


def _whole(pieces: list[str], line: str) -> bool:
    """Whether `line` is `pieces` with any text between each two (found by str.find, left to
    right: time in the line's length, never a regular expression's backtracking)."""
    if len(pieces) == 1:
        return line == pieces[0]
    first, *middle, last = pieces
    return (len(first) + len(last) <= len(line) and line.startswith(first)
            and line.endswith(last) and _in_order(middle, line[len(first):len(line) - len(last)]))


def _in_order(pieces: list[str], line: str) -> bool:
    """Whether `pieces` come in `line` in their order."""
    at = 0
    for piece in pieces:
        at = line.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True

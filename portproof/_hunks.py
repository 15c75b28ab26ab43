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
        texts = [_pattern(m.group("text")) for m in _LITERAL.finditer(code)]
        texts = [t for t in texts if t is not None]
        if any(re.fullmatch(t, line, re.S) for t in texts):
            return True
        if _PRINT.match(code) and texts and re.search(".*?".join(texts), line, re.S):
            return True
    return False


def _pattern(text: str) -> str | None:
    """A literal's text as a pattern, each field any text; None for one with no text of its
    own."""
    if text.endswith("\\n"):
        text = text[:-2]
    parts = _FIELD.split(text)
    if not any(part.strip() for part in parts):
        return None
    return ".*".join(re.escape(re.sub(r"\\[tn\\'\"]|%%|\{\{|\}\}",
                                      lambda m: _ESCAPES[m.group()], part)) for part in parts)

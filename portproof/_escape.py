"""Text a subject chose, made safe to show: every printer (the text reports on stdout, errors
and notes on stderr, the HTML pages, the timeline's pictures) passes such text through `escape`
before it shows it.

A terminal obeys control characters (ESC starts a sequence that can clear the screen, move the
cursor or retitle the window; BEL rings), a bidi override or isolate reorders what follows it on
the line (U+202E shows "txt.exe" as "exe.txt"), and an invisible character makes two different
names look alike. Each of those is shown as an escape instead, which names its code point: C0
controls and DEL as `\\x1b`, others as `\\u202e` (C1 controls too, so that `\\x85` always
means a byte), and a byte that is not UTF-8 (a lone surrogate U+DC80-U+DCFF, as the OS's
surrogateescape decodes a file name) as `\\xff`, as the runs' output shows such a byte. A tab is
kept: it moves the cursor but hides nothing. Ordinary text, CJK included, is untouched.

JSON is data, not display: the reports' JSON keeps the true strings (_report.clean).
"""
from __future__ import annotations

import unicodedata


def _kept(character: str, newlines: bool) -> bool:
    # What str.isprintable() refuses (controls, format characters such as the bidi marks,
    # surrogates, private use, unassigned, line and paragraph separators) is shown as an escape,
    # except spaces (Zs: U+3000, the ideographic space, is ordinary CJK text) and the tab.
    return (character.isprintable() or character == "\t" or (newlines and character == "\n")
            or unicodedata.category(character) == "Zs")


def _shown(character: str) -> str:
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as surrogateescape decodes it
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape(text: str, newlines: bool = False) -> str:
    """`text` with every character a terminal would obey, or that hides, shown as an escape;
    with `newlines`, "\\n" is kept (a block of lines), else it is escaped too (one line)."""
    text = str(text)
    if text.isprintable():  # the common case, at C's speed
        return text
    return "".join(c if _kept(c, newlines) else _shown(c) for c in text)


def quoted(text: str) -> str:
    """`text` escaped, in quotes: a name or path a message gives back as the user gave it (as
    repr() would, but a byte that is not UTF-8 shows as `\\xff` here too)."""
    return f"'{escape(text)}'"

"""What a subject chose, shown safely (portproof/_escape.py): the function, then every command
and format on one subject whose name, output, child, file, warning and exception hold what a
terminal obeys."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import pytest

from _suite import INTERPRETERS, PY3, ROOT, SUBJECTS
from portproof._escape import escape

# Ordinary text, CJK and its ideographic space included, and the tab: shown as it is.
UNCHANGED = [
    pytest.param("pool worker ForkPoolWorker-1", id="ascii"),
    pytest.param("主进程 123 结束。", id="cjk"),
    pytest.param("子进程\u3000开始", id="ideographic-space"),
    pytest.param("a\tb", id="tab"),
    pytest.param("café naïve ÿ", id="latin-1-letters"),
    pytest.param("caf\\xe9", id="a-byte-as-the-runs-show-it"),
    pytest.param("🐍", id="emoji"),
]


@pytest.mark.parametrize("text", UNCHANGED)
def test_ordinary_text_is_untouched(text):
    assert escape(text) == text


# What a terminal obeys, or what hides, shown as an escape that names it.
ESCAPED = [
    pytest.param("\x1b[2Jx", "\\x1b[2Jx", id="esc"),
    pytest.param("ring\x07", "ring\\x07", id="bel"),
    pytest.param("\x00\x7f", "\\x00\\x7f", id="nul-and-del"),
    pytest.param("a\rb\nc", "a\\x0db\\x0ac", id="cr-and-newline"),
    # A C1 control is not a byte: \x85 is kept for the byte 0x85.
    pytest.param("\x85\x9b", "\\u0085\\u009b", id="c1"),
    pytest.param("txt.\u202eexe", "txt.\\u202eexe", id="right-to-left-override"),
    pytest.param("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d",
                 id="bidi-embeddings"),
    pytest.param("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069",
                 id="bidi-isolates"),
    pytest.param("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c", id="bidi-marks"),
    pytest.param("a\u200bb\ufeff", "a\\u200bb\\ufeff", id="invisible"),
    pytest.param("\u2028\u2029", "\\u2028\\u2029", id="line-separators"),
    pytest.param("\ue000\U0010fffd", "\\ue000\\U0010fffd", id="private-use"),
    # A file name's byte that is not UTF-8, as the OS's surrogateescape decodes it.
    pytest.param("name\udcff\udc80.py", "name\\xff\\x80.py", id="undecodable-bytes"),
    pytest.param("a\ud800b", "a\\ud800b", id="lone-high-surrogate"),
]


@pytest.mark.parametrize(("text", "shown"), ESCAPED)
def test_what_a_terminal_obeys_is_shown_as_an_escape(text, shown):
    assert escape(text) == shown


def test_a_block_of_lines_keeps_its_newlines_only():
    assert escape("a\x1b\nb\r\n", newlines=True) == "a\\x1b\nb\\x0d\n"


# -- every printer, on one subject -------------------------------------------------------------

HOSTILE = os.path.join(SUBJECTS, "hostile_text.py")
# The subject under a name that holds ESC and a byte that is not UTF-8 (made at test time: a
# name a checkout is better without).
NAME = "ev\x1b[2Jil\udcff.py"
SHOWN_NAME = "ev\\x1b[2Jil\\xff.py"
# What the subject puts in its lines, exception and warning, as every printer but JSON shows it.
SHOWN = "\\x1b[2J\\x07\\u202e"
# What must never reach a reader raw: C0 controls but the newline and the tab, DEL, C1
# controls, bidi overrides, isolates and marks, lone surrogates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                 "\ud800-\udfff]")
PY27 = INTERPRETERS.get("2.7")
NEWEST = PY3[-1] if PY3 else None
EXAMPLES = ("process", "pool", "process_subclass", "queue_shared", "queue_timeout", "pipe",
            "value_array")


def _machine_port_runs_here() -> bool:
    try:
        import fissix  # noqa: F401
        import pyupgrade  # noqa: F401
    except ImportError:
        return False
    return True


def _portproof(argv, cwd, expect) -> str:
    """`python -m portproof argv` in `cwd`, which must exit with `expect`: its stdout and
    stderr, decoded as a terminal would (surrogateescape keeps a byte that is not UTF-8 visible
    to RAW)."""
    __tracebackhide__ = True
    done = subprocess.run([sys.executable, "-m", "portproof", *argv], cwd=cwd,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": ROOT, "TERM": "xterm"})
    shown = (done.stdout + done.stderr).decode("utf-8", "surrogateescape")
    assert done.returncode == expect, shown
    return shown


def _with_reports(command, argv, here, expect) -> dict[str, str]:
    """What `argv` shows: its text, and the JSON and HTML reports it writes."""
    texts = {"text": _portproof([*argv, "--json", "r.json", "--html", "r.html"], here, expect)}
    for form in ("json", "html"):
        with open(os.path.join(here, f"r.{form}"), encoding="utf-8") as f:
            texts[form] = f.read()
    return texts


def _one(*more):
    return ["--python", NEWEST.path, "--start-method", "fork", "--mode", "pipe", *more]


def _check(here):
    return _with_reports("check", ["check", "process", NAME, *_one("--runs", "1")], here, 1)


def _compare(here):
    # The root, named as the subject is, holds the subject as each example of each side.
    root = os.path.join(here, "root\x1b[2J\udcff")
    for side in ("py2_original", "py3_port"):
        os.makedirs(os.path.join(root, side))
        for example in EXAMPLES:
            shutil.copy(HOSTILE, os.path.join(root, side, f"{example}.py"))
    return _with_reports("compare", ["compare", "--root", root, "--python", NEWEST.path,
                                     "--jobs", "2"], here, 1)


def _diff(here):
    if PY27 is None:
        pytest.skip("diff needs Python 2.7 for OLD")
    return _with_reports("diff", ["diff", NAME, NAME, *_one("--baseline-runs", "1")], here, 1)


def _port(here):
    if PY27 is None or not _machine_port_runs_here():
        pytest.skip("port needs Python 2.7 for OLD, and its extra (fissix, pyupgrade on Python "
                    "3.11+)")
    return _with_reports("port", ["port", NAME, "-o", "new\x1b[2J\udcff.py",
                                  *_one("--baseline-runs", "1")], here, 1)


def _timeline(here):
    picture = "t\x1b[2J.svg"
    texts = {"text": _portproof(["timeline", NAME, "--python", NEWEST.path, "--start-method",
                                 "fork", "-o", picture], here, 0)}
    with open(os.path.join(here, picture), encoding="utf-8") as f:
        texts["svg"] = f.read()
    return texts


def _usage(here):
    """Errors and notes on stderr that give back what the user named."""
    return {"stderr": "".join(_portproof(argv, here, 2) for argv in (
        ["check", "process", "no\x1b[2J\udcff.py"],
        ["check", "pro\x1b[2Jcess", NAME],
        ["check", "process", NAME, "--json", "no\x1b[2J\udcff/r.json"],
        ["diff", "no\x1b[2J.py", NAME, "--", "--json=\x1b[2J"],
        ["timeline", NAME, "-o", "t\x1b[2J.gif"],
    ))}


# Each printer, and where it shows the subject's own name, output, child, file, warning or
# exception: {format: [what it must show, escaped]}.
PRINTERS = [
    pytest.param(_check, {
        "text": [f"process: {SHOWN_NAME} on Python "],
        "html": [SHOWN_NAME, f"ValueError: bad {SHOWN}"],
        "json": []}, id="check"),
    pytest.param(_compare, {
        "text": [f"side 3 {SHOWN}"],
        "html": ["root\\x1b[2J\\xff", f"side 3 {SHOWN}\\xff", "side 2 \\x1b[2J\\x07"],
        "json": []}, id="compare"),
    pytest.param(_diff, {
        "text": [f"OLD {SHOWN_NAME} on Python 2.7", f"      + side 3 {SHOWN}\\xff",
                 f"uncaught exception ValueError: bad {SHOWN}",
                 f"file out{SHOWN}\\xff.txt is created by NEW only",
                 f"NEW warns: UserWarning: careful {SHOWN}"],
        "html": [SHOWN_NAME, f"side 3 {SHOWN}\\xff"],
        "json": []}, id="diff"),
    pytest.param(_port, {
        "text": [f"--- {SHOWN_NAME}", "+++ new\\x1b[2J\\xff.py",
                 "could not port:\n  new\\x1b[2J\\xff.py:",
                 "new\\x1b[2J\\xff.py does not behave like"],
        "html": [SHOWN_NAME, f"side 3 {SHOWN}\\xff", f"--- {SHOWN_NAME}",
                 "+++ new\\x1b[2J\\xff.py"],
        "json": []}, id="port"),
    pytest.param(_timeline, {
        "text": ["t\\x1b[2J.svg: "],
        "svg": [SHOWN_NAME, f"kid{SHOWN}"]}, id="timeline"),
    pytest.param(_usage, {"stderr": [
        "script 'no\\x1b[2J\\xff.py' does not exist",
        "unknown example 'pro\\x1b[2Jcess'",
        "--json no\\x1b[2J\\xff/r.json: cannot write",
        "--json=\\x1b[2J after -- goes to the scripts",
        "-o 't\\x1b[2J.gif': give a file name ending in"]}, id="usage-errors-and-notes"),
]


class _Text(HTMLParser):
    """A page's text and attribute values, entities resolved: what a browser shows."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.parts += [value or "" for _, value in attrs]

    def handle_data(self, data):
        self.parts.append(data)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.skipif(NEWEST is None, reason="no Python 3 found")
@pytest.mark.parametrize(("printer", "expected"), PRINTERS)
def test_every_printer_shows_what_a_subject_chose_escaped(printer, expected, tmp_path):
    here = str(tmp_path)
    shutil.copy(HOSTILE, os.path.join(here, NAME))
    texts = printer(here)
    assert sorted(texts) == sorted(expected)
    for form, text in texts.items():
        if form == "json":
            # JSON is data: it keeps the true strings, ESC, BEL and U+202E included.
            assert any("\x1b[2J\x07\u202e" in string for string in _strings(json.loads(text)))
            continue
        if form == "html":
            text = "".join(_Text(text).parts)
        if form == "svg":
            ElementTree.fromstring(text)  # well-formed XML: no control character in it
        raw = RAW.search(text)
        assert raw is None, (form, raw.group(), text[max(0, raw.start() - 60):raw.end() + 20])
        for part in expected[form]:
            assert part in text, f"{form}: {part!r} not in {text!r}"


@pytest.mark.skipif(NEWEST is None, reason="no Python 3 found")
def test_the_json_keeps_what_the_subject_printed_and_named(tmp_path):
    here = str(tmp_path)
    shutil.copy(HOSTILE, os.path.join(here, NAME))
    report = json.loads(_check(here)["json"])
    (run,) = report["cells"][0]["runs"]
    # A byte that is not UTF-8 is `\xff`, in a line as in a name (the manual's "Reports").
    assert report["cells"][0]["script"] == "ev\x1b[2Jil\\xff.py"
    assert [line["text"] for line in run["lines"]] == [
        "side 3 \x1b[2J\x07\u202e\\xff", "child \x1b[2J\x07\u202e\\xff"]
    assert "ValueError: bad \x1b[2J\x07\u202e" in run["stderr"]
    assert "kid\x1b[2J\x07\u202e" in [p["name"] for p in run["processes"]]

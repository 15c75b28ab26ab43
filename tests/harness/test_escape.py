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
# The subject under a name that holds ESC and a byte that is not UTF-8 (made here: a name a
# checkout is better without).
NAME = "ev\x1b[2Jil\udcff.py"
SHOWN_NAME = "ev\\x1b[2Jil\\xff.py"
# What must never reach a reader raw: C0 controls but the newline and the tab, DEL, C1
# controls, bidi overrides, isolates and marks, lone surrogates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                 "\ud800-\udfff]")
PY27 = INTERPRETERS.get("2.7")
NEWEST = PY3[-1] if PY3 else None


def _machine_port_runs_here() -> bool:
    try:
        from portproof import _machine_port  # noqa: F401
        import fissix  # noqa: F401
        import pyupgrade  # noqa: F401
    except ImportError:
        return False
    return True


def _portproof(argv, cwd, expect, statuses, key=None):
    """`python -m portproof argv` in `cwd`: stdout and stderr, decoded as a terminal would
    (surrogateescape keeps any byte that is not UTF-8 visible to RAW); its exit status, if not
    `expect`, is kept in `statuses` under `key` (default: the command)."""
    done = subprocess.run([sys.executable, "-m", "portproof", *argv], cwd=cwd,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": ROOT, "TERM": "xterm"})
    out = done.stdout.decode("utf-8", "surrogateescape")
    err = done.stderr.decode("utf-8", "surrogateescape")
    if done.returncode != expect:
        statuses[key or argv[0]] = (done.returncode, expect, out + err)
    return out + err


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    """What each command and format shows of the subject, {(command, format): text}, and the
    commands that did not exit as expected, {command: (status, expected, output)}."""
    if NEWEST is None:
        pytest.skip("no Python 3 found")
    folder = tmp_path_factory.mktemp("hostile")
    here = str(folder)
    shutil.copy(HOSTILE, os.path.join(here, NAME))
    python = ["--python", NEWEST.path]
    one = ["--start-method", "fork", "--mode", "pipe"]
    texts, statuses = {}, {}

    def reports(command, argv, expect):
        texts[command, "text"] = _portproof(
            [*argv, "--json", f"{command}.json", "--html", f"{command}.html"], here, expect,
            statuses)
        with open(os.path.join(here, f"{command}.json"), encoding="utf-8") as f:
            texts[command, "json"] = f.read()
        with open(os.path.join(here, f"{command}.html"), encoding="utf-8") as f:
            texts[command, "html"] = f.read()

    reports("check", ["check", "process", NAME, *python, *one, "--runs", "1"], 1)
    # compare's root holds the subject as each example of each side.
    root = os.path.join(here, "root\x1b[2J\udcff")
    for side in ("py2_original", "py3_port"):
        os.makedirs(os.path.join(root, side))
        for example in ("process", "pool", "process_subclass", "queue_shared", "queue_timeout",
                        "pipe", "value_array"):
            shutil.copy(HOSTILE, os.path.join(root, side, f"{example}.py"))
    reports("compare", ["compare", "--root", root, *python, "--jobs", "2"], 1)
    if PY27 is not None:
        diff = [*python, *one, "--baseline-runs", "1", "--jobs", "2"]
        reports("diff", ["diff", NAME, NAME, *diff], 1)
        if _machine_port_runs_here():
            reports("port", ["port", NAME, "-o", "new\x1b[2J\udcff.py", *diff], 1)
    texts["timeline", "text"] = _portproof(
        ["timeline", NAME, *python, "--start-method", "fork", "-o", "t\x1b[2J.svg"], here, 0,
        statuses)
    if "timeline" not in statuses:
        with open(os.path.join(here, "t\x1b[2J.svg"), encoding="utf-8") as f:
            texts["timeline", "svg"] = f.read()
    # Errors and notes on stderr that name what the user gave.
    texts["usage", "stderr"] = "".join(_portproof(argv, here, 2, statuses, "usage") for argv in (
        ["check", "process", "no\x1b[2J\udcff.py"],
        ["check", "pro\x1b[2Jcess", NAME],
        ["check", "process", NAME, "--json", "no\x1b[2J\udcff/r.json"],
        ["diff", "no\x1b[2J.py", NAME, "--", "--json=\x1b[2J"],
        ["timeline", NAME, "-o", "t\x1b[2J.gif"],
    ))
    return texts, statuses


PRINTED = [("check", "text"), ("check", "json"), ("check", "html"),
           ("compare", "text"), ("compare", "json"), ("compare", "html"),
           ("diff", "text"), ("diff", "json"), ("diff", "html"),
           ("port", "text"), ("port", "json"), ("port", "html"),
           ("timeline", "text"), ("timeline", "svg"), ("usage", "stderr")]


def _output(shown, command, form):
    __tracebackhide__ = True
    texts, statuses = shown
    if command in statuses:
        status, expected, output = statuses[command]
        pytest.fail(f"{command} exited with {status}, not {expected}: {output}")
    if (command, form) not in texts:
        pytest.skip(f"{command} does not run here (diff needs Python 2.7; port, its extra on "
                    "Python 3.11+)")
    return texts[command, form]


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


@pytest.mark.parametrize(("command", "form"), PRINTED)
def test_no_printer_shows_a_raw_control_character(shown, command, form):
    text = _output(shown, command, form)
    if form == "json":
        # JSON is data: it keeps the true strings, ESC, BEL and U+202E included.
        assert any("\x1b[2J\x07\u202e" in string for string in _strings(json.loads(text)))
        return
    if form == "html":
        text = "".join(_Text(text).parts)
    if form == "svg":
        ElementTree.fromstring(text)  # well-formed XML: no control character in it
    assert not RAW.search(text), RAW.search(text)
    assert "\\x1b[2J" in text  # shown, as an escape


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_the_json_keeps_what_the_subject_printed_and_named(shown):
    (run,) = json.loads(_output(shown, "check", "json"))["cells"][0]["runs"]
    # A byte that is not UTF-8 is `\xff`, in a line as in a name (the manual's "Reports").
    assert [line["text"] for line in run["lines"]] == [
        "side 3 \x1b[2J\x07\u202e\\xff", "child \x1b[2J\x07\u202e\\xff"]
    assert "ValueError: bad \x1b[2J\x07\u202e" in run["stderr"]
    assert "kid\x1b[2J\x07\u202e" in [p["name"] for p in run["processes"]]


# Where each printer shows the subject's own name, output, child, file, warning or exception.
ESCAPED_THERE = [
    pytest.param("check", "text", [f"process: {SHOWN_NAME} on Python "], id="check-header"),
    pytest.param("check", "html", [SHOWN_NAME, "ValueError: bad \\x1b[2J\\x07\\u202e"],
                 id="check-page"),
    pytest.param("compare", "html", ["root\\x1b[2J\\xff", "side 3 \\x1b[2J\\x07\\u202e\\xff"],
                 id="compare-page"),
    pytest.param("diff", "text", [
        f"OLD {SHOWN_NAME} on Python 2.7", "      + side 3 \\x1b[2J\\x07\\u202e\\xff",
        "uncaught exception ValueError: bad \\x1b[2J\\x07\\u202e",
        "file out\\x1b[2J\\x07\\u202e\\xff.txt is created by NEW only",
        "NEW warns: UserWarning: careful \\x1b[2J\\x07\\u202e"], id="diff-report"),
    pytest.param("diff", "html", [SHOWN_NAME, "+ side 3 \\x1b[2J\\x07\\u202e\\xff"],
                 id="diff-page"),
    pytest.param("port", "text", [SHOWN_NAME, "new\\x1b[2J\\xff.py"], id="port-report"),
    pytest.param("timeline", "text", ["t\\x1b[2J.svg: "], id="timeline-summary"),
    pytest.param("timeline", "svg", [SHOWN_NAME, "kid\\x1b[2J\\x07\\u202e"],
                 id="timeline-picture"),
    pytest.param("usage", "stderr", [
        "script 'no\\x1b[2J\\xff.py' does not exist",
        "unknown example 'pro\\x1b[2Jcess'",
        "--json no\\x1b[2J\\xff/r.json: cannot write",
        "--json=\\x1b[2J after -- goes to the scripts",
        "-o 't\\x1b[2J.gif': give a file name ending in"], id="usage"),
]


@pytest.mark.parametrize(("command", "form", "expected"), ESCAPED_THERE)
def test_each_printer_shows_what_the_subject_chose_as_escapes(shown, command, form, expected):
    text = _output(shown, command, form)
    if form == "html":
        text = "".join(_Text(text).parts)
    for part in expected:
        assert part in text, (part, text)

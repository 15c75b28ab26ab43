"""On a terminal: compare's and diff's progress on stderr, the verdicts in colour; off a terminal,
or with NO_COLOR, the plain text the other tests and the docs show."""
import fcntl
import io
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest

from _suite import PY3, ROOT
from portproof._boot import protocol
from portproof import _terminal
from portproof._table import print_table
from portproof._contain import processes_with

needs_py3 = pytest.mark.skipif(not PY3, reason="no Python 3 found")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # what sets a colour or an attribute
# An SGR that sets a colour (foreground or background, 8, 16, 256 or 24-bit), not just dim.
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")
ERASE_LINE = "\x1b[2K"
PROCESS = os.path.join(ROOT, "py3_port", "process.py")

COLUMNS = [("py3_port", "3.13", "fork"), ("py3_port", "3.13", "spawn")]
ROWS = {"process": ["ok", "FAIL"], "pool": ["-", "ok"]}
PLAIN_TABLE = """
         py3_port
         3.13
         fork     spawn
process  ok       FAIL
pool     -        ok

"""


@pytest.fixture
def environ(monkeypatch):
    """No colour setting of the caller's: each test sets its own."""
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    return monkeypatch


# Plain output: the text is what it always was, without an escape code.
@pytest.mark.parametrize(("terminal", "no_color"), [
    pytest.param(None, None, id="not-a-terminal"),
    pytest.param(False, None, id="forced-off"),
    pytest.param(True, "1", id="terminal-with-NO_COLOR"),
    pytest.param(None, "1", id="NO_COLOR-off-a-terminal"),
])
def test_the_matrix_is_plain(terminal, no_color, environ, capsys):
    environ.setattr(_terminal, "FORCE_TERMINAL", terminal)
    if no_color is not None:
        environ.setenv("NO_COLOR", no_color)
    print_table(COLUMNS, ROWS)
    assert capsys.readouterr().out == PLAIN_TABLE


# Colour: on a terminal, and with NO_COLOR unset or empty (no-color.org: "" is unset).
@pytest.mark.parametrize("no_color", [pytest.param(None, id="unset"),
                                      pytest.param("", id="empty")])
def test_the_matrix_is_coloured_on_a_terminal(no_color, environ, capsys):
    environ.setattr(_terminal, "FORCE_TERMINAL", True)
    if no_color is not None:
        environ.setenv("NO_COLOR", no_color)
    print_table(COLUMNS, ROWS)
    out = capsys.readouterr().out
    assert "\x1b[32mok\x1b[0m" in out  # green
    assert "\x1b[31mFAIL\x1b[0m" in out  # red
    assert "\x1b[2m-\x1b[0m" in out  # dim
    assert SGR.sub("", out) == PLAIN_TABLE  # the same text and spacing under the colour


# In colour too, a line's text is escaped: only portproof's own colour codes reach the terminal.
@pytest.mark.parametrize("terminal", [True, False], ids=["coloured", "plain"])
def test_a_line_shows_what_a_subject_chose_escaped(terminal, environ, capsys):
    environ.setattr(_terminal, "FORCE_TERMINAL", terminal)
    _terminal.Out().line(_terminal.word("FAIL"), " line \x1b[2J\x07\u202e", ("\x1b]0;t\x07", None))
    out = capsys.readouterr().out
    assert SGR.sub("", out) == "FAIL line \\x1b[2J\\x07\\u202e\\x1b]0;t\\x07\n"


def test_progress_shows_counts_and_goes_away_on_a_terminal(environ):
    stream = io.StringIO()
    with _terminal.progress("compare", 3, "cells", "failing", file=stream,
                            force_terminal=True) as bar:
        bar.advance()
        bar.advance(failed=True)
    shown = stream.getvalue()
    assert "compare" in shown and "cells, " in shown and " elapsed" in shown
    # The last frame drawn, then erased: transient.
    last = shown.rindex("2/3 cells, 1 failing")
    assert shown.rindex(ERASE_LINE) > last
    assert "\x1b[?25h" in shown  # the cursor rich hid is back


def test_no_progress_off_a_terminal(environ):
    stream = io.StringIO()  # not a terminal
    with _terminal.progress("compare", 3, "cells", "failing", file=stream) as bar:
        bar.advance(failed=True)
        bar.add(2)
        bar.describe("diff NEW")
    assert stream.getvalue() == ""


def test_progress_with_no_color_has_no_colour(environ):
    environ.setenv("NO_COLOR", "1")
    stream = io.StringIO()
    with _terminal.progress("compare", 2, "cells", "failing", file=stream,
                            force_terminal=True) as bar:
        bar.advance()
    shown = stream.getvalue()
    assert "1/2 cells" in shown
    assert not COLOUR.search(shown), repr(shown)


# -- end to end, in a pseudo-terminal as a person runs portproof -----------------------------


def _foreground():
    # SIGINT at its default action, as in a terminal's foreground job (a suite started in the
    # background would otherwise give a portproof deaf to Ctrl-C).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _in_a_terminal(argv, tmp_path, env=None, interrupt_when=None, timeout=120):
    """Run `python -m portproof argv` with stdout and stderr on a pty 120 columns wide; return
    its exit status and everything it wrote there. With `interrupt_when`, Ctrl-C's SIGINT is
    sent once that text has been written."""
    mark = f"PORTPROOF_SUITE=terminal-{os.getpid()}-{time.monotonic_ns()}"
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
                             "COLUMNS", "LINES")}
    full_env.update(TERM="xterm", PORTPROOF_SUITE=mark.split("=")[1], TMPDIR=str(tmp_path),
                    **(env or {}))
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "portproof", *argv], cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=full_env,
                            start_new_session=True, preexec_fn=_foreground)
    os.close(slave)
    written = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every end of the terminal's other side is closed
                break
            if not chunk:
                break
            written += chunk
            if interrupt_when and interrupt_when.encode() in written:
                proc.send_signal(signal.SIGINT)
                interrupt_when = None
        else:
            pytest.fail(f"portproof {' '.join(argv)} still running after {timeout} s: "
                        f"{written.decode(errors='replace')!r}")
        status = proc.wait(timeout=10)
    finally:
        os.close(master)
        proc.kill()
        proc.wait()
        for p in processes_with(mark, f"{protocol.RUN}="):
            p.kill()
    assert processes_with(mark, f"{protocol.RUN}=") == []
    assert os.listdir(tmp_path) == []
    return status, written.decode().replace("\r\n", "\n")


def _diff_argv():
    # OLD and NEW the same Python 3 script, one run of each: a diff of a few seconds.
    python = PY3[-1].path
    return ["diff", PROCESS, PROCESS, "--old-python", python, "--python", python,
            "--start-method", "fork", "--mode", "pipe", "--baseline-runs", "1", "--fast"]


@needs_py3
def test_diff_in_a_terminal_shows_progress_then_a_coloured_verdict(tmp_path):
    status, shown = _in_a_terminal(_diff_argv(), tmp_path)
    assert status == 0, shown
    assert "diff NEW" in shown and "2/2 runs, 0 cell(s) differ or unstable" in shown
    verdict = shown.index("verdict")
    assert shown.rindex(ERASE_LINE, 0, verdict) > shown.rindex("runs,", 0, verdict)  # gone
    assert "\x1b[32msame\x1b[0m" in shown


@needs_py3
def test_diff_in_a_terminal_with_no_color_has_no_colour(tmp_path):
    status, shown = _in_a_terminal(_diff_argv(), tmp_path, env={"NO_COLOR": "1"})
    assert status == 0, shown
    assert "2/2 runs" in shown  # progress is not colour: it stays
    assert not COLOUR.search(shown), repr(shown)
    assert "verdict  same\n" in shown


@needs_py3
def test_diff_off_a_terminal_is_plain_and_has_no_progress(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "portproof", *_diff_argv()], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TERM": "xterm"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "\x1b" not in proc.stdout
    assert "verdict  same\n" in proc.stdout


@needs_py3
def test_ctrl_c_in_a_terminal_clears_the_progress_and_stops_at_once(tmp_path):
    argv = ["compare", "--python", PY3[-1].path, "--runs", "3"]
    start = time.monotonic()
    status, shown = _in_a_terminal(argv, tmp_path, interrupt_when="cells, ")
    assert time.monotonic() - start < 30
    assert status == 130, shown
    stopped = shown.index("portproof: interrupted after ")
    assert shown.rindex(ERASE_LINE, 0, stopped) > shown.rindex("cells, ", 0, stopped)
    assert "process " in shown[:stopped]  # the rows it had, after the progress went
    assert "\x1b[?25h" in shown  # the cursor rich hid is back
    assert shown.endswith("; every process it started is gone\n")


def test_off_a_terminal_rich_is_never_imported():
    # A quarter of portproof's start-up: a log or a pipe pays none of it.
    probe = ("import sys\nfrom portproof import _cli, _terminal\n"
             "_terminal.Out().line(_terminal.word('ok'))\n"
             "with _terminal.progress('compare', 1, 'cells', 'failing') as bar:\n"
             "    bar.advance()\n"
             "print('rich' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.stdout.split() == ["ok", "False"], proc.stderr

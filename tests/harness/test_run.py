"""The runner: start methods, fast sleeps, the subject's environment, and faults it survives."""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid

import psutil
import pytest

from _suite import (CONTAINMENTS, INTERPRETERS, NEWEST, ROOT, SUBJECTS, alive, gone,
                    needs_containment, run)
from portproof import _aftermath, _contain, _record, _run, _stream, _trace, timeouts
from portproof._boot import protocol
from portproof._matrix import judge_script
from portproof._spec import EXCERPT, SHOWN, judge, leak
from portproof.specs import SPECS

needs_py3 = pytest.mark.skipif(NEWEST is None, reason="no Python 3 found")


def test_start_method_reaches_every_process(slot):
    python = slot.python
    trace = run("start_method.py", python, start_method=slot.start_method)
    main = "__main__" if slot.start_method == "fork" else "__mp_main__"
    assert trace.text == ["parent " + slot.start_method,
                          f"child {slot.start_method} {main}"], trace.stderr


@pytest.mark.parametrize("time_scale", [_run.FAST, 1.0], ids=["fast", "real-time"])
def test_sleeps_are_scaled_in_every_process(slot, time_scale):
    python = slot.python
    trace = run("sleeps.py", python, start_method=slot.start_method, time_scale=time_scale)
    slept = {line.split()[0]: float(line.split()[-1]) for line in trace.text}
    assert set(slept) == {"parent", "child"}, trace.stderr
    for name, seconds in slept.items():
        if time_scale == 1.0:
            assert seconds >= 1.0, name
        else:
            assert seconds < 0.5, name


def test_only_the_scripts_own_sleeps_are_scaled(slot):
    """A sleep called by code outside the script's folder (an installed package), under a
    site-packages folder inside it (a venv beside the script), by threading or by
    multiprocessing (a thread's or a Pool's target) keeps its pace, as the standard library's
    does."""
    trace = run("sleeps_elsewhere.py", slot.python, start_method=slot.start_method)
    slept = {line.split()[0]: float(line.split()[-1]) for line in trace.text}
    assert slept["own"] < 0.5, trace.stderr
    kept = {name: seconds >= 1.0 for name, seconds in slept.items() if name != "own"}
    assert kept == dict.fromkeys(["elsewhere", "site-packages", "thread", "pool"], True), (
        slept, trace.stderr)


@needs_py3
@pytest.mark.parametrize("mode", _trace.MODES)
def test_caller_environment_does_not_reach_the_subject(monkeypatch, tmp_path, mode):
    """The subject runs in a session of its own, with portproof's environment: none of the
    caller's PYTHON* or locale variables, a fixed locale, stdout a terminal in pty mode only."""
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")
    monkeypatch.setenv("PYTHONWARNINGS", "error")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "odd"))
    monkeypatch.setenv("LANG", "C")
    monkeypatch.setenv("LC_ALL", "POSIX")
    trace = run("environment.py", mode=mode)
    assert trace.text == [
        "PYTHONUNBUFFERED None",
        "PYTHONWARNINGS default",  # portproof's, not the caller's "error"
        "PYTHONPATH_ODD None",
        "MARK None",
        "LANG None",
        "LC_ALL C.UTF-8",
        "odd path False",
        "warnings ['default']",
        f"stdout is a terminal {mode == 'pty'}",
        "own session True",
    ]


@pytest.mark.parametrize("python", INTERPRETERS.values(), ids=lambda p: p.minor)
def test_warnings_are_shown_whatever_the_caller_exports(python, monkeypatch):
    # PendingDeprecationWarning is hidden by Python's default filters on 2.7 and 3.x alike.
    monkeypatch.setenv("PYTHONWARNINGS", "ignore")
    trace = run("warns.py", python=python, start_method=python.start_methods[0])
    assert "PendingDeprecationWarning: this call will go" in trace.stderr
    assert "PendingDeprecationWarning: in the child too" in trace.stderr


def test_py2_pool_holds_whatever_the_caller_exports(monkeypatch):
    # With PYTHONUNBUFFERED=1, Python 2's print statement writes text and newline separately,
    # so lines of different processes interleave mid-line; the harness must not let it in.
    python = INTERPRETERS.get("2.7")
    if python is None:
        pytest.skip("no Python 2.7 found")
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")
    for mode in _trace.MODES:
        trace = _run.run_script(python, os.path.join(ROOT, "py2_original", "pool.py"), "fork",
                                mode)
        assert judge(SPECS["pool"], trace) == []


@needs_py3
def test_the_interpreters_own_sitecustomize_still_runs(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([NEWEST.path, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = venv / "lib" / f"python{NEWEST.minor}" / "site-packages"
    (site / "sitecustomize.py").write_text("import os\nos.environ['MARK'] = 'own'\n")
    python = _run_probe(str(venv / "bin" / "python"))
    trace = run("environment.py", python)
    assert "MARK own" in trace.text, trace.stderr


def _run_probe(path):
    from portproof._interpreters import probe
    return probe(path)


def _groupgone(pgid):
    """No live (non-zombie) process left in the process group."""
    for p in psutil.process_iter():
        try:
            if os.getpgid(p.pid) == pgid and alive(p):
                return False
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return True


@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_hang_is_killed_with_all_its_processes(containment):
    start = time.monotonic()
    trace = run("hang_tree.py", mode="pty", timeout=2.0, containment=containment)
    assert time.monotonic() - start < 2.0 + 1.0
    assert trace.timeout == 2.0
    problem = judge(SPECS["process"], trace)[0]
    assert problem.startswith(f"timed out after 2 s: portproof killed {trace.script} and its")
    assert "time.sleep(600)" in problem  # says what hung
    # Only the token containment hears the SIGKILL portproof sent; it is not the script's fault.
    assert not any("was killed by" in p for p in judge(SPECS["process"], trace))
    pids = [int(p) for p in re.findall(r"\d+", " ".join(trace.text))]
    assert pids and gone(pids)
    assert _groupgone(trace.pid)


@needs_py3
@pytest.mark.parametrize("end", ["exit", "hang"])
def test_temporary_files_of_the_run_are_removed(end, monkeypatch):
    monkeypatch.setenv("SUBJECT_END", end)
    trace = run("temp_files.py", timeout=2.0)
    (line,) = trace.text
    paths = line.split()
    assert len(paths) == 2, trace.stderr
    for path in paths:
        assert not os.path.exists(path)


@needs_py3
def test_an_escaped_daemon_is_killed_and_reported():
    trace = run("daemon.py")
    assert trace.text == ["parent done"]
    assert len(trace.leaked) == 1
    assert gone(trace.leaked)
    assert any("left 1 process(es) running" in p for p in judge(SPECS["process"], trace))


@needs_py3
def test_processes_started_while_the_run_is_being_killed_are_killed_too(monkeypatch):
    mark = f"SUBJECT_MARK={uuid.uuid4().hex}"  # reaches every process of the subject
    monkeypatch.setenv(*mark.split("="))
    try:
        trace = run("breeding_daemon.py")
        assert trace.text == ["parent done"]
        assert trace.leaked  # the daemon, and any it had started, reported
        assert _contain.processes_with(mark) == []
    finally:  # if it failed: leave nothing of its own running
        for p in _contain.processes_with(mark):
            p.kill()


@needs_py3
@pytest.mark.parametrize("mode", _trace.MODES)
def test_a_flood_is_kept_bounded_and_marked(mode):
    trace = run("flood.py", mode=mode)
    kept = sum(len(line.text) for line in trace.lines[:-1])
    assert trace.truncated and trace.text[-1] == _trace.TRUNCATED
    assert kept <= _stream.MAX_KEPT
    assert any("truncated" in p for p in judge(SPECS["process"], trace))


@needs_py3
def test_bytes_that_are_not_utf8_and_a_last_line_without_end():
    trace = run("odd_bytes.py")
    assert trace.text == ["caf\\xe9 \\xff\\xfe", "no newline at the end"]
    assert judge(SPECS["process"], trace)  # judged (as wrong), not crashed on


@needs_py3
@pytest.mark.parametrize("signal", ["SIGSEGV", "SIGKILL"])
def test_a_signal_is_named(signal, monkeypatch):
    monkeypatch.setenv("SUBJECT_SIGNAL", signal)  # reaches the subject: not a PYTHON* variable
    trace = run("signalled.py")
    assert trace.signal == signal
    assert f"was killed by {signal}" in judge(SPECS["process"], trace)


@pytest.mark.parametrize(("subject", "major"), [("py2_only.py", 3), ("py3_only.py", 2)])
def test_code_of_the_other_major_is_refused_before_it_runs(subject, major):
    pythons = [i for i in INTERPRETERS.values() if i.version[0] == major]
    if not pythons:
        pytest.skip(f"no Python {major} found")
    verdict = judge_script("process", os.path.join(SUBJECTS, subject), pythons[-1], "fork")
    assert verdict.runs == 0
    (problem,) = verdict.problems
    assert problem.startswith(f"is not valid Python {pythons[-1].minor}: line ")


@needs_py3
def test_a_valid_script_that_logs_a_syntax_error_it_caught_is_judged_by_its_spec():
    verdict = judge_script("process", os.path.join(SUBJECTS, "caught_syntax_error.py"), NEWEST,
                           "fork", modes=("pipe",))
    (problem,) = verdict.problems
    assert problem.startswith("pipe run 1: wrote to stderr: ")
    assert "WARNING:root:skipped a legacy snippet: SyntaxError: " in problem


@pytest.mark.parametrize("mode", _trace.MODES)
def test_a_line_printed_after_a_child_ended_is_known_to_be_written_after(slot, mode, monkeypatch):
    """Each process of the run rings portproof as the record notes its start and end, and
    portproof then finds the output empty: a line that comes later was written later. A process
    at its end waits until portproof has looked, so this holds for a line printed the moment
    the child is joined, even when portproof is slow to hear the ring (a loaded machine; here
    it reads the bell 0.2 s late). diff holds the order of lines the main process wrote alone
    on this."""
    real_read = os.read

    def read(fd, n):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(_stream.BELL):
            time.sleep(0.2)
        return real_read(fd, n)

    monkeypatch.setattr(_stream.os, "read", read)
    trace = run("after_child.py", slot.python, start_method=slot.start_method,
                mode=mode, time_scale=1.0)
    (line,) = trace.lines
    child = [p for p in trace.processes if p.name]
    assert len(child) == 1 and child[0].end is not None, trace.processes
    assert child[0].end <= line.earliest <= line.t, (child, line)


@needs_py3
def test_lines_are_stamped_by_the_clock_of_the_record(monkeypatch):
    """The boot stamps the record by the wall clock (time.time(), which Python 2.7 has): the
    lines must be stamped by it too. Were they stamped by the monotonic clock, a step or drift
    of one against the other would move a line before the event it followed; here the
    monotonic clock is made to run at half speed."""
    real = time.monotonic
    monkeypatch.setattr(_stream.time, "monotonic", lambda: real() / 2)
    trace = run("after_child.py", time_scale=1.0)
    (line,) = trace.lines
    (child,) = (p for p in trace.processes if p.name)
    assert child.end <= line.earliest <= line.t, (child, line)


@needs_py3
def test_a_binary_subject_gets_a_short_escaped_verdict():
    """230 KB of random bytes: each sentence quotes a bounded, escaped excerpt, and the lines
    that are not the spec's are counted past the first few."""
    problems = judge(SPECS["process"], run("binary_output.py"))
    assert 0 < len(problems) <= 10, problems
    assert all(len(p) <= 300 and p.isprintable() for p in problems), problems
    assert any(p.endswith("more lines process does not print") for p in problems), problems


# What a sentence may quote of a subject: the first SHOWN things, each in at most two excerpts
# (a command line and the stack it hung in), besides portproof's own words and the script's path.
LONGEST = SHOWN * 2 * (EXCERPT + 60) + 300


@needs_py3
@pytest.mark.parametrize(("subject", "timeout", "said"), [
    # 150 forks that hang: 75 alike, said once with their count; 75 with command lines of their
    # own, the first few said, the rest counted
    pytest.param("many_hung.py", 3.0, ["timed out after 3 s", " processes)", "'sleep 60", " more"],
                 id="150-hung"),
    # escape sequences in a left child's argv and in a warning's file name and message; then
    # 2,000 warnings more, each from a place of its own
    pytest.param("escape_chars.py", timeouts.RUN,
                 [r"\x1b[31mred\x1b[0m", r"at evil\x1b[2J.py:1", " more warnings"],
                 id="escape-sequences"),
])
def test_every_sentence_is_bounded_and_escaped(subject, timeout, said):
    problems = judge(SPECS["process"], run(subject, timeout=timeout))
    assert len(problems) <= 3 * SHOWN, problems
    assert all(len(p) <= LONGEST and p.isprintable() for p in problems), problems
    for words in said:
        assert any(words in p for p in problems), (words, problems)


@needs_py3
@pytest.mark.parametrize("subject", ["hang_tree.py", "closed_streams.py"])
def test_a_cancelled_run_stops_at_once_and_leaves_nothing(subject, monkeypatch):
    mark = f"PORTPROOF_SUITE=cancelled-{uuid.uuid4().hex}"
    monkeypatch.setenv(*mark.split("="))
    cancel = threading.Event()
    cancelled_at = []

    def stop():
        cancelled_at.append(time.monotonic())
        cancel.set()

    threading.Timer(0.5, stop).start()
    with pytest.raises(_run.Cancelled):
        run(subject, cancel=cancel)
    assert time.monotonic() - cancelled_at[0] < 1.0
    assert _contain.processes_with(mark, f"{protocol.RUN}=") == []


@needs_py3
@pytest.mark.parametrize("containment", ["cgroup", "subreaper"])
def test_a_run_cancelled_while_its_supervisor_starts_leaves_nothing(containment, monkeypatch):
    # Cancelled before the supervisor has said the subject's pid, maybe before it has forked it:
    # what it starts afterwards must be killed too, not left to run.
    mark = f"PORTPROOF_SUITE=starting-{uuid.uuid4().hex}"
    monkeypatch.setenv(*mark.split("="))
    cancel = threading.Event()
    cancel.set()
    started = time.monotonic()
    with pytest.raises(_run.Cancelled):
        run("hang_tree.py", containment=containment, cancel=cancel)
    assert time.monotonic() - started < 1.0 + timeouts.PROBE / 10
    time.sleep(0.5)  # anything that could still start has started
    assert _contain.processes_with(mark, f"{protocol.RUN}=") == []


def test_what_the_streams_hold_when_the_drain_ends_is_read(monkeypatch):
    # A loaded machine can keep the reading thread away for the whole drain after the main
    # process ended: what was written before it ended is in the pipe all the same.
    monkeypatch.setattr(timeouts, "DRAIN", 0.0)
    read, write = os.pipe()
    os.write(write, b"written before the end\nand its last line\n")
    lines = _stream.Lines(strip_cr=False)
    try:
        assert _stream.pump({read: lines}, time.time(), time.monotonic() + 5.0, None,
                          ended=lambda: True)
    finally:
        os.close(read)
        os.close(write)
    assert [line.text for line in lines.lines] == ["written before the end", "and its last line"]


def test_a_process_still_writing_when_the_drain_ends_does_not_keep_the_reader(monkeypatch):
    # A process of the run left behind writes faster than the reader reads, after the main
    # process ended: the reader reads for a while, then stops.
    monkeypatch.setattr(timeouts, "DRAIN", 0.0)
    read, write = os.pipe()
    os.write(write, b"x\n")  # nothing but the flood below reads it: the pipe stays readable
    stop = threading.Event()
    monkeypatch.setattr(_stream.os, "read",
                        lambda fd, n: b"" if stop.is_set() else b"x" * 99 + b"\n")
    lines = _stream.Lines(strip_cr=False)
    pump = threading.Thread(target=_stream.pump, args=({read: lines}, time.time(),
                                                     time.monotonic() + 60.0, None),
                            kwargs={"ended": lambda: True})
    pump.start()
    pump.join(5.0)
    kept_reading = pump.is_alive()
    stop.set()  # the flood ends: a reader that kept reading comes to the end of the stream
    pump.join()
    for fd in (read, write):
        os.close(fd)
    assert not kept_reading
    assert lines.lines[0].text == "x" * 99


def test_each_line_knows_the_earliest_it_can_have_been_written():
    lines = _stream.Lines(strip_cr=False)
    lines.feed(b"a\n", t=0.10, read_at=0.09)  # nothing was read before: 0.0
    lines.feed(b"b\nc\nd", t=0.50, read_at=0.49)  # the read at 0.09 left the stream empty
    lines.feed(b"d\n", t=0.60, read_at=0.59)  # "dd" began before the read at 0.49
    full = b"e\n" * (_stream.READ_SIZE // 2)
    lines.feed(full, t=1.00, read_at=0.90)  # a full read: the stream may hold more
    lines.feed(b"f\n", t=1.10, read_at=1.05)
    lines.close(1.2)
    got = [(line.text, line.t, line.earliest) for line in lines.lines]
    assert got[:4] == [("a", 0.10, 0.0), ("b", 0.50, 0.09), ("c", 0.50, 0.09),
                       ("dd", 0.60, 0.09)]
    assert got[-1] == ("f", 1.10, 0.59)  # not 0.90: the stream was not seen empty then


def _texts(lines: _stream.Lines) -> list[str]:
    return [line.text for line in lines.lines]


# A stream whose head is full: each case is its reads after that, and the lines kept of them
# (a head of 5 bytes, "aaaa" and its end, and a tail of 6, the terminal's \r stripped; a line
# counts its bytes and one for its end).
AFTER_THE_HEAD = [
    pytest.param([b"yy\r\nbb\r\ncc\r", b"\n"], ["bb", "cc"], id="crlf-split-across-reads"),
    pytest.param([b"yy\r\nb", b"b", b"\r\n"], ["yy", "bb"], id="line-longer-than-a-read"),
    pytest.param([b"yy\r\nbb"], ["yy", "bb"], id="partial-last-line"),
    pytest.param([b"yy", b"yyy\r\nz\r\n"], ["z"], id="a-line-begun-in-an-earlier-read-left-out"),
    pytest.param([b"1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n"], ["4", "5", "6"], id="many-lines-a-read"),
    pytest.param([b"\r\n\r\nyyyy\r\n"], ["", "yyyy"], id="empty-lines-take-room"),
    pytest.param([b"yyyy\r\n\r\n\r\n"], ["", ""], id="empty-lines-after-a-full-tail"),
    pytest.param([b"\r\n" * 1000], [""] * 6, id="a-flood-of-empty-lines-is-bounded"),
    pytest.param([b"yyy\r\nzz\r\n"], ["zz"], id="the-last-that-fit"),
    pytest.param([b"123456\r\n"], [], id="a-line-longer-than-the-tail"),
]


@pytest.mark.parametrize(("reads", "tail"), AFTER_THE_HEAD)
def test_once_the_head_is_full_the_tail_keeps_the_last_lines_that_fit(reads, tail):
    lines = _stream.Lines(strip_cr=True, head=5, tail=6)
    for n, data in enumerate([b"aaaa\r\n", b"x" * 7 + b"\r\n", *reads]):  # the head, then full
        lines.feed(data, t=n, read_at=n)
    lines.close(len(reads) + 2)
    assert _texts(lines) == ["aaaa", _trace.TRUNCATED, *tail]


def test_a_flood_of_empty_lines_fills_the_head():
    lines = _stream.Lines(strip_cr=False, head=100, tail=0)
    lines.feed(b"\n" * 1_000_000, t=1.0, read_at=0.0)
    lines.close(1.0)
    assert lines.truncated
    assert _texts(lines) == [""] * 100 + [_trace.TRUNCATED]


def test_the_rest_of_a_cut_line_is_no_line_left_out():
    lines = _stream.Lines(strip_cr=False, head=3, tail=_trace.MAX_LINE + 5)
    rest = b"z" * (_trace.MAX_LINE + 5)  # longer than the tail: were it a line, it would empty it
    for data in [b"aa\n", b"b\n", b"z" * (_trace.MAX_LINE + 1), rest + b"\nc\n"]:
        lines.feed(data, t=1.0, read_at=1.0)
    lines.close(2.0)
    assert not lines.truncated
    assert _texts(lines) == ["aa", "b", "z" * _trace.MAX_LINE + _trace.LINE_CUT, "c"]


# Lines of every kind the reader tells apart: ends of \r\n and of \n, empty lines, a line longer
# than most reads, the last one without an end, a flood between them. Fed in one read, the
# stream is split as the head fills; fed in smaller ones, most of it comes once it is full.
STREAM = b"".join([
    b"head\r\n" * 3, b"\r\n", b"x" * 70 + b"\r\n", b"\n" * 5, b"y" * 1000 + b"\r\n",
    b"z" * 10_000, b"\r\n", (b"w" * 79 + b"\r\n") * 500, b"\r\n\r\n", b"tail " * 10 + b"\r\n",
    b"end\r\n", b"last",
])


@pytest.mark.parametrize("size", [7, 4095, _stream.READ_SIZE])
@pytest.mark.parametrize(("head", "tail"), [(_stream.MAX_KEPT, 0), (100, 0), (100, 600),
                                            (1200, 20_000), (1200, 80_000), (0, 0)])
def test_the_lines_kept_do_not_depend_on_the_size_of_the_reads(size, head, tail):
    whole = _stream.Lines(strip_cr=True, head=head, tail=tail)
    whole.feed(STREAM, t=1.0, read_at=0.0)
    whole.close(1.0)
    lines = _stream.Lines(strip_cr=True, head=head, tail=tail)
    for start in range(0, len(STREAM), size):
        lines.feed(STREAM[start:start + size], t=1.0, read_at=0.0)
    lines.close(1.0)
    assert lines.truncated == whole.truncated
    assert _texts(lines) == _texts(whole)


def test_a_line_the_tail_keeps_knows_the_earliest_it_can_have_been_written():
    lines = _stream.Lines(strip_cr=False, head=3, tail=6)
    lines.feed(b"aa\n", t=1.0, read_at=0.5, emptied=True)
    lines.feed(b"bbbbb\n", t=2.0, read_at=1.5, emptied=False)  # the head is full
    lines.feed(b"xxxxx\nx\ny\nzz", t=3.0, read_at=2.5, emptied=True)
    lines.feed(b"z\n", t=4.0, read_at=3.5)
    lines.close(5.0)
    got = [(line.text, line.t, line.earliest) for line in lines.lines]
    assert got == [("aa", 1.0, 0.0), (_trace.TRUNCATED, 2.0, None), ("y", 3.0, 0.5),
                   ("zzz", 4.0, 0.5)]


def test_a_stream_found_empty_between_two_lines_marks_the_second():
    read, write = os.pipe()
    lines = _stream.Lines(strip_cr=False)
    t0 = time.time()
    pump = threading.Thread(target=_stream.pump, args=({read: lines}, t0,
                                                     time.monotonic() + 5.0, None))
    pump.start()
    try:
        os.write(write, b"first\n")
        time.sleep(0.2)  # the reader reads it and finds the pipe empty
        written_at = time.time() - t0
        os.write(write, b"second\n")
    finally:
        os.close(write)
        pump.join()
        os.close(read)
    first, second = lines.lines
    assert first.t <= second.earliest <= written_at


def test_a_stream_emptied_by_many_reads_in_a_row_is_found_empty(monkeypatch):
    # Reads of 10 bytes: READS_IN_A_ROW of them take all that was written, and no read of
    # that turn finds the stream empty; the look after them does.
    real_read = os.read
    monkeypatch.setattr(_stream.os, "read", lambda fd, n: real_read(fd, min(n, 10)))
    read, write = os.pipe()
    lines = _stream.Lines(strip_cr=False)
    t0 = time.time()
    os.write(write, b"123456789\n" * _stream.READS_IN_A_ROW)
    pump = threading.Thread(target=_stream.pump, args=({read: lines}, t0,
                                                     time.monotonic() + 5.0, None))
    pump.start()
    try:
        time.sleep(0.2)  # the reader reads them all
        os.write(write, b"later\n")
    finally:
        os.close(write)
        pump.join()
        os.close(read)
    *first, later = lines.lines
    assert len(first) == _stream.READS_IN_A_ROW
    assert later.earliest >= first[-1].t


def test_a_ring_the_bell_read_took_came_before_the_stream_was_found_empty(monkeypatch, tmp_path):
    """Two processes end at once: portproof wakes on the first one's ring, and the second's
    lands before it reads the bell, which takes both. The stream was found empty after both
    ended, not when portproof woke; and the answer the two processes wait for says so."""
    bell = _stream.Bell(str(tmp_path))
    ring = os.open(bell.path, os.O_WRONLY | os.O_NONBLOCK)
    out_read, out_write = os.pipe()
    second_end = []
    real_read = os.read

    def read(fd, n):
        if fd == bell.fd and not second_end:
            time.sleep(0.01)  # portproof is kept waiting a moment (a loaded machine)
            second_end.append(time.time())  # the second process ends, and rings
            os.write(ring, b".")
        return real_read(fd, n)

    monkeypatch.setattr(_stream.os, "read", read)
    lines = _stream.Lines(strip_cr=False)
    t0 = time.time()
    pump = threading.Thread(target=_stream.pump, args=({out_read: lines}, t0,
                                                     time.monotonic() + 5.0, None),
                            kwargs={"bell": bell})
    pump.start()
    try:
        os.write(ring, b".")  # the first process ends
        while not second_end:
            time.sleep(0.01)
        time.sleep(0.1)  # the bell is read and the stream found empty
        with open(bell.looked, encoding="ascii") as f:
            answer = float(f.read())
        os.write(out_write, b"printed after both ended\n")
    finally:
        os.close(out_write)
        pump.join()
        for fd in (out_read, ring):
            os.close(fd)
        bell.close()
    (line,) = lines.lines
    assert line.earliest >= second_end[0] - t0
    assert answer >= second_end[0]


def test_a_closed_bell_answers_every_wait(tmp_path):
    """Once portproof stops looking, no process of the run waits for it at its end."""
    bell = _stream.Bell(str(tmp_path))
    bell.close()
    with open(bell.looked, encoding="ascii") as f:
        assert float(f.read()) > time.time() + 10 ** 9


@needs_py3
@pytest.mark.parametrize("mode", _trace.MODES)
def test_a_line_without_end_is_cut_and_marked(mode):
    trace = run("long_line.py", mode=mode)
    assert len(trace.text) == 2
    assert trace.text[0] == "z" * _trace.MAX_LINE + _trace.LINE_CUT
    assert trace.text[1] == "after"
    assert any("longer than" in p for p in judge(SPECS["process"], trace))


def test_a_pty_read_that_is_not_full_does_not_mean_the_stream_is_empty():
    # A pty read returns at most 4095 bytes: 30 lines written at once, read after a stall,
    # were all written before the stall ended, whatever the size of each read.
    import pty
    master, slave = pty.openpty()
    lines = _stream.Lines(strip_cr=True)
    start = time.time()  # the clock lines are stamped by
    try:
        for n in range(30):
            os.write(slave, b"%02d " % n + b"x" * 400 + b"\n")
        time.sleep(0.5)  # the stalled reader of the experiment, not a synchronisation
        stall_ended = time.time() - start
        os.close(slave)
        slave = None
        _stream.pump({master: lines}, start, time.monotonic() + 5.0, None)
    finally:
        os.close(master)
        if slave is not None:
            os.close(slave)
    assert len(lines.lines) == 30
    late = [line.text[:2] for line in lines.lines if line.earliest > stall_ended]
    assert late == []


@needs_py3
def test_stderr_keeps_its_head_and_its_tail():
    trace = run("stderr_flood.py")
    assert _trace.TRUNCATED in trace.stderr
    assert trace.stderr.startswith("noise")
    assert trace.stderr.endswith("ValueError: the end of the flood")
    assert len(trace.stderr) <= 2 * _stream.STDERR_KEPT + len(_trace.TRUNCATED) + 2
    assert any("ValueError: the end of the flood" in p for p in judge(SPECS["process"], trace))


def _kill(pids):
    for pid in pids:
        try:
            psutil.Process(pid).kill()
        except psutil.Error:
            continue


# A process that drops the token (an empty environment), and leaves its process group or its
# session or neither: the kernel's containments hold it whatever it does; "token" holds it only
# while it stays in the group (leaving the group too is its documented limit).
DROPS_THE_TOKEN = [
    *(pytest.param(containment, escape, id=f"{containment}-{escape}")
      for containment in ("cgroup", "subreaper") for escape in ("setsid", "setpgid", "none")),
    pytest.param("token", "none", id="token-none"),
]


@needs_py3
@pytest.mark.parametrize(("containment", "escape"), DROPS_THE_TOKEN)
def test_a_process_that_drops_the_token_is_found_killed_and_reported(
        containment, escape, monkeypatch):
    monkeypatch.setenv("SUBJECT_ESCAPE", escape)
    trace = run("escape_exec.py", containment=containment)
    (line,) = trace.text
    escaped = int(line.split()[1])
    try:
        assert trace.containment == containment
        assert list(trace.leaked) == [escaped]
        assert "escaped" in trace.leaked[escaped]
        assert gone([escaped])
        (said,) = (p for p in judge(SPECS["process"], trace) if p.startswith("left 1 process"))
        assert "time.sleep(600)" in said  # named by its command line
    finally:
        _kill([escaped])


@needs_py3
@pytest.mark.parametrize("containment", ["cgroup", "subreaper"])
def test_an_exit_said_with_the_pid_in_one_read_ends_the_run(containment, monkeypatch):
    """The supervisor says the subject's pid, then its exit status. Read late (a loaded
    machine), both lines come in the one read that was waiting for the pid, and nothing more
    wakes the wait for the end while a child left behind keeps the supervisor alive."""
    read_line = _contain.Box._read_line

    def late(box, deadline, cancel):
        while b"exit " not in box._buffer:
            box._buffer += os.read(box._control, 4096)
        return read_line(box, deadline, cancel)

    monkeypatch.setattr(_contain.Box, "_read_line", late)
    trace = run("exits_with_child.py", containment=containment, timeout=5.0)
    assert trace.timeout is None
    assert trace.returncode == 3
    assert len(trace.leaked) == 1


# multiprocessing's own helpers (the forkserver, the resource tracker) end once the processes
# they serve are gone; on a loaded machine that can take longer than the output's drain. One
# that ends within timeouts.HELPERS_END is no leak; one that does not end is, after that wait.
@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
@pytest.mark.parametrize("linger", ["1.0", "never"])
def test_a_helper_of_multiprocessing_may_end_after_the_main_process(containment, linger,
                                                                     monkeypatch):
    monkeypatch.setenv("SUBJECT_LINGER", linger)
    start = time.monotonic()
    trace = run("slow_helper.py", containment=containment)
    (line,) = trace.text
    child = int(line.split()[1])
    assert (trace.timeout, trace.returncode) == (None, 0)
    if linger == "never":
        assert list(trace.leaked) == [child]
        assert "multiprocessing.forkserver" in trace.leaked[child]
        assert time.monotonic() - start >= timeouts.HELPERS_END
    else:
        assert trace.leaked == {}
    assert gone([child])


@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_the_end_of_a_run_is_its_main_process_exiting(containment):
    start = time.monotonic()
    trace = run("exits_with_child.py", containment=containment)
    (line,) = trace.text
    child = int(line.split()[1])
    assert time.monotonic() - start < 1.0 + timeouts.DRAIN
    assert trace.timeout is None
    assert trace.returncode == 3
    assert list(trace.leaked) == [child]
    assert "time.sleep(600)" in trace.leaked[child]
    assert gone([child])
    problems = judge(SPECS["process"], trace)
    assert "exited with status 3" in problems
    (leak,) = (p for p in problems if p.startswith("left 1 process(es) running"))
    assert "time.sleep(600)" in leak  # named by its command line


@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_run_that_closed_its_output_still_times_out(containment):
    start = time.monotonic()
    trace = run("closed_streams.py", containment=containment, timeout=1.0)
    assert time.monotonic() - start < 1.0 + 1.0
    assert trace.timeout == 1.0
    assert _groupgone(trace.pid)


@needs_py3
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_teardown_asks_each_process_to_end_before_it_kills_it(containment):
    # SIGTERM, a grace, then SIGKILL: a child that cleans up when asked to end gets to.
    trace = run("asked_to_end.py", containment=containment, timeout=2.0)
    assert trace.text == ["ready"], trace.stderr
    assert trace.timeout == 2.0
    assert trace.files["termed.txt"].head == b"termed"


def _zombies(pids):
    found = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                found.append(pid)
        except psutil.NoSuchProcess:
            continue
    return found


@needs_py3
@pytest.mark.parametrize("containment", ["cgroup", "subreaper"])
def test_orphans_are_reaped_by_the_run(containment):
    trace = run("many_orphans.py", containment=containment)
    (line,) = trace.text
    orphans = [int(pid) for pid in line.split()[1:]]
    assert len(orphans) == 500, trace.stderr
    assert _zombies(orphans) == []


def _shm_names():
    return set(os.listdir("/dev/shm"))


@needs_py3
@pytest.mark.parametrize("tracker", ["keep", "kill"])
@pytest.mark.parametrize("start_method", ["fork", "spawn", "forkserver"])
def test_shared_memory_of_a_killed_run_is_removed(tracker, start_method, monkeypatch):
    monkeypatch.setenv("SUBJECT_TRACKER", tracker)
    trace = run("shm_hang.py", start_method=start_method, timeout=2.0)
    (line,) = trace.text
    names = line.split()[1:]
    # Under fork a Lock's semaphore is unlinked as soon as it is made: the segment alone.
    assert len(names) == (1 if start_method == "fork" else 2), trace.stderr
    assert not set(names) & _shm_names()
    if tracker == "keep":  # ended last, the resource tracker unlinked what it tracks
        assert trace.shm_removed == []
    if tracker == "kill":  # nothing of the run's was left to unlink them
        assert sorted(trace.shm_removed) == sorted(names)
        (said,) = (p for p in judge(SPECS["process"], trace) if "/dev/shm" in p)
        assert said.startswith(f"left {len(names)} shared-memory "
                               f"{'entry' if len(names) == 1 else 'entries'} in /dev/shm: ")
        assert all(repr(name) in said for name in names)


# glibc's sem_open makes a semaphore as sem.XXXXXX, then links it to its name.
GLIBC_TEMPORARY = re.compile(r"sem\.[A-Za-z0-9]{6}")


@needs_py3
@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_a_run_killed_while_making_shared_memory_leaves_none(start_method, monkeypatch):
    """A process killed inside a creation, before the boot recorded it (or inside sem_open,
    between its temporary file and the name), leaves nothing in /dev/shm."""
    token = f"churn{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("SUBJECT_TOKEN", token)
    began = time.time()
    for _ in range(4):
        trace = run("churns_shm.py", start_method=start_method, timeout=1.0)
        assert trace.text == ["churning"], trace.stderr
        assert trace.timeout is not None, trace.stderr
    left = []
    for name in _shm_names():
        try:
            made = os.stat(os.path.join("/dev/shm", name)).st_ctime
        except FileNotFoundError:
            continue
        if token in name or (GLIBC_TEMPORARY.fullmatch(name) and made >= began):
            left.append(name)
    assert left == []


@needs_py3
def test_a_run_works_in_a_folder_of_its_own(tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    for name in ("same.txt", "changed.txt", "gone.txt"):
        (workdir / name).write_text(name)
    stdin = tmp_path / "stdin.txt"
    stdin.write_text("from stdin")
    trace = run("in_its_folder.py", workdir=str(workdir), stdin=str(stdin), args=["a", "b"])
    (cwd,) = trace.text
    assert cwd not in (str(workdir), SUBJECTS), trace.stderr
    assert not os.path.exists(cwd)
    assert sorted(trace.files) == ["changed.txt", "gone.txt", "made.txt"]
    made = trace.files["made.txt"]
    assert made.head == b"from stdin a b" and made.size == len(made.head)
    assert trace.files["changed.txt"].head == b"changed.txtmore"
    assert trace.files["gone.txt"].size == -1
    assert (workdir / "changed.txt").read_text() == "changed.txt"  # the copy changed


def test_a_stack_is_said_on_one_line_innermost_first():
    dump = """Thread 0x00007f0451a39b80 (most recent call first):
  File "/usr/lib/python3.13/threading.py", line 359 in wait
  File "/usr/lib/python3.13/threading.py", line 1012 in _bootstrap

Current thread 0x00007f0451a40000 (most recent call first):
  File "/w/x.py", line 9 in child_waits_forever
  File "<string>", line 1 in <module>
"""
    assert _aftermath.compact(dump) == (
        "wait (threading.py:359) < _bootstrap (threading.py:1012) | "
        "child_waits_forever (x.py:9) < <module> (<string>:1)")


# Python 2.7 has fork only. On 3.6 (no os.register_at_fork) a fork child has no stack file of
# its own and is named by its command line only; a spawn child, a new interpreter, has one.
@pytest.mark.parametrize(("start_method", "python_minor"), [
    ("fork", "3"), ("fork", "2.7"), ("spawn", "3"), ("forkserver", "3"), ("fork", "3.6"),
    ("spawn", "3.6")])
def test_a_timeout_shows_each_process_s_python_stack(python_minor, start_method):
    python = NEWEST if python_minor == "3" else INTERPRETERS.get(python_minor)
    if python is None or start_method not in python.start_methods:
        pytest.skip(f"no Python {python_minor} with {start_method}")
    trace = run("stacks_hang.py", python, start_method=start_method, timeout=2.0)
    (line,) = trace.text
    parent, child = (int(pid) for pid in line.split()[1:])
    hung = {int(entry.split()[1].rstrip(":")): entry for entry in trace.hung}
    assert {parent, child} <= set(hung)
    if python.version[0] == 2:  # no faulthandler: command lines only
        assert all("File" not in entry for entry in hung.values())
    elif python.version[:2] == (3, 6) and start_method == "fork":
        assert "parent_waits_forever" in hung[parent]
        assert "File" not in hung[child] and "waits_forever" not in hung[child], hung[child]
    else:
        assert "parent_waits_forever" in hung[parent]
        assert "child_waits_forever" in hung[child]
        assert hung[parent].startswith(f"pid {parent} (")


def test_a_cgroup_folder_the_subject_cannot_join_is_not_used(tmp_path, monkeypatch):
    """A writable folder with a cgroup.procs is not enough (a delegated tree may refuse a
    move, a plain folder takes any write): portproof proves a process can join a group there
    before it calls the containment "cgroup", and else uses the next best."""
    (tmp_path / "cgroup.procs").write_text("")  # a plain folder that looks like a group
    monkeypatch.setattr(_contain, "_cgroup_mounts", lambda: [str(tmp_path)])
    _contain.joinable.cache_clear()
    try:
        assert _contain.choose() == _contain.Containment("subreaper")
        with pytest.raises(_contain.ContainmentError, match="cannot join a cgroup"):
            _contain.choose("cgroup")
        assert os.listdir(tmp_path) == ["cgroup.procs"]  # its trial group removed
    finally:
        _contain.joinable.cache_clear()


def test_groups_left_by_a_portproof_that_was_killed_are_removed():
    """A portproof killed by SIGKILL cannot remove its run's group: the next run removes each
    empty group whose portproof is gone and that is older than STALE_GROUP, and no other."""
    needs_containment("cgroup")
    parent = _contain._cgroup_parent()
    ended = subprocess.Popen(["true"])
    ended.wait()  # its pid: a portproof that is no more
    old = time.time() - 2 * timeouts.STALE_GROUP
    groups = [  # (name, made when, whether it is removed)
        (f"portproof-{ended.pid}-{uuid.uuid4().hex}", old, True),
        (f"portproof-trial-{ended.pid}-{uuid.uuid4().hex}", old, True),
        (f"portproof-{os.getpid()}-{uuid.uuid4().hex}", old, False),  # its portproof lives
        (f"portproof-{ended.pid}-{uuid.uuid4().hex}-", old, False),  # not a name of ours
        (f"portproof-{ended.pid}-{uuid.uuid4().hex}", time.time(), False),  # just made
    ]
    paths = [os.path.join(parent, name) for name, _, _ in groups]
    below = os.path.join(paths[0], "below")  # a group its subject made: removed with it
    try:
        for path, (_, made, _) in zip(paths, groups, strict=True):
            os.mkdir(path)
            os.utime(path, (made, made))
        os.mkdir(below)
        os.utime(paths[0], (old, old))
        run("after_child.py", containment="cgroup")
        assert [not os.path.exists(p) for p in paths] == [removed for _, _, removed in groups]
    finally:
        for path in [below, *paths]:
            if os.path.exists(path):
                os.rmdir(path)


def test_run_folders_left_by_a_portproof_that_was_killed_are_removed(tmp_path):
    """The run folders in TMPDIR of a portproof killed by SIGKILL go with the next run: each
    named by a pid that is no process now and older than STALE_GROUP, and no other."""
    ended = subprocess.Popen(["true"])
    ended.wait()
    old = time.time() - 2 * timeouts.STALE_GROUP
    folders = [  # (name, made when, whether it is removed)
        (f"portproof-{ended.pid}-abc", old, True),
        (f"portproof-own-{ended.pid}-abc", old, True),
        (f"portproof-{os.getpid()}-abc", old, False),  # its portproof lives
        (f"portproof-{ended.pid}-def", time.time(), False),  # just made
        (f"other-{ended.pid}-abc", old, False),  # not a name of ours
    ]
    for name, made, _ in folders:
        (tmp_path / name / "inside").mkdir(parents=True)
        (tmp_path / name / "inside" / "file").write_text("x")
        os.utime(tmp_path / name, (made, made))
    _run.sweep_folders(str(tmp_path))
    assert [not (tmp_path / name).exists() for name, _, _ in folders] == [
        removed for _, _, removed in folders]


def test_what_the_runs_of_a_killed_portproof_left_in_dev_shm_goes_with_their_folders(tmp_path):
    """The next run removes what a run of a portproof killed by SIGKILL made in /dev/shm, as
    that run's end would have: each entry its record names (that same file), and what a making
    its processes left unfinished named; not those of a live portproof's run."""
    ended = subprocess.Popen(["true"])
    ended.wait()
    token = uuid.uuid4().hex[:8]
    old = time.time() - 2 * timeouts.STALE_GROUP
    entries = {}
    for owner in (ended.pid, os.getpid()):
        own = tmp_path / f"portproof-own-{owner}-abc"
        own.mkdir()
        pending = own / (protocol.SHM_PENDING % 7)
        pending.write_text(f"psm_{token}_{owner}_pending")
        os.utime(pending, (old, old))
        made = f"psm_{token}_{owner}_made"
        for name in (made, f"psm_{token}_{owner}_pending"):
            with open(os.path.join("/dev/shm", name), "w"):
                pass
        inode = os.stat(os.path.join("/dev/shm", made)).st_ino
        (own / _record.NAME).write_text(json.dumps(
            {"event": "shm", "pid": 7, "ppid": 1, "t": old, "name": made, "inode": inode}) + "\n")
        os.utime(own, (old, old))
        entries[owner] = {made, f"psm_{token}_{owner}_pending"}
    try:
        _run.sweep_folders(str(tmp_path))
        left = {name for name in os.listdir("/dev/shm") if token in name}
        assert left == entries[os.getpid()]
        assert [p.name for p in tmp_path.iterdir()] == [f"portproof-own-{os.getpid()}-abc"]
    finally:
        for name in os.listdir("/dev/shm"):
            if token in name:
                os.unlink(os.path.join("/dev/shm", name))


def test_a_process_is_named_by_its_program_and_arguments_whatever_its_path(tmp_path):
    """A leaked or hung process is named by its command line; an interpreter deep in a folder
    (a venv in a clone under a long path) must not push its arguments out of the sentence."""
    deep = tmp_path.joinpath(*["d" * 40] * 4)
    deep.mkdir(parents=True)
    python = deep / "python3"
    python.symlink_to(sys.executable)
    child = subprocess.Popen([str(python), "-c", "import time; time.sleep(600)"])
    try:
        command = ""
        deadline = time.monotonic() + timeouts.PROBE
        while "sleep(600)" not in command and time.monotonic() < deadline:
            command = _contain.command_line(child.pid)
    finally:
        child.kill()
        child.wait()
    assert command == "python3 -c import time; time.sleep(600)"
    assert "time.sleep(600)" in leak([command])


# A shell without job control starts a background command with SIGINT ignored, and an ignored
# signal stays ignored across exec: the subject must still start with Python's own SIGINT
# handler, as from a terminal, or a port's Ctrl-C handling would be judged in a world where
# Ctrl-C does nothing.
@pytest.mark.parametrize("containment", CONTAINMENTS)
def test_a_subject_starts_with_sigint_as_python_sets_it_whatever_portproof_ignores(containment):
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        trace = run("sigint_default.py", containment=containment)
    finally:
        signal.signal(signal.SIGINT, ignored)
    assert trace.text == ["main: KeyboardInterrupt", "child: KeyboardInterrupt"]

"""The boot (portproof/_boot/sitecustomize.py) and the per-process record it writes."""
import json
import os
import pty
import signal
import subprocess

import pytest

from _suite import INTERPRETERS, NEWEST, PY3, SUBJECTS
from portproof import _normalise, _record, _run, timeouts
from portproof._boot import protocol
from portproof._observe import context
from portproof._spec import judge
from portproof.specs import SPECS

# Modules the boot may add to a bare start: itself (as sitecustomize and as _portproof_boot),
# time (its clock and sleep), atexit (the main process's end) and faulthandler (the stack dump
# on a timeout).
BOOT_MODULES = 5


def run(name, python, *, start_method, mode="pipe"):
    return _run.run_script(python, os.path.join(SUBJECTS, name), start_method, mode)


def test_every_process_of_the_run_is_recorded(slot):
    python = slot.python
    trace = run("boot_tree.py", python, start_method=slot.start_method)
    said = {line.split()[0]: [int(n) for n in line.split()[1:]] for line in trace.text}
    assert sorted(said) == ["main", "main-fork", "worker", "worker-fork"], trace.stderr
    by_pid = {p.pid: p for p in trace.processes}
    main, main_fork, worker, worker_fork = (
        by_pid[said[role][0]] for role in ["main", "main-fork", "worker", "worker-fork"])
    # Its parent is the supervisor that holds the run (see _contain), not a process of the run.
    assert main.pid == trace.pid and main.ppid not in {p.pid for p in trace.processes}
    assert main.argv == [python.path, trace.ran_as]  # the copy of the script it ran from
    assert (main.name, main.start_method) == (None, None)
    assert (main_fork.ppid, main_fork.name, main_fork.start_method) == (main.pid, None, None)
    assert (worker.ppid, worker.name, worker.start_method) == (
        said["worker"][1], "Worker", slot.start_method)
    assert (worker_fork.ppid, worker_fork.start_method) == (worker.pid, None)
    # Ends are recorded on a normal exit (the main process, sys.exit in a fork, a
    # multiprocessing child), not on os._exit.
    assert None not in (main.end, main_fork.end, worker.end)
    assert worker_fork.end is None
    assert (worker.exitcode, main.exitcode) == (0, None)  # known from _bootstrap only
    assert 0 <= main.start <= main_fork.start <= main_fork.end <= worker.start <= worker.end
    assert [p.start for p in trace.processes] == sorted(p.start for p in trace.processes)
    # Anything else is a helper of multiprocessing's: the resource tracker, the forkserver.
    others = [p for p in trace.processes if p not in (main, main_fork, worker, worker_fork)]
    assert all(p.name is None for p in others)
    servers = [p for p in others if p.start_method == "forkserver-server"]
    if slot.start_method == "forkserver":
        assert [s.pid for s in servers] == [worker.ppid]
    else:
        assert servers == []
    assert not [p for p in others if p.start_method not in (None, "forkserver-server")]


def test_a_start_method_the_script_chose_is_reported(slot):
    python = slot.python
    if python.version[0] == 2:
        pytest.skip("Python 2.7 has no set_start_method")
    trace = run("boot_switch.py", python, start_method=slot.start_method)
    problems = judge(SPECS["process"], trace)
    changed = [p for p in problems if "ran under" in p]
    if slot.start_method == "spawn":
        assert changed == [], problems
    else:
        assert changed == [f"process Switched ran under spawn, not {slot.start_method}"]


def test_a_pool_worker_is_held_after_its_last_task(slot):
    python = slot.python
    trace = run("boot_hold.py", python, start_method=slot.start_method)
    (line,) = trace.text
    pid, held = int(line.split()[0]), float(line.split()[1])
    assert held >= _run.LINGER, trace.stderr
    (worker,) = (p for p in trace.processes if p.pid == pid)
    assert worker.end is not None


def test_the_scaled_sleep_pickles_as_time_sleep(slot):
    python = slot.python
    trace = run("boot_pool_sleep.py", python, start_method=slot.start_method)
    assert trace.text == ["same True", "slept [None, None]"], trace.stderr


def test_the_boot_imports_little(slot):
    python = slot.python
    trace = run("boot_modules.py", python, start_method=slot.start_method)
    nowhere = _run.Folders("/nonexistent", "/nonexistent", "/nonexistent")
    env = _run.subject_env(slot.start_method, _run.RunOptions(), "bare", nowhere)
    del env["PYTHONPATH"]
    bare = subprocess.run([python.path, os.path.join(SUBJECTS, "boot_modules.py")], env=env,
                          capture_output=True, text=True, timeout=timeouts.PROBE, check=True)
    bare_count, bare_heavy = bare.stdout.splitlines()
    count, heavy = trace.text
    assert heavy == bare_heavy
    assert int(bare_count) < int(count) <= int(bare_count) + BOOT_MODULES


def _write(path, events):
    with open(path, "w") as f:
        for e in events:
            f.write((e if isinstance(e, str) else json.dumps(e)) + "\n")


def test_the_record_is_read_in_order_of_start(tmp_path):
    path = tmp_path / "record"
    _write(path, [
        {"event": "start", "pid": 20, "ppid": 10, "t": 1.5, "argv": ["py", "x.py"]},
        {"event": "start", "pid": 10, "ppid": 1, "t": 1.0, "argv": ["py", "x.py"]},
        "not json",
        '{"event": "start", "pid": 30',  # cut short
        {"event": "mp", "pid": 20, "ppid": 10, "t": 1.6, "name": "Process-1",
         "method": "fork"},
        {"event": "end", "pid": 20, "ppid": 10, "t": 2.0, "exitcode": 0},
        {"event": "end", "pid": 10, "ppid": 1, "t": 2.5, "exitcode": None},
        # the pid comes back for a new process
        {"event": "start", "pid": 20, "ppid": 10, "t": 2.25, "argv": ["py", "x.py"]},
        {"event": "end", "pid": 20, "ppid": 10, "t": 2.75, "exitcode": None},
    ])
    assert _record.read(str(path), 0.5) == [
        _record.ProcessInfo(10, 1, None, None, 0.5, 2.0, ["py", "x.py"]),
        _record.ProcessInfo(20, 10, "Process-1", "fork", 1.0, 1.5, ["py", "x.py"], 0),
        _record.ProcessInfo(20, 10, None, None, 1.75, 2.25, ["py", "x.py"]),
    ]


def line(pid, thread, text, **changed):
    return {"event": "line", "pid": pid, "ppid": 1, "t": 1.0, "thread": thread,
            "stream": "stdout", "text": text, **changed}


def test_the_lines_of_each_thread_of_a_process_are_read_in_the_order_written(tmp_path):
    path = tmp_path / "record"
    _write(path, [
        {"event": "start", "pid": 10, "ppid": 1, "t": 1.0, "argv": []},
        line(10, 7, "a"), line(10, 8, "x"), line(10, 7, "b"),
        line(10, 7, "not stdout", stream="stderr"), line(10, 7, ["not text"]),
        line(10, "7", "no thread"),
        {"event": "start", "pid": 20, "ppid": 10, "t": 1.5, "argv": []},
        line(20, 7, "c"),
        {"event": "end", "pid": 20, "ppid": 10, "t": 2.0, "exitcode": None},
        {"event": "start", "pid": 20, "ppid": 10, "t": 2.5, "argv": []},  # the pid comes back
        line(20, 7, "d"),
        line(30, 7, "e"),  # a process whose start was not recorded (forked by C code)
    ])
    assert [(p.pid, p.stdout) for p in _record.read(str(path), 0.0)] == [
        (10, [["a", "b"], ["x"]]), (30, [["e"]]), (20, [["c"]]), (20, [["d"]])]


def test_a_missing_record_is_empty(tmp_path):
    assert _record.read(str(tmp_path / "none"), 0.0) == []


def test_the_record_is_read_within_bounds(tmp_path):
    path = tmp_path / "record"
    starts = [{"event": "start", "pid": n, "ppid": 1, "t": float(n), "argv": []}
              for n in range(1, _record.MAX_EVENTS + 100)]
    _write(path, ["x" * (_record.MAX_LINE * 3)] + starts)
    got = _record.read(str(path), 0.0)
    assert [p.pid for p in got] == list(range(1, _record.MAX_EVENTS + 1))


# Lines a process wrote take no room from the events of the processes' lives, up to MAX_LINES
# lines read in all.
def test_the_lines_written_are_read_within_bounds_of_their_own(tmp_path):
    path = tmp_path / "record"
    lines = [line(1, 7, str(n)) for n in range(_record.MAX_OUTPUT + 100)]
    _write(path, [{"event": "start", "pid": 1, "ppid": 0, "t": 0.0, "argv": []}, *lines,
                  {"event": "start", "pid": 2, "ppid": 1, "t": 1.0, "argv": []}])
    first, second = _record.read(str(path), 0.0)
    assert first.stdout == [[str(n) for n in range(_record.MAX_OUTPUT)]]
    assert second.pid == 2
    _write(path, ["{}"] * _record.MAX_LINES + [{"event": "start", "pid": 3, "ppid": 1, "t": 1.0}])
    assert _record.read(str(path), 0.0) == []


def test_processes_writing_at_once_do_not_mix_their_lines(slot):
    python = slot.python
    if slot.start_method != "fork":
        pytest.skip("plain os.fork: the start method plays no part")
    trace = run("boot_forks.py", python, start_method=slot.start_method)
    assert trace.text == ["100"], trace.stderr
    children = [p for p in trace.processes if p.ppid == trace.pid]
    assert len(children) == 100
    assert all(p.end is not None for p in children)


def test_the_lines_each_thread_of_each_process_wrote_are_recorded_in_order(slot):
    python = slot.python
    if slot.start_method != "fork":
        pytest.skip("plain os.fork and threading: the start method plays no part")
    trace = run("boot_lines.py", python, start_method=slot.start_method)
    main_pid, child_pid = int(trace.text[0].split()[1]), int(trace.text[4].split()[1])
    by_pid = {p.pid: p.stdout for p in trace.processes}
    numbers = [str(n) for n in range(protocol.ORDER_LINES - 4)]
    # The main thread's lines, one list whether or not threading was imported; the first
    # ORDER_LINES only, each cut at LINE_TEXT characters.
    assert by_pid[main_pid] == [
        [f"main {main_pid}", "in pieces", "next", "x" * protocol.LINE_TEXT, *numbers],
        ["thread"]], trace.stderr
    assert by_pid[child_pid] == [[f"child {child_pid}"]]
    assert trace.text[-2:] == ["same True", "no newline"]


def test_what_the_boot_does_not_record_still_reaches_the_output(slot):
    """Lines written to file descriptor 1, to sys.stdout.buffer, or through a sys.stdout the
    program replaced are not in the record of the process's lines; they are in its output."""
    python = slot.python
    if slot.start_method != "fork":
        pytest.skip("no child: the start method plays no part")
    trace = run("boot_unrecorded.py", python, start_method=slot.start_method)
    written = ["recorded", "by descriptor", *(["by buffer"] if python.version[0] == 3 else []),
               "replaced"]
    assert trace.text == written, trace.stderr
    (main,) = (p for p in trace.processes if p.pid == trace.pid)
    assert main.stdout == [["recorded"]]


def _bytes_seen(python, script, mode, boot, tmp_path):
    """stdout and stderr of `script` in `mode`, run with the boot recording or without it."""
    folders = _run.Folders(str(tmp_path), str(tmp_path), str(tmp_path))
    env = _run.subject_env("fork", _run.RunOptions(), "bare", folders, script)
    if not boot:
        del env["PYTHONPATH"]
    read_fd, write_fd = pty.openpty() if mode == "pty" else os.pipe()
    with open(os.devnull, "rb") as stdin:
        process = subprocess.Popen([python.path, script], stdin=stdin, stdout=write_fd,
                                   stderr=subprocess.PIPE, env=env, cwd=str(tmp_path))
    os.close(write_fd)
    out = b""
    while True:
        try:
            data = os.read(read_fd, 65536)
        except OSError:  # a pty whose other end closed
            break
        if not data:
            break
        out += data
    os.close(read_fd)
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=timeouts.PROBE) == 0, err
    return out, err


# What the boot puts in sys.stdout's place writes what the real stream writes, and raises what
# it raises: on a terminal (a stream with an encoding, on Python 2.7) and on a pipe (without).
@pytest.mark.parametrize("mode", ["pty", "pipe"])
@pytest.mark.parametrize(("minor", "script"), [
    ("2.7", "boot_print_py2.py"), ("2.7", "boot_print.py"), ("3", "boot_print.py")])
def test_a_program_writes_the_same_with_the_boot_and_without(minor, script, mode, tmp_path):
    python = INTERPRETERS.get(minor) if minor != "3" else (PY3[-1] if PY3 else None)
    if python is None:
        pytest.skip(f"no Python {minor} found")
    path = os.path.join(SUBJECTS, script)
    bare = _bytes_seen(python, path, mode, False, tmp_path)
    booted = _bytes_seen(python, path, mode, True, tmp_path)
    assert booted == bare, mode
    assert b"same True" in bare[0]
    assert os.path.exists(os.path.join(str(tmp_path), _record.NAME))  # the boot recorded


# The one case not written the same (see the boot's header): on 2.7, print() of a unicode
# subclass with its own __str__ to a stream without an encoding.
def test_print_of_a_unicode_subclass_to_a_pipe_on_2_7_writes_its_characters(tmp_path):
    python = INTERPRETERS.get("2.7")
    if python is None:
        pytest.skip("no Python 2.7 found")
    path = os.path.join(SUBJECTS, "boot_unicode_subclass.py")
    assert _bytes_seen(python, path, "pipe", False, tmp_path) == (b"its __str__\n", b"")
    assert _bytes_seen(python, path, "pipe", True, tmp_path) == (b"its characters\n", b"")
    assert _bytes_seen(python, path, "pty", True, tmp_path) == (b"its characters\r\n", b"")
    assert _bytes_seen(python, path, "pty", False, tmp_path) == (b"its characters\r\n", b"")


# An exception a write raises passes through the boot's object: its traceback shows the
# object's write, a frame diff's harness frames rule drops, leaving the program's own.
def test_a_write_that_raises_shows_the_programs_frames_once_normalised():
    python = INTERPRETERS.get("2.7")
    if python is None:
        pytest.skip("no Python 2.7 found")
    trace = run("boot_write_fails.py", python, start_method="fork")
    raw = trace.stderr.splitlines()
    assert any(_normalise._BOOT in line for line in raw), raw
    assert _normalise.normalise(raw, context(trace)) == [
        "Traceback (most recent call last):",
        '  File "<script>", line 3, in <module>',
        "    print(u'caf\\xe9')",
        "UnicodeEncodeError: 'ascii' codec can't encode character u'\\xe9' in position 3: "
        "ordinal not in range(128)"]


# The boot's stack dump must not change what a signal does in the subject: a child meant to
# die of SIGUSR2 dies of it under portproof as without it.
@pytest.mark.parametrize("start_method", ["fork", "spawn", "forkserver"])
def test_a_child_meant_to_die_of_sigusr2_dies_of_it(start_method):
    if NEWEST is None or start_method not in NEWEST.start_methods:
        pytest.skip(f"no Python 3 with {start_method}")
    script = os.path.join(SUBJECTS, "dies_of_sigusr2.py")
    bare = subprocess.run([NEWEST.path, script, start_method], capture_output=True, text=True,
                          timeout=timeouts.RUN)
    trace = run("dies_of_sigusr2.py", NEWEST, start_method=start_method)
    assert bare.stdout.splitlines() == [f"exitcode {-signal.SIGUSR2}"], bare.stderr
    assert trace.text == bare.stdout.splitlines(), trace.stderr

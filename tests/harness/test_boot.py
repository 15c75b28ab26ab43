"""The boot (portproof/_boot/sitecustomize.py) and the per-process record it writes."""
import json
import os
import subprocess

import pytest

from _suite import SUBJECTS
from portproof import _record, _run, timeouts
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
    assert main.argv == [python.path, trace.script]
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


def test_a_missing_record_is_empty(tmp_path):
    assert _record.read(str(tmp_path / "none"), 0.0) == []


def test_the_record_is_read_within_bounds(tmp_path):
    path = tmp_path / "record"
    starts = [{"event": "start", "pid": n, "ppid": 1, "t": float(n), "argv": []}
              for n in range(1, _record.MAX_LINES + 100)]
    _write(path, ["x" * (_record.MAX_LINE * 3)] + starts)
    got = _record.read(str(path), 0.0)
    assert [p.pid for p in got] == list(range(1, _record.MAX_LINES))


def test_processes_writing_at_once_do_not_mix_their_lines(slot):
    python = slot.python
    if slot.start_method != "fork":
        pytest.skip("plain os.fork: the start method plays no part")
    trace = run("boot_forks.py", python, start_method=slot.start_method)
    assert trace.text == ["100"], trace.stderr
    children = [p for p in trace.processes if p.ppid == trace.pid]
    assert len(children) == 100
    assert all(p.end is not None for p in children)

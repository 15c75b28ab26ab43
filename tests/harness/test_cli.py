"""`python -m portproof`: exit codes, one-line usage errors, --help and --version, check and
compare."""
import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from _suite import INTERPRETERS, PITFALLS, PY3, ROOT, SUBJECTS
from portproof._boot import protocol
from portproof import __version__, _diff_options
from portproof._cli import _parser, main
from portproof._contain import KINDS, ContainmentError, choose
from portproof._contain import processes_with

needs_py3 = pytest.mark.skipif(not PY3, reason="no Python 3 found")
GOOD = os.path.join(ROOT, "py3_port", "pool.py")
ORIGINAL = os.path.join(ROOT, "py2_original", "pool.py")
PY27 = INTERPRETERS.get("2.7")

USAGE_ERRORS = [
    pytest.param(["check", "pool", "missing.py"], "'missing.py' does not exist", id="no-script"),
    pytest.param(["check", "pool", ROOT], "is a directory", id="directory"),
    pytest.param(["check", "threads", GOOD], "unknown example 'threads'; choose from process",
                 id="unknown-example"),
    pytest.param(["check", "pool", GOOD, "--start-method", "thread"],
                 "invalid choice: 'thread'", id="unknown-start-method"),
    pytest.param(["check", "pool", GOOD, "--mode", "file"], "invalid choice: 'file'",
                 id="unknown-mode"),
    pytest.param(["check", "pool", GOOD, "--python", "/nonexistent/python"],
                 "--python /nonexistent/python: no such file", id="python-missing"),
    pytest.param(["check", "pool", GOOD, "--python", __file__],
                 "not an executable file", id="python-not-executable"),
    pytest.param(["check", "pool", GOOD, "--python", "/bin/true"],
                 "not a Python interpreter", id="python-not-python"),
    pytest.param(["check", "pool", GOOD, "--python", "3.99"],
                 "--python 3.99: no Python 3.99 found on PATH or in pyenv's versions folder",
                 id="python-version-missing"),
    pytest.param(["check", "pool", GOOD, "--python", "python3.99"],
                 "--python python3.99: no such command on PATH", id="python-command-missing"),
    pytest.param(["check", "pool", GOOD, "--runs", "0"], "0 runs: give 1 or more", id="runs-0"),
    pytest.param(["check", "pool", GOOD, "--runs", "-1"], "-1 runs: give 1 or more",
                 id="runs-negative"),
    pytest.param(["check", "pool", GOOD, "--runs", "abc"], "'abc' is not a whole number",
                 id="runs-abc"),
    # A count far beyond any use is a slip, refused before anything is planned or allocated.
    pytest.param(["diff", GOOD, GOOD, "--baseline-runs", "100000000"],
                 "100000000 runs: give at most 1000", id="baseline-runs-absurd"),
    pytest.param(["compare", "--runs", "1001"], "1001 runs: give at most 1000",
                 id="runs-absurd"),
    pytest.param(["compare", "--jobs", "0"], "0 jobs: give 1 or more", id="jobs-0"),
    pytest.param(["compare", "--jobs", "100000"], "100000 jobs: give at most 1000",
                 id="jobs-absurd"),
    pytest.param(["compare", "--root", "/"], "no py2_original/ and py3_port/ under /",
                 id="compare-elsewhere"),
    pytest.param(["diff", GOOD, GOOD, "x"],
                 "unrecognized arguments: x (the scripts' arguments go after --)",
                 id="diff-argument-before-dashes"),
    pytest.param(["port", GOOD, "-o", "new.py", "x"],
                 "unrecognized arguments: x (the scripts' arguments go after --)",
                 id="port-argument-before-dashes"),
    pytest.param(["check", "pool", GOOD, "--", "x"], "unrecognized arguments: x",
                 id="check-takes-no-script-arguments"),
    # A script whose name starts with a dash reads as an option: the error says how to give it.
    pytest.param(["check", "pool", "-dash.py"],
                 "the following arguments are required: SCRIPT; -dash.py reads as an option: "
                 "give it as ./-dash.py, or after --", id="check-dash-script"),
    pytest.param(["timeline", "-dash.py", "-o", "t.svg"],
                 "the following arguments are required: SCRIPT; -dash.py reads as an option: "
                 "give it as ./-dash.py, or after --", id="timeline-dash-script"),
    # diff's -- is the scripts' arguments: ./ is the way.
    pytest.param(["diff", GOOD, "-dash.py"],
                 "the following arguments are required: NEW.py; -dash.py reads as an option: "
                 "give it as ./-dash.py", id="diff-dash-script"),
]


@pytest.mark.parametrize(("argv", "message"), USAGE_ERRORS)
def test_usage_errors_are_one_line_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("portproof: error: ")
    assert message in err


@needs_py3
@pytest.mark.parametrize("form", ["path", "command", "version"])
def test_an_interpreter_is_named_by_its_path_its_command_or_its_version(form, monkeypatch):
    """`--python /path/to/python3.13`, `--python python3.13` (on PATH, as a shell finds it) and
    `--python 3.13` (one of those portproof finds) name the same interpreter."""
    from portproof._args import interpreter

    python = PY3[-1]
    monkeypatch.setenv("PATH", os.path.dirname(python.path) + os.pathsep + os.environ["PATH"])
    name = {"path": python.path, "command": f"python{python.minor}",
            "version": python.minor}[form]
    assert interpreter(name).version == python.version


def test_bare_portproof_prints_the_help_and_exits_2(capsys):
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out.startswith("usage: portproof") and err == ""
    for command in ("check", "compare", "diff", "port", "timeline"):
        assert re.search(rf"^    {command} +\S", out, re.MULTILINE), command


@pytest.mark.parametrize("argv", [
    pytest.param(["check", "pool", "--", "-dash.py"], id="check"),
    pytest.param(["check", "pool", "--runs", "2", "--", "-dash.py"], id="check-options-first"),
    pytest.param(["check", "--", "pool", "-dash.py"], id="check-every-positional"),
    pytest.param(["timeline", "-o", "t.svg", "--", "-dash.py"], id="timeline"),
])
def test_a_script_named_with_a_dash_is_taken_after_dashes(argv):
    from portproof._cli import _parse

    assert _parse(argv).script == "./-dash.py"


# A Python 2 script given to a Python 3 check is bad input, said in one line, as diff says it.
@needs_py3
@pytest.mark.parametrize("command", [["check", "pool"], ["timeline", "-o", "{tmp}/t.svg"]],
                         ids=["check", "timeline"])
def test_a_script_its_python_cannot_read_is_a_usage_error(command, tmp_path, capsys):
    original = os.path.join(ROOT, "py2_original", "pool.py")
    command = [word.format(tmp=tmp_path) for word in command]
    argv = [*command, original, "--python", PY3[-1].path]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"portproof: error: script '{original}' is not valid Python "
                          f"{PY3[-1].minor}: line ")


@pytest.mark.skipif(PY27 is None, reason="no Python 2.7 found")
def test_diff_says_what_is_wrong_with_a_python_2_for_new(capsys):
    assert main(["diff", GOOD, GOOD, "--python", "2.7"]) == 2
    assert capsys.readouterr().err == (
        "portproof: error: --python 2.7: NEW is the Python 3 port, and 2.7 is a Python 2 "
        "(OLD's, chosen with --old-python); name a Python 3\n")


# A task with no line, in a real run on a pipe: lost where a worker wrote its lines and was
# terminated before it flushed them (.get() inside `with Pool`), not started where no worker
# was given it.
@needs_py3
@pytest.mark.parametrize(("script", "said"), [
    pytest.param(os.path.join(PITFALLS, "pool", "get_in_with.py"),
                 "no line of task 0: its output was lost, written but not flushed before its "
                 "process ended", id="lost"),
    pytest.param(os.path.join(SUBJECTS, "pool_task_unsent.py"), "task 0 never started",
                 id="not-started"),
])
def test_check_says_whether_a_tasks_lines_were_lost_or_never_written(script, said, capsys):
    assert main(["check", "pool", script, "--start-method", "fork", "--mode", "pipe",
                 "--runs", "1"]) == 1
    out = capsys.readouterr().out
    assert said in out, out
    assert ("never started" in out) == ("never started" in said), out


# A Python 2 beside a Python 3 in diff's --python is a usage error, as one alone is: NEW would
# run on the Python 3s only, and a report that leaves out what was named reads as covering it.
@pytest.mark.skipif(PY27 is None or not PY3, reason="needs Python 2.7 and a Python 3")
@pytest.mark.parametrize("command", [["diff", ORIGINAL, GOOD],
                                     ["port", ORIGINAL, "-o", "{tmp}/new.py"]])
def test_diff_says_a_python_2_among_its_python_3s_is_olds(command, tmp_path, capsys):
    command = [word.format(tmp=tmp_path) for word in command]
    assert main([*command, "--python", "2.7", "--python", PY3[-1].path]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "portproof: error: --python 2.7: NEW is the Python 3 port, and 2.7 is a Python 2 "
        f"(OLD's, chosen with --old-python); NEW would run on {PY3[-1].minor} only: leave "
        "--python 2.7 out\n")
    assert not os.path.exists(tmp_path / "new.py")


# Naming a Python 3 does not leave out the originals: they run on the Python 2 found, unless
# --python names a Python 2 or --no-python2 leaves them out.
@pytest.mark.skipif(PY27 is None or not PY3, reason="needs Python 2.7 and a Python 3")
@pytest.mark.parametrize(("argv", "minors"), [
    pytest.param(["--python", "3"], ["2.7", "3"], id="a-python-3"),
    pytest.param(["--python", "2.7"], ["2.7"], id="only-python-2"),
    pytest.param(["--python", "3", "--no-python2"], ["3"], id="no-python2"),
    pytest.param(["--python", "2.7", "--python", "3"], ["2.7", "3"], id="both"),
])
def test_compare_runs_the_originals_on_python_2_whatever_python_3_is_named(argv, minors):
    from portproof import _compare
    from portproof._cli import _parse

    newest = PY3[-1].minor
    argv = [newest if word == "3" else word for word in argv]
    args = _parse(["compare", *argv])
    assert [i.minor for i in _compare.compare_interpreters(args)] == [
        newest if m == "3" else m for m in minors]


@pytest.mark.skipif(PY27 is None or not PY3, reason="needs Python 2.7 and a Python 3")
def test_what_compare_leaves_out_by_choice_is_said_as_such(capsys):
    from portproof import _compare
    from portproof._cli import _parse
    from portproof._matrix import skips

    def reasons(argv):
        args = _parse(["compare", *argv])
        interpreters = _compare.compare_interpreters(args)
        return [s.reason for s in skips(interpreters, True,
                                        left_out=_compare._left_out(args, interpreters))]

    assert "py3_port was not run: no Python 3 among the interpreters named" in reasons(
        ["--python", "2.7"])
    left_out = reasons(["--python", PY3[-1].minor, "--no-python2"])
    assert "py2_original was not run: --no-python2" in left_out
    assert not any("2.7" in reason for reason in left_out)  # left out, not missing
    assert main(["compare", "--python", "2.7", "--no-python2"]) == 2
    assert capsys.readouterr().err == (
        "portproof: error: --no-python2 leaves out the Python 2 that --python names (2.7)\n")


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"portproof {__version__}\n"


# --version and --help are answered without importing what the commands need to run (the
# runner, the judges, the reports, and the standard library's modules only they use: the
# thread pool, which brings logging, and traceback, for an internal error), and a command's
# own --help imports that command only: start-up is then about an interpreter's
# (benchmarks/startup.py measures it).
LIGHT = {"portproof", "portproof._cli", "portproof._escape", "portproof._stop",
         "portproof._usage", "portproof.timeouts"}
HEAVY = {"concurrent.futures", "logging", "traceback"}


@pytest.mark.parametrize(("argv", "command"), [
    pytest.param(["--version"], None, id="version"),
    pytest.param(["--help"], None, id="help"),
    pytest.param(["diff", "--help"], "portproof._diff", id="diff-help"),
])
def test_version_and_help_import_no_command_they_do_not_name(argv, command):
    code = ("import sys; from portproof._cli import main; main(%r); "
            "sys.stderr.write(' '.join(sys.modules))" % argv)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    modules = set(done.stderr.split())
    imported = {m for m in modules if m.split(".")[0] == "portproof"}
    commands = {"portproof._check", "portproof._compare", "portproof._diff", "portproof._port",
                "portproof._timeline"}
    assert imported & commands == ({command} if command else set())
    if command is None:
        assert imported <= LIGHT, sorted(imported - LIGHT)
        assert not modules & HEAVY, sorted(modules & HEAVY)


def test_help_exits_0_and_says_what_portproof_is_for(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    words = " ".join(out.split())
    assert "runs the Python 2 script on Python 2.7 and its Python 3 port on every Python 3" in words
    for command in ("check", "compare", "diff", "port", "timeline"):
        assert re.search(rf"^    {command} +\S", out, re.MULTILINE), command


# diff's verdicts each have their exit status, and --help says which: 4 is an unstable cell's.
@pytest.mark.parametrize("command", [None, "diff", "port"])
def test_help_says_the_exit_status_of_an_unstable_cell(command, capsys):
    assert main([*filter(None, [command]), "--help"]) == 0
    words = " ".join(capsys.readouterr().out.split())
    said = ("4 no cell differs and one is unstable" if command else
            "4 (diff, port) none differs and a cell is unstable")
    assert said in words
    assert _diff_options.STATUS == {"same": 0, "differs": 1, "unstable": 4}


def _subparsers() -> argparse._SubParsersAction:
    (sub,) = (a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub


def _without_help(parser: argparse.ArgumentParser) -> list:
    return [a.option_strings or a.dest for a in parser._actions
            if not isinstance(a, argparse._SubParsersAction)
            and (not a.help or a.help == argparse.SUPPRESS)]


# A stranger's first look: every option of every command says what it does in --help.
@pytest.mark.parametrize("command", [None, *_subparsers().choices])
def test_every_option_has_help(command, capsys):
    parser = _parser() if command is None else _subparsers().choices[command]
    assert _without_help(parser) == []
    assert main([*filter(None, [command]), "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: portproof")


def test_every_command_has_a_line_of_help():
    sub = _subparsers()
    assert {a.dest: bool(a.help) for a in sub._choices_actions} == dict.fromkeys(sub.choices,
                                                                                 True)


@pytest.mark.skipif(PY27 is None, reason="no Python 2.7 found")
def test_a_start_method_the_interpreter_lacks(capsys):
    argv = ["check", "pool", GOOD, "--python", PY27.path, "--start-method", "spawn"]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        "portproof: error: Python 2.7 has no start method 'spawn'; it has fork\n")


@needs_py3
def test_check_accepts_a_right_port(capsys):
    assert main(["check", "pool", os.path.join(PITFALLS, "pool/executor.py"), "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "pool: holds"
    assert out.count(" ok") == 6 and "FAIL" not in out


@needs_py3
def test_check_rejects_a_wrong_port_where_it_is_wrong(capsys):
    argv = ["check", "pool", os.path.join(PITFALLS, "pool/get_in_with.py"), "--runs", "1",
            "--start-method", "spawn"]
    assert main(argv) == 1
    out = capsys.readouterr().out.splitlines()
    assert "  spawn      pty   ok" in out
    assert "  spawn      pipe  FAIL" in out
    heading = out.index(f"FAIL {PY3[-1].minor} spawn (pipe):")
    assert out[heading + 1].startswith("  no line of task 0: ")
    assert out[-1] == "pool: does not hold in 1 of 2 cells"


@needs_py3
def test_compare_prints_the_matrix_and_names_what_fails(tmp_path, capsys):
    for side in ("py2_original", "py3_port"):
        shutil.copytree(os.path.join(ROOT, side), tmp_path / side)
    # A wrong port of pool.py: the with-block is left without waiting.
    shutil.copy(os.path.join(PITFALLS, "pool/with_no_wait.py"), tmp_path / "py3_port" / "pool.py")
    python = PY3[-1]
    argv = ["compare", "--root", str(tmp_path), "--python", python.path, "--no-python2"]
    assert main(argv) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert any(line.split()[:1] == ["process"] and line.split()[1:] == ["ok"] * 3
               for line in lines)
    assert any(line.split() == ["pool", "FAIL", "FAIL", "FAIL"] for line in lines)
    # each reason once, under the cells that show it
    headings = [n for n, line in enumerate(lines) if line.startswith("FAIL ")]
    assert all(lines[n].startswith(f"FAIL pool py3_port {python.minor} ") for n in headings)
    reasons = [line for line in lines[headings[0]:] if line.startswith("  ")]
    assert any("task 0" in line for line in reasons)
    assert len(reasons) == len(set(reasons))
    assert "skipped: py2_original was not run: --no-python2" in out
    assert lines[-1] == f"{3 * 6} of {3 * 7} cells hold, 3 do not"


@needs_py3
def test_module_entry_point_runs_main():
    result = subprocess.run([sys.executable, "-m", "portproof", "check", "nosuch", GOOD],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.startswith("portproof: error: unknown example 'nosuch'")


STOPS = [
    pytest.param(signal.SIGINT, 130, "interrupted", id="ctrl-c"),
    # What `timeout`, CI runners and `kill` send.
    pytest.param(signal.SIGTERM, 143, "terminated by SIGTERM", id="sigterm"),
    # What a closed terminal or ssh session sends.
    pytest.param(signal.SIGHUP, 129, "terminated by SIGHUP", id="sighup"),
]
STOPPED_COMMANDS = {
    # The whole matrix: several cells running at once.
    "compare": ["compare", "--runs", "3"],
    # One subject that hangs with a child of its own.
    "check-hang": ["check", "process", os.path.join(SUBJECTS, "hang_tree.py"),
                   "--start-method", "fork", "--mode", "pty"],
}


def _as_a_foreground_job():
    # Each signal at its default action, as in a terminal's foreground job. A shell starts a
    # background job with SIGINT ignored, and Python then raises no KeyboardInterrupt (signal
    # module docs), so a suite run in the background would otherwise inherit a deaf portproof.
    for signum, _, _ in (stop.values for stop in STOPS):
        signal.signal(signum, signal.SIG_DFL)


@contextlib.contextmanager
def _portproof(argv, mark, tmp_path):
    """`python <argv>` run as portproof is run from a terminal; afterwards nothing of it is left,
    whether the test passed or not."""
    # Each run's TMPDIR is made in tmp_path, and must be gone afterwards.
    env = {**os.environ, "PORTPROOF_SUITE": mark.split("=")[1], "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, *argv], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, env=env,
                            preexec_fn=_as_a_foreground_job)
    try:
        first = proc.stdout.readline()
        assert first.startswith(("portproof compare:", "process: ", "portproof diff:"))
        yield proc
    finally:
        proc.kill()
        proc.communicate()
        for p in processes_with(mark, f"{protocol.RUN}="):
            p.kill()


def _assert_stopped_and_gone(proc, status, word, mark, tmp_path, command="compare"):
    """Wait for the stopped `proc`: it must say so, exit with `status` and leave nothing.
    Returns when it exited and its stderr, for the caller's own checks."""
    out, err = proc.communicate(timeout=10)
    exited = time.monotonic()
    assert proc.returncode == status, err
    assert err.splitlines()[-1].startswith(f"portproof: {word}")
    assert err.endswith("every process it started is gone\n")
    if command == "compare":  # the rows it had, said as partial, as diff says it
        assert "process " in out
        assert re.fullmatch(r"stopped: \d+ of \d+ cells judged", out.splitlines()[-1]), out
        assert re.search(r" after \d+ of \d+ cells judged; ", err), err
    assert processes_with(mark, f"{protocol.RUN}=") == []
    assert os.listdir(tmp_path) == []
    return exited, err


@needs_py3
@pytest.mark.parametrize("command", list(STOPPED_COMMANDS))
@pytest.mark.parametrize(("signum", "status", "word"), STOPS)
def test_a_stop_signal_ends_the_run_at_once_and_leaves_nothing(command, signum, status, word,
                                                                tmp_path):
    # A mark of its own, to tell its subjects from those of tests running beside it.
    mark = f"PORTPROOF_SUITE=stop-{os.getpid()}-{command}-{signum}"
    argv = ["-m", "portproof", *STOPPED_COMMANDS[command]]
    with _portproof(argv, mark, tmp_path) as proc:
        # The signal must come while subjects run; between two runs none may be alive.
        deadline = time.monotonic() + 10
        while not processes_with(mark, f"{protocol.RUN}="):
            assert time.monotonic() < deadline, "no subject started within 10 s"
            time.sleep(0.05)
        proc.send_signal(signum)
        sent = time.monotonic()
        exited, err = _assert_stopped_and_gone(proc, status, word, mark, tmp_path, command)
        assert exited - sent < 2.0
        assert err.count("\n") == 1


# A stopped diff says what it had, as compare does: the cells judged so far (here the fork
# cell, judged at once, where the others sleep for a minute), said as partial.
@pytest.mark.skipif(PY27 is None or not PY3, reason="needs Python 2.7 and a Python 3")
@pytest.mark.parametrize(("signum", "status", "word"), STOPS[:2])
def test_a_stopped_diff_prints_the_cells_it_had_judged(signum, status, word, tmp_path):
    mark = f"PORTPROOF_SUITE=stop-diff-{os.getpid()}-{signum}"
    slow = os.path.join(SUBJECTS, "slow_unless_fork.py")
    argv = ["-m", "portproof", "diff", slow, slow, "--python", PY3[-1].path, "--mode", "pipe",
            "--baseline-runs", "1", "--jobs", "3", "--timeout", "60"]
    with _portproof(argv, mark, tmp_path) as proc:
        time.sleep(6)  # OLD's run, then NEW's three at once: the fork cell's ends at once
        proc.send_signal(signum)
        out = proc.stdout.read()
        proc.stdout = None  # read: _assert_stopped_and_gone takes stderr
        _, err = _assert_stopped_and_gone(proc, status, word, mark, tmp_path, "diff")
    lines = out.splitlines()
    assert lines[-1] == "stopped: 1 of 3 cells judged"
    assert "verdict  same  -     -" in lines, out
    assert err == f"portproof: {word} after 1 of 3 cells judged; every process it started is gone\n"


# portproof with one fault: the first time its main thread enters concurrent.futures'
# _AcquireFutures, once a run is going, it takes every future's lock and then the signal argv[1]
# comes. Raised there, the stop would leave the locks held, the run's worker thread could never
# finish its future, and the clean-up would wait for that thread forever.
SIGNAL_WHILE_HOLDING_THE_FUTURES = """
import os, sys, time
from concurrent.futures import _base
from portproof import __version__
from portproof._cli import _parser, main
from portproof._contain import KINDS, ContainmentError, choose

acquire = _base._AcquireFutures.__enter__
sent = []

def acquire_then_signal(self):
    while not sent and not any(f.running() for f in self.futures):
        time.sleep(0.01)
    acquire(self)
    if not sent:
        sent.append(time.monotonic())
        print(f"signalled at {sent[0]}", file=sys.stderr, flush=True)
        os.kill(os.getpid(), int(sys.argv[1]))
        for _ in range(1000):  # a loop's jumps back run Python's handler, here and now
            pass

_base._AcquireFutures.__enter__ = acquire_then_signal
sys.exit(main(sys.argv[2:]))
"""


@needs_py3
@pytest.mark.parametrize(("signum", "status", "word"), STOPS)
def test_a_stop_inside_the_executor_does_not_hang_the_clean_up(signum, status, word, tmp_path):
    # Seen once in a loaded soak: Ctrl-C early in compare, and portproof never exited.
    mark = f"PORTPROOF_SUITE=executor-{os.getpid()}-{signum}"
    argv = ["-c", SIGNAL_WHILE_HOLDING_THE_FUTURES, str(int(signum)),
            *STOPPED_COMMANDS["compare"]]
    with _portproof(argv, mark, tmp_path) as proc:
        exited, err = _assert_stopped_and_gone(proc, status, word, mark, tmp_path)
        sent = float(err.splitlines()[0].removeprefix("signalled at "))
        assert exited - sent < 2.0
        assert err.count("\n") == 2


def test_an_ending_signal_the_caller_ignores_stays_ignored():
    # nohup ignores SIGHUP so that a job outlives its terminal: portproof must not undo that.
    from portproof._stop import ending_signals_stop

    previous = {s: signal.getsignal(s) for s in (signal.SIGHUP, signal.SIGTERM)}
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        with ending_signals_stop():
            assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
            assert callable(signal.getsignal(signal.SIGTERM))  # portproof's own
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@needs_py3
def test_timeout_bounds_each_run(capsys):
    hang = os.path.join(SUBJECTS, "hang_tree.py")
    start = time.monotonic()
    argv = ["check", "process", hang, "--timeout", "1", "--mode", "pipe", "--runs", "1",
            "--start-method", "fork"]
    assert main(argv) == 1
    assert time.monotonic() - start < 1 + 5  # one run, killed at 1 s, then cleaned up
    assert "timed out after 1 s" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["0", "-2", "soon"])
def test_timeout_must_be_seconds(value, capsys):
    assert main(["check", "pool", GOOD, "--timeout", value]) == 2
    assert "--timeout" in capsys.readouterr().err


def test_portproofs_own_failure_exits_3(monkeypatch, capsys):
    import portproof._check

    def broken(args):
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(portproof._check, "check", broken)
    assert main(["check", "pool", GOOD]) == 3
    err = capsys.readouterr().err
    assert err.startswith("portproof: internal error: OSError: [Errno 24] Too many open files")
    assert err.count("\n") == 1


@needs_py3
def test_a_reader_that_goes_away_ends_portproof_quietly():
    # `portproof ... | head -c 1`: no BrokenPipeError traceback, no 120 (the interpreter's own
    # failed flush), and not 1 (a verdict failed): 141, as a shell shows for SIGPIPE.
    script = os.path.join(ROOT, "py3_port", "process.py")
    proc = subprocess.Popen([sys.executable, "-m", "portproof", "check", "process", script,
                             "--runs", "1"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.read(1)
        proc.stdout.close()  # the reader goes away, as head does
        err = proc.stderr.read()  # to its end: portproof has exited
        assert proc.wait(timeout=10) == 128 + signal.SIGPIPE
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert err == ""


@needs_py3
@pytest.mark.parametrize("kind", KINDS)
def test_check_says_which_containment_held_the_runs(kind, monkeypatch, capsys):
    try:
        choose(kind)
    except ContainmentError as exc:
        pytest.skip(f"{kind}: {exc}")
    monkeypatch.setenv("PORTPROOF_CONTAINMENT", kind)
    argv = ["check", "process", os.path.join(ROOT, "py3_port", "process.py"), "--runs", "1",
            "--start-method", "fork", "--mode", "pipe"]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(f"; processes held by {kind}")


def test_an_unknown_containment_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setenv("PORTPROOF_CONTAINMENT", "jail")
    assert main(["check", "process", GOOD, "--runs", "1"]) == 2
    assert capsys.readouterr().err == (
        "portproof: error: PORTPROOF_CONTAINMENT: no containment 'jail': one of cgroup, "
        "subreaper, token\n")


# What follows -- goes to the scripts, as documented; an option of the command's own among it is
# almost always meant for portproof, and a note says so.
@pytest.mark.parametrize(("argv", "note"), [
    pytest.param(["diff", "a.py", "b.py", "--", "abc", "0", "--python", "3.13"],
                 "--python after -- goes to the scripts, not to diff", id="diff"),
    pytest.param(["diff", "a.py", "--fast", "b.py", "--", "-x", "--start-method=spawn", "--json"],
                 "--start-method=spawn, --json after -- go to the scripts, not to diff",
                 id="two-and-a-value"),
    pytest.param(["port", "a.py", "-o", "b.py", "--", "--timeout", "5"],
                 "--timeout after -- goes to the scripts, not to port", id="port"),
    pytest.param(["diff", "a.py", "b.py", "--", "abc", "--verbose", "0"], None, id="not-diffs"),
])
def test_an_option_of_the_commands_own_after_dashes_is_noted(argv, note, capsys):
    from portproof._cli import _parse

    args = _parse(argv)
    assert args.args == argv[argv.index("--") + 1:]  # still the scripts'
    err = capsys.readouterr().err
    command = argv[0]
    assert err == (f"portproof: note: {note}; {command}'s options go before --\n" if note else "")

"""`portproof diff --all`: a team's pairs read from its pyproject.toml (_pairs) and diffed in one
go (_diff_all); a bad table is one line naming the file and the key, and exit 2."""
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from argparse import Namespace

import psutil
import pytest

from _suite import INTERPRETERS, NEWEST, ROOT
from portproof import _pairs, _run
from portproof._boot import protocol
from portproof._cli import main
from portproof._contain import processes_with

EXAMPLE = os.path.join(ROOT, "tests", "harness", "example_project")
needs_both = pytest.mark.skipif(NEWEST is None or "2.7" not in INTERPRETERS,
                                reason="needs Python 2.7 and a Python 3")
PAIR = '[[tool.portproof.pairs]]\nold = "a.py"\nnew = "b.py"\n'


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder with two scripts, a.py and b.py, as the current folder; returns a function that
    writes its pyproject.toml."""
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text("print('hello')\n")
    monkeypatch.chdir(tmp_path)

    def write(text: str) -> None:
        (tmp_path / "pyproject.toml").write_text(textwrap.dedent(text))
    return write


# Each bad table: the one line that says which key of which file is wrong, and how.
BAD_TABLES = [
    pytest.param("[tool.portproof\n", "pyproject.toml: not TOML: *", id="not-toml"),
    pytest.param("[tool.other]\nx = 1\n", "pyproject.toml: no [tool.portproof] table",
                 id="no-table"),
    pytest.param("tool = 3\n", "pyproject.toml: no [tool.portproof] table", id="tool-not-a-table"),
    pytest.param("[tool.portproof]\nfast = true\n",
                 "pyproject.toml: tool.portproof.pairs: no pairs; add [[tool.portproof.pairs]] "
                 "tables with old and new", id="no-pairs"),
    pytest.param("[tool.portproof]\npairs = [1]\n",
                 "pyproject.toml: tool.portproof.pairs[0]: not a table; write "
                 "[[tool.portproof.pairs]]", id="pair-not-a-table"),
    pytest.param('[[tool.portproof.pairs]]\nold = "a.py"\n',
                 "pyproject.toml: tool.portproof.pairs[0]: no new; give the path of the Python 3 "
                 "port", id="no-new"),
    pytest.param('[[tool.portproof.pairs]]\nold = "nope.py"\nnew = "b.py"\n',
                 "pyproject.toml: tool.portproof.pairs[0].old: 'nope.py' is not a file (paths "
                 "are from .)", id="old-missing"),
    pytest.param(PAIR + "jobs = 2\n",
                 "pyproject.toml: tool.portproof.pairs[0].jobs: not a key of portproof's; the "
                 "keys are old, new, name, python, old-python, start-method, mode, runs, "
                 "baseline-runs, ignore, workdir, stdin, timeout, fast, strict, args",
                 id="unknown-key"),
    pytest.param(PAIR + "timeout = 0\n",
                 "pyproject.toml: tool.portproof.pairs[0].timeout: 0 seconds: give more than 0",
                 id="timeout-zero"),
    pytest.param(PAIR + "timeout = true\n",
                 "pyproject.toml: tool.portproof.pairs[0].timeout: True is not a number",
                 id="timeout-bool"),
    # A key of [tool.portproof] itself is every pair's default: its own key is named.
    pytest.param("[tool.portproof]\nruns = 0\n" + PAIR,
                 "pyproject.toml: tool.portproof.runs: 0 runs: give 1 or more",
                 id="default-runs-zero"),
    pytest.param(PAIR + 'start-method = "fok"\n',
                 "pyproject.toml: tool.portproof.pairs[0].start-method: 'fok' is not one of "
                 "fork, spawn, forkserver, all", id="start-method"),
    pytest.param(PAIR + 'python = "3.13"\n',
                 "pyproject.toml: tool.portproof.pairs[0].python: '3.13' is not a list of "
                 "strings", id="python-not-a-list"),
    pytest.param(PAIR + 'fast = "yes"\n',
                 "pyproject.toml: tool.portproof.pairs[0].fast: 'yes' is not true or false",
                 id="fast-not-a-bool"),
    pytest.param(PAIR + 'workdir = "nope"\n',
                 "pyproject.toml: tool.portproof.pairs[0].workdir: 'nope' is not a folder "
                 "(paths are from .)", id="workdir-missing"),
    pytest.param(PAIR + PAIR,
                 "pyproject.toml: tool.portproof.pairs[1].name: 'b.py' is also pairs[0]'s; give "
                 "each pair a name of its own", id="same-name"),
    # Checked as diff checks its command line, and said of the key.
    pytest.param(PAIR + 'python = ["9.9"]\n',
                 "pyproject.toml: tool.portproof.pairs[0].python: 9.9: no Python 9.9 found on "
                 "PATH or in pyenv's versions folder", id="python-not-found"),
]


@pytest.mark.parametrize(("table", "message"), BAD_TABLES)
def test_a_bad_table_is_one_line_naming_its_key_and_exit_2(table, message, project, capsys):
    project(table)
    assert main(["diff", "--all", "--config", "pyproject.toml"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    pytest.LineMatcher(lines).fnmatch_lines([f"portproof: error: {message}"])


@pytest.mark.parametrize(("argv", "message"), [
    (["diff", "--all", "a.py", "b.py"],
     "--all diffs the pairs of the config: give no OLD.py or NEW.py"),
    (["diff", "--config", "pyproject.toml", "a.py", "b.py"],
     "--config names the pairs for --all; give --all too"),
    (["diff", "--all", "--config", "nope.toml"], "--config 'nope.toml' is not a file"),
    (["diff", "a.py"], "the following arguments are required: NEW.py"),
])
def test_all_takes_no_scripts_and_config_needs_all(argv, message, project, capsys):
    project("[tool.portproof]\n" + PAIR)
    assert main(argv) == 2
    assert capsys.readouterr().err == f"portproof: error: {message}\n"


def test_with_no_config_found_all_says_how_to_name_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert _pairs.find(tmp_path) is None  # nor in any folder above
    assert main(["diff", "--all"]) == 2
    assert capsys.readouterr().err == (
        "portproof: error: no pyproject.toml with a [tool.portproof] table in this folder or "
        "any above it; name one with --config\n")


def test_the_config_is_the_nearest_above_with_a_portproof_table(tmp_path):
    deeper = tmp_path / "sub" / "deeper"
    deeper.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[tool.portproof]\n")
    # A pyproject.toml of another tool's only is passed over, as pytest and ruff do.
    (tmp_path / "sub" / "pyproject.toml").write_text("[tool.ruff]\n")
    assert _pairs.find(deeper) == str(tmp_path / "pyproject.toml")
    (tmp_path / "sub" / "pyproject.toml").write_text("[tool.portproof]\nfast = true\n")
    assert _pairs.find(deeper) == str(tmp_path / "sub" / "pyproject.toml")


def test_the_options_given_are_the_ones_on_the_command_line():
    assert _pairs.given_options(["diff", "--all"]) == frozenset()
    # As argparse reads them: an abbreviation, an option=value.
    assert _pairs.given_options(["diff", "--all", "--pyth", "3.13", "--runs=2", "--ignore",
                                 "x"]) == {"python", "runs", "ignore"}


def test_the_command_line_overrides_the_pair_which_overrides_the_tables_defaults(project):
    project("""\
        [tool.portproof]
        timeout = 7
        runs = 2
        fast = true

        [[tool.portproof.pairs]]
        old = "a.py"
        new = "b.py"
        python = ["3.12"]
        timeout = 5
    """)
    given = Namespace(python=["3.13"], real_time=True)
    (pair,) = _pairs.pairs("pyproject.toml", given, frozenset({"python", "real_time"}))
    args = pair.args
    assert (args.python, args.timeout, args.runs, args.fast) == (["3.13"], 5.0, 2, False)
    assert args.old == os.path.abspath("a.py")
    # The key that set each: a bad value given on the command line is the command line's.
    assert pair.keys == {"timeout": "tool.portproof.pairs[0].timeout",
                         "runs": "tool.portproof.runs", "fast": "tool.portproof.fast"}


@needs_both
def test_all_diffs_every_pair_on_one_pool_and_says_each_verdict(tmp_path, monkeypatch, capsys):
    made = []  # (script, started, ended) of every run
    real = _run.run_script

    def recording(python, script, *args):
        started = time.monotonic()
        try:
            return real(python, script, *args)
        finally:
            made.append((os.path.basename(script), started, time.monotonic()))

    monkeypatch.setattr(_run, "run_script", recording)
    monkeypatch.chdir(EXAMPLE)
    report, page = tmp_path / "all.json", tmp_path / "all.html"
    status = main(["diff", "--all", "--python", NEWEST.path, "--start-method", "fork",
                   "--jobs", "2", "--json", str(report), "--html", str(page)])
    out = capsys.readouterr().out
    assert status == 1, out
    lines = out.splitlines()
    assert lines[0] == "portproof diff --all: 3 pairs from pyproject.toml"
    assert lines[-4:] == ["same scripts/squares.py", "DIFF scripts/average.py",
                          "DIFF ready (hung)", "3 pairs: 1 same, 2 differ (1 hung)"]
    pytest.LineMatcher(lines).fnmatch_lines([
        "== scripts/squares.py", "verdict  same",
        "== scripts/average.py", "DIFF * fork:",
        "  stdout line changed: 'mean: 7' is now 'mean: 7.5'",
        "== ready", f"hung {NEWEST.minor} fork (*): timed out after 5 s; not run again",
    ])
    pairs = json.loads(report.read_text())["pairs"]
    assert [(p["name"], p["verdict"]) for p in pairs] == [
        ("scripts/squares.py", "same"), ("scripts/average.py", "differs"),
        ("ready", "differs")]
    html = page.read_text()
    assert html.count("<section id=") == 3 and "mean: 7.5" in html
    # One pool of two: never more than two runs at once, and runs of different pairs at once.
    events = sorted([(t0, 1) for _, t0, _ in made] + [(t1, -1) for _, _, t1 in made])
    running = [sum(step for _, step in events[:n + 1]) for n in range(len(events))]
    assert max(running) == 2
    assert any(a[0] != b[0] and a[1] < b[2] and b[1] < a[2] for a in made for b in made)


@needs_both
@pytest.mark.parametrize(("signum", "status", "word"), [
    pytest.param(signal.SIGINT, 130, "interrupted", id="ctrl-c"),
    pytest.param(signal.SIGTERM, 143, "terminated by SIGTERM", id="sigterm"),
])
def test_a_stop_ends_every_pairs_runs_and_leaves_nothing(signum, status, word, tmp_path):
    mark = f"PORTPROOF_SUITE=pairs-{os.getpid()}-{signum}"
    env = {**os.environ, "PORTPROOF_SUITE": mark.split("=")[1], "TMPDIR": str(tmp_path)}

    def foreground():  # as a terminal's foreground job: SIGINT not ignored
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    proc = subprocess.Popen([sys.executable, "-m", "portproof", "diff", "--all", "--python",
                             NEWEST.path, "--start-method", "fork"], cwd=EXAMPLE, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=foreground)
    try:
        deadline = time.monotonic() + 20
        # Once the hanging pair's NEW runs: the other pairs' runs are going by then.
        while not any("ready.py" in _cmdline(p)
                      for p in processes_with(mark, f"{protocol.RUN}=")):
            assert time.monotonic() < deadline, "NEW of the hanging pair never ran"
            time.sleep(0.05)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == status, err
    # What it had: each pair's report if it finished, else what a stopped diff says; the
    # hanging pair's one cell is not judged.
    lines = out.splitlines()
    sections = _sections(lines[1:-1])
    assert list(sections) == ["scripts/squares.py", "scripts/average.py", "ready"], out
    finished = [name for name, said in sections.items() if not said[-1].startswith("stopped:")]
    assert sections["ready"][-1] == "stopped: 0 of 1 cells judged"
    assert "verdict  -" in sections["ready"]
    for name in finished:
        assert re.fullmatch(r"\d of 1 cells same.*", sections[name][-1]), out
    said = f"{len(finished)} of 3 pairs finished"
    assert lines[-1] == f"stopped: {said}"
    assert err == f"portproof: {word} after {said}; every process it started is gone\n"
    assert processes_with(mark, f"{protocol.RUN}=") == []
    assert os.listdir(tmp_path) == []


def _sections(lines: list[str]) -> dict[str, list[str]]:
    """diff --all's report as {pair: its lines, blank ones left out}."""
    sections: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("== "):
            sections[line[3:]] = []
        elif line and sections:
            sections[list(sections)[-1]].append(line)
    return sections


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # gone, or a zombie, since it was listed
        return ""

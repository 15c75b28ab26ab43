"""`portproof diff`: the case study's own pairs are the same, wrong ports differ where they are
wrong, and bad input is one line and exit 2."""
import json
import os

import pytest

from _suite import (INTERPRETERS, MANUAL, PITFALLS, PY3, ROOT, SUBJECTS, diff, json_keys,
                    manual_json_keys)
from case_study.pitfalls.gallery import GALLERY, REAL_TIME, SINCE
from portproof._cli import main
from portproof._interpreters import START_METHODS
from portproof.specs import EXAMPLES

pytestmark = pytest.mark.matrix
PY27 = INTERPRETERS.get("2.7")
needs_both = pytest.mark.skipif(PY27 is None or not PY3, reason="needs Python 2.7 and a Python 3")
ORIGINAL = os.path.join(ROOT, "py2_original")
PORT = os.path.join(ROOT, "py3_port")


@needs_both
@pytest.mark.parametrize("example", EXAMPLES)
def test_each_example_and_its_port_are_the_same_on_every_cell(example, capsys):
    status, out, report = diff(os.path.join(ORIGINAL, f"{example}.py"),
                               os.path.join(PORT, f"{example}.py"), capsys=capsys)
    assert status == 0, out
    cells = report["cells"]
    assert len(cells) == sum(len(p.start_methods) for p in PY3)
    assert all(c["verdict"] == "same" for c in cells), out


@needs_both
def test_a_port_that_loses_the_pools_lines_differs_and_names_them(capsys):
    status, out, report = diff(os.path.join(ORIGINAL, "pool.py"),
                               os.path.join(PITFALLS, "pool/with_no_wait.py"),
                               pythons=PY3[-1:], capsys=capsys)
    assert status == 1
    assert all(c["verdict"] == "differs" for c in report["cells"])
    assert "stdout line missing: 'Child process 0(<child" in out
    assert "stdout line missing: 'Child process 4(<child" in out
    assert json_keys(report) == manual_json_keys('"same": true}')


# The manual's diff example, as it runs there: in real time, the pool's random sleeps of up to 4 s
# unscaled (one start method, to keep it to a minute).
@needs_both
def test_in_real_time_the_port_that_loses_the_pools_lines_differs_and_names_them(capsys):
    status, out, report = diff(os.path.join(ORIGINAL, "pool.py"),
                               os.path.join(PITFALLS, "pool/with_no_wait.py"), "--start-method",
                               "fork", pythons=PY3[-1:], capsys=capsys, fast=False)
    assert status == 1, out
    assert report["timing"] == "real time"
    (cell,) = report["cells"]
    assert (cell["start_method"], cell["verdict"]) == ("fork", "differs"), out
    missing = [d for d in cell["differences"] if d["kind"] == "missing"]
    assert {d["mode"] for d in missing} == {"pty", "pipe"}, out
    assert all(d["text"].startswith("stdout line missing: 'Child process ") for d in missing), out


# The scripts' own arguments follow `--` (an option of diff's among them goes to the scripts
# too), wherever diff's options stand before it.
SCRIPT_ARGS = ["a", "--fast"]


@needs_both
@pytest.mark.parametrize("place", ["between-the-scripts", "after-the-scripts"])
def test_arguments_after_dashes_go_to_both_scripts(place, tmp_path, monkeypatch, capsys):
    from portproof import _run

    old, new = tmp_path / "old.py", tmp_path / "new.py"
    old.write_text("import sys\nprint 'args:', sys.argv[1:]\n")
    new.write_text("import sys\nprint('args:', sys.argv[1:])\n")
    options = ["--python", PY3[-1].path, "--start-method", "fork", "--mode", "pipe", "--fast",
               "--baseline-runs", "1"]
    scripts = {"between-the-scripts": [str(old), *options, str(new)],
               "after-the-scripts": [str(old), str(new), *options]}[place]
    printed = []
    run = _run.run_script

    def recording(python, script, *args):
        trace = run(python, script, *args)
        printed.append((os.path.basename(script), trace.text))
        return trace

    monkeypatch.setattr(_run, "run_script", recording)
    status = main(["diff", *scripts, "--", *SCRIPT_ARGS])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "portproof: note: --fast after -- goes to the scripts, not to "
                                "diff; diff's options go before --\n"), out
    assert sorted(printed) == [("new.py", ["args: ['a', '--fast']"]),
                               ("old.py", ["args: ['a', '--fast']"])]


GOOD_OLD, GOOD_NEW = os.path.join(ORIGINAL, "process.py"), os.path.join(PORT, "process.py")

# diff runs in real time unless told --fast, and says which. The pair is why: the original's
# child sleeps 2 s and its parent joins it with a timeout of 1 s, and the port's child waits on
# an Event instead; --fast scales the original's sleep alone, and calls the port different.
@needs_both
@pytest.mark.parametrize(("options", "timing", "status"), [
    pytest.param([], "real time", 0, id="default"),
    pytest.param(["--fast"], "sleeps x0.05", 1, id="fast"),
])
def test_diff_runs_in_real_time_unless_fast(options, timing, status, capsys):
    json_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"diff-{os.getpid()}.json")
    argv = ["diff", os.path.join(SUBJECTS, "join_timeout.py"),
            os.path.join(SUBJECTS, "join_timeout_event.py"), "--python", PY3[-1].path,
            "--start-method", "fork", "--mode", "pipe", "--json", json_path, *options]
    try:
        assert main(argv) == status, capsys.readouterr().out
        with open(json_path) as f:
            report = json.load(f)
    finally:
        if os.path.exists(json_path):
            os.remove(json_path)
    out = capsys.readouterr().out.splitlines()
    assert out[2].startswith(f"                pipe mode; {timing}; ")
    assert report["timing"] == timing
    if status:
        assert ("  stdout line changed: 'child alive after join(1): False' is now "
                "'child alive after join(1): True'") in out


BAD_INPUT = [
    pytest.param([GOOD_NEW, GOOD_NEW], "OLD", "is not valid Python 2.7: line", id="old-not-py2"),
    pytest.param([GOOD_OLD, os.path.join(SUBJECTS, "py2_only.py")], "NEW",
                 "is not valid Python 3.", id="new-not-py3"),
    pytest.param(["missing.py", GOOD_NEW], "", "OLD 'missing.py' does not exist", id="missing"),
    pytest.param([ROOT, GOOD_NEW], "", "is a directory", id="directory"),
    pytest.param([GOOD_OLD, GOOD_NEW, "--workdir", "/nonexistent"], "",
                 "--workdir '/nonexistent' is not a folder", id="workdir-missing"),
    pytest.param([GOOD_OLD, GOOD_NEW, "--ignore", "("], "", "--ignore '(' is not a regular",
                 id="ignore-not-a-regex"),
]


@needs_both
@pytest.mark.parametrize(("argv", "who", "message"), BAD_INPUT)
def test_bad_input_is_one_line_and_exit_2(argv, who, message, capsys):
    assert main(["diff", *argv, "--python", PY3[-1].path]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"portproof: error: {who}")
    assert message in err


@pytest.mark.skipif(not PY3, reason="no Python 3 found")
def test_no_python_2_found_says_how_to_name_one(monkeypatch, capsys):
    monkeypatch.setenv("PORTPROOF_PYTHONS", PY3[-1].path)
    assert main(["diff", GOOD_OLD, GOOD_NEW]) == 2
    assert capsys.readouterr().err == (
        "portproof: error: no Python 2 found on PATH or in pyenv; name one with --old-python\n")


TABLE_HEAD = "| Port in `tests/case_study/pitfalls/` |"
# A port whose lines are the original's, whose timing is not: diff calls it different (or
# unstable) only where the original's runs happened to hold an order that the port's runs break.
CHANCE = "by chance, orders only"


def _pitfall_table():
    """The manual's table of the gallery: {port: (check rejects it, diff says it differs, why)}."""
    with open(MANUAL, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(TABLE_HEAD))
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        port, check, diff_, why = (cell.strip() for cell in line.strip("|").split("|"))
        rows[port.strip("`")] = (check, diff_, why)
    return rows


TABLE = _pitfall_table()


def _methods(methods, every):
    """A table cell: "every method", "spawn, forkserver" or "no"."""
    if not methods:
        return "no"
    if set(methods) == set(every):
        return "every method"
    return ", ".join(m for m in every if m in methods)


def test_the_pitfall_table_says_where_check_rejects_each_port():
    assert sorted(TABLE) == sorted(port for port, *_ in GALLERY)
    for port, _, methods, _, _ in GALLERY:
        since = f" ({'.'.join(map(str, SINCE[port]))}+)" if port in SINCE else ""
        assert TABLE[port][0] == _methods(methods, START_METHODS) + since, port


@needs_both
@pytest.mark.parametrize("port", sorted(TABLE))
def test_the_pitfall_table_says_where_diff_sees_each_port_differ(port, capsys):
    example = next(e for p, e, *_ in GALLERY if p == port)
    newest = PY3[-1]
    status, out, report = diff(os.path.join(ORIGINAL, f"{example}.py"),
                               os.path.join(PITFALLS, port),
                               pythons=[newest], capsys=capsys, fast=port not in REAL_TIME)
    if TABLE[port][1] == CHANCE:  # the verdict is luck; what it can say is not
        kinds = {d["kind"] for c in report["cells"] for d in c["differences"]}
        assert kinds <= {"order"}, out
        return
    differs = [c["start_method"] for c in report["cells"] if c["verdict"] == "differs"]
    assert TABLE[port][1] == _methods(differs, newest.start_methods), out


PUT_BEFORE_START = "queue_timeout/put_before_start.py"
FORK_WARNING = "DeprecationWarning: This process (pid=<parent>) is multi-threaded"


# The table's row says more than its "no": diff notes the warning 3.12+ prints when it forks a
# process that runs threads, and with --strict calls the fork cells different. The newest
# Python 3 under fork alone, where the warning is.
@needs_both
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_diff_notes_the_fork_warning_of_a_port_that_puts_before_start(strict, capsys):
    newest = PY3[-1]
    if newest.version < (3, 12):
        pytest.skip(f"Python 3.12+ warns when it forks with threads running; the newest Python 3 "
                    f"found is {newest.minor}")
    assert ("`diff` notes a new warning; with `--strict` it calls the fork cells different"
            in TABLE[PUT_BEFORE_START][2])
    example = next(e for p, e, *_ in GALLERY if p == PUT_BEFORE_START)
    status, out, report = diff(os.path.join(ORIGINAL, f"{example}.py"),
                               os.path.join(PITFALLS, PUT_BEFORE_START), "--start-method", "fork",
                               *(["--strict"] if strict else []), pythons=[newest],
                               capsys=capsys)
    (cell,) = report["cells"]
    assert cell["start_method"] == "fork"
    notes = [line for line in out.splitlines() if line.startswith("note ")]
    if strict:
        assert (status, cell["verdict"]) == (1, "differs"), out
        added = f"stderr line added: '(warning) {FORK_WARNING}"
        assert {d["mode"] for d in cell["differences"]} == {"pty", "pipe"}, out
        assert all(d["kind"] == "extra" and d["text"].startswith(added)
                   for d in cell["differences"]), out
        assert (notes, cell["warnings"]) == ([], []), out  # a difference, not also a note
    else:
        assert (status, cell["verdict"]) == (0, "same"), out
        assert [w.startswith(FORK_WARNING) for w in cell["warnings"]] == [True], out
        assert [n.startswith(f"note {newest.minor} fork: NEW warns: {FORK_WARNING}")
                for n in notes] == [True], out

"""The benchmarks' output has every cell and only sane figures: its structure, not its speed
(start_methods.py's --quick run, into a temporary folder; pty_reader.py on 5 MB)."""
import json
import math
import os
import re
import subprocess
import sys

import pytest

from _suite import INTERPRETERS, PY3, ROOT

SCRIPT = os.path.join(ROOT, "benchmarks", "start_methods.py")
FIGURES = ["process_start", "pool", "queue_round_trip", "queue_1k", "queue_1m", "pipe_1k",
           "pipe_1m", "value_increments"]
# A --quick run of one interpreter takes a few seconds; spawn's Pool is the slowest part.
TIMEOUT = 120


def positive(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x) and x > 0


@pytest.mark.parametrize("which", ["2.7", "newest 3"])
def test_quick_run_writes_every_cell(which, tmp_path):
    python = INTERPRETERS.get("2.7") if which == "2.7" else (PY3[-1] if PY3 else None)
    if python is None:
        pytest.skip(f"no Python {which} found")
    proc = subprocess.run(
        [sys.executable, SCRIPT, "--quick", "--python", python.path, "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "start_methods.json", encoding="utf-8") as f:
        result = json.load(f)
    expected = [(python.minor, m) for m in python.start_methods] + [(python.minor, "raw")]
    assert sorted((r["python"], r["method"]) for r in result["rows"]) == sorted(expected)
    for row in result["rows"]:
        assert sorted(row["figures"]) == sorted(FIGURES)
        for spread in row["figures"].values():
            assert all(positive(spread[k]) for k in ("median", "min", "max")), row
            assert spread["min"] <= spread["median"] <= spread["max"]
        if row["method"] != "raw":
            assert all(positive(row["times_limit"][f]) for f in FIGURES), row
    assert {m: bool(v) for m, v in result["machine"].items()} == {
        "cpu": True, "cores": True, "os": True}

    table = (tmp_path / "start_methods.md").read_text(encoding="utf-8")
    version = ".".join(map(str, python.version))
    for _, method in expected:
        shown = "raw limit" if method == "raw" else method
        # One row in the figures table; every start method also one in the ratios table.
        rows = [line for line in table.splitlines()
                if line.startswith(f"| {version} | {shown} | ")]
        assert len(rows) == (1 if method == "raw" else 2), (method, table)
        assert all(line.count("|") == len(FIGURES) + 3 for line in rows), rows
    assert proc.stdout.strip() == table.strip()
    assert (tmp_path / "start_methods.svg").exists() or "matplotlib" in proc.stderr


PTY_READER = os.path.join(ROOT, "benchmarks", "pty_reader.py")
# A figure as the benchmark prints it: median (min-max).
SPREAD = r"(\d+\.\d+) \((\d+\.\d+)-(\d+\.\d+)\)"


# 1 MB: every line kept; 5 MB: a flood, past what a run keeps.
@pytest.mark.parametrize("mb", ["1", "5"])
def test_the_pty_reader_benchmark_times_both_readers_in_each_mode(mb):
    proc = subprocess.run([sys.executable, PTY_READER, "--mb", mb, "--repeat", "1"],
                          capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    header, *rows = proc.stdout.splitlines()
    assert header.split()[:2] == ["mode", "reader"]
    expected = [(mode, reader) for mode in ("pty", "pipe") for reader in ("portproof", "bare")]
    assert [tuple(row.split()[:2]) for row in rows] == expected, proc.stdout
    for row in rows:
        spreads = re.findall(SPREAD, row)
        # the reader's time, and for portproof its multiple of the bare reader's
        assert len(spreads) == (2 if "portproof" in row else 1), row
        for median, low, high in spreads:
            assert 0 < float(low) <= float(median) <= float(high), row


@pytest.mark.parametrize("argv", [["--mb", "0"], ["--repeat", "0"], ["--mb", "x"]])
def test_the_pty_reader_benchmark_refuses_bad_input_in_one_line(argv):
    proc = subprocess.run([sys.executable, PTY_READER, *argv], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr and proc.stderr.splitlines()[-1].startswith(
        "pty_reader.py: error: "), proc.stderr


# bare.py makes the runs diff makes where every cell is the same (OLD's 3 baseline runs per mode,
# then one run of each cell and mode), in one go or, --staged, NEW's once OLD's have ended.
@pytest.mark.skipif("2.7" not in INTERPRETERS or not PY3, reason="needs Python 2.7 and a Python 3")
@pytest.mark.parametrize("staged", [[], ["--staged"]], ids=["one-go", "staged"])
def test_bare_makes_the_runs_of_a_diff_where_every_cell_is_the_same(staged):
    example = [os.path.join(ROOT, side, "process.py") for side in ("py2_original", "py3_port")]
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "bare.py"), "diff", *example,
         "--python", PY3[-1].path, "--fast", *staged],
        capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    cells = len(PY3[-1].start_methods)
    assert proc.stderr == f"{2 * 3 + 2 * cells} bare runs\n"

"""benchmarks/start_methods.py's output has every cell and only sane figures: its structure, not
its speed (a --quick run, into a temporary folder)."""
import json
import math
import os
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

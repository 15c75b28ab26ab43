"""`portproof diff` on probes of its noise model and normalisation: each probe is a Python 2
original with a faithful port, which must be the same, and a broken one, which must differ where
it is broken and nowhere else (tests/harness/probes/<probe>/{py2,faithful,broken}.py). On Python 2.7
and the newest Python 3, every start method."""
import json
import os
import re

import pytest

from _suite import INTERPRETERS, PY3, ROOT
from portproof import _differ, timeouts
from portproof._cli import main

PY27 = INTERPRETERS.get("2.7")
needs_both = pytest.mark.skipif(PY27 is None or not PY3, reason="needs Python 2.7 and a Python 3")
PROBES = os.path.join(ROOT, "tests", "harness", "probes")


def diff(probe, port, capsys, *options):
    """Run `portproof diff` on the probe's original and `port` (sleeps scaled) with the newest
    Python 3; return its exit status, its output and its JSON report."""
    __tracebackhide__ = True
    json_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"diff-probe-{os.getpid()}.json")
    argv = ["diff", os.path.join(PROBES, probe, "py2.py"),
            os.path.join(PROBES, probe, f"{port}.py"), "--fast", "--json", json_path,
            "--python", PY3[-1].path, *options]
    try:
        status = main(argv)
        out = capsys.readouterr().out
        with open(json_path) as f:
            report = json.load(f)
    finally:
        if os.path.exists(json_path):
            os.remove(json_path)
    return status, out, report


def differences(report):
    return [d["text"] for c in report["cells"] for d in c["differences"]]


# What the broken port of each probe must be told, in every cell and mode (a regular
# expression, matched in full), and nothing else.
BROKEN = {
    # A line whose varying part is masked stays required, as often as the original printed it.
    "random_line": r"stdout line missing: '<20 letters>'",
    # A varying number keeps its type and range: 4000000 is far outside 1000000 to 1200000.
    "counter": r"stdout line changed: 'counted to <n>' is now 'counted to 4000000'",
    # Of a traceback the program prints itself, only what differs: the exception's message.
    "child_traceback": (r"stdout line changed: \"ValueError: invalid literal for int\(\) with "
                        r"base 10: '4x'\" is now \"ValueError: invalid literal for int\(\) with "
                        r"base 10: b'4x'\""),
    # A repeated line is one difference, with its count; the harness's mark where it cut a
    # stream is none.
    "stderr_flood": r"stderr line (added|changed): .*PoolWorker-1 no reply, retrying', \d+ times",
    # Lines one process wrote keep its order, while another process prints lines of its own:
    # one difference for the process, with how many pairs of its lines changed order.
    "child_order": (r"stdout: within one process, 'pipe end' now comes before '1', and 9 more "
                    r"pair\(s\) of its lines in another order"),
}


@needs_both
@pytest.mark.parametrize("probe", sorted(BROKEN))
def test_the_faithful_port_of_a_probe_is_the_same(probe, capsys):
    status, out, report = diff(probe, "faithful", capsys)
    assert (status, differences(report)) == (0, []), out
    assert len(report["cells"]) == len(PY3[-1].start_methods)


@needs_both
@pytest.mark.parametrize("probe", sorted(BROKEN))
def test_the_broken_port_of_a_probe_differs_where_it_is_broken_only(probe, capsys):
    status, out, report = diff(probe, "broken", capsys)
    assert status == 1, out
    for cell in report["cells"]:
        found = {d["mode"]: [] for d in cell["differences"]}
        for d in cell["differences"]:
            found[d["mode"]].append(d["text"])
        assert sorted(found) == ["pipe", "pty"], out
        for texts in found.values():
            assert len(texts) == 1 and re.fullmatch(BROKEN[probe], texts[0]), out


# The boot holds Pool workers and scales sleeps without a frame of its own around the program's
# code: a child's printed traceback shows the program's frames and the library's only.
@pytest.mark.parametrize("minor", ["2.7", PY3[-1].minor if PY3 else "3"])
def test_no_frame_of_the_boot_is_in_a_traceback_a_child_prints(minor):
    from portproof import _run

    python = INTERPRETERS.get(minor)
    if python is None:
        pytest.skip(f"no Python {minor} found")
    script = os.path.join(PROBES, "child_traceback",
                          "py2.py" if python.version[0] == 2 else "faithful.py")
    for method in python.start_methods:
        trace = _run.run_script(python, script, method, "pipe")
        frames = [line.split('"')[1] for line in trace.text if line.startswith("  File ")]
        assert frames == [trace.ran_as, frames[1], trace.ran_as], (method, trace.text)  # its copy
        assert frames[1].endswith("/multiprocessing/process.py"), (method, trace.text)


# A Pool made at module level without a main guard: each spawned or forkserver worker makes a
# Pool of its own while it starts, dies, and is replaced for ever. The port hangs there, which
# no more runs can undo: the hang is said once per cell, with its stacks, and never run again;
# NEW's limit, learned from OLD's runs that end in a second, is NEW_LIMIT_FLOOR, not RUN.
HANG_TIMEOUT = timeouts.NEW_LIMIT_FLOOR


@needs_both
def test_a_port_that_hangs_is_said_to_hang_once_per_cell(capsys):
    status, out, report = diff("no_main_guard", "broken", capsys)
    assert status == 1, out
    for cell in report["cells"]:
        if cell["start_method"] == "fork":
            assert cell["verdict"] == "same", out
            continue
        assert cell["verdict"] == "differs", out
        assert ("ending", "ends with timed out, not exit status 0") in [
            (d["kind"], d["text"]) for d in cell["differences"]], out
        # One run timed out; the cell's other runs, and its confirmation runs, were not made.
        assert sum(cell["runs"].values()) == 1, out
        assert cell["timed_out"]["after"] == HANG_TIMEOUT
        assert cell["timed_out"]["stacks"], out
    assert f"timed out after {HANG_TIMEOUT:g} s (NEW's limit: " in out


@needs_both
def test_a_port_that_keeps_the_main_guard_is_the_same(capsys):
    status, out, report = diff("no_main_guard", "faithful", capsys)
    assert (status, differences(report)) == (0, []), out


# A port whose counts fall, in some runs only, where its original's never do, at a place where
# the original's vary (250 in one count of five under Python 3; a race's odds): unstable in every
# cell, with what showed in how many runs, exit status 4; never DIFF. The broken port's counts
# differ in every run: it differs, exit status 1.
WORKER = r"stdout line changed: 'worker (\d+) took <n> steps' is now 'worker \1 took {} steps'"


@needs_both
def test_a_port_that_differs_in_some_runs_only_where_its_original_varies_is_unstable(capsys):
    status, out, report = diff("rare_outcome", "faithful", capsys)
    assert (status, report["verdict"]) == (4, "unstable"), out
    cells = report["cells"]
    assert len(cells) == len(PY3[-1].start_methods)
    for cell in cells:
        assert (cell["verdict"], cell["differences"]) == ("unstable", []), out
        assert cell["unstable"], out
        for u in cell["unstable"]:
            assert re.fullmatch(WORKER.format(250), u["text"]), out
            assert 0 < u["shown"] < u["runs"] == _differ.SETTLE_NEW, out
    assert out.splitlines()[-1] == f"0 of {len(cells)} cells same, {len(cells)} unstable", out


@needs_both
def test_a_port_that_differs_in_every_run_where_its_original_varies_differs(capsys):
    status, out, report = diff("rare_outcome", "broken", capsys)
    assert (status, report["verdict"]) == (1, "differs"), out
    for cell in report["cells"]:
        assert (cell["verdict"], cell["unstable"]) == ("differs", []), out
        assert cell["runs"] == {"pty": _differ.SETTLE_NEW, "pipe": _differ.SETTLE_NEW}, out
        for mode in ("pty", "pipe"):
            texts = [d["text"] for d in cell["differences"] if d["mode"] == mode]
            assert len(texts) == 20, out  # each worker's count
            for text in texts:
                assert re.fullmatch(WORKER.format(r"\d+\.\d+"), text), out

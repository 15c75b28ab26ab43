"""The case study's heart: each example of the article, as py2_original/<example>.py and as
py3_port/<example>.py, on every interpreter found, under each of its start methods, in a
terminal and through a pipe, behaves as the example's spec says.

What the right behaviour is (and so what makes the two sides equivalent) is written once per
example, in plain words and as code, in portproof/specs/<example>.py; `judge(spec, trace)` lists
every way a run breaks it. test_equivalence.py then compares the two sides' runs line by line.
"""
import os

import pytest

from _suite import INTERPRETERS, MISSING, ROOT, VERSIONS
from portproof._interpreters import START_METHODS
from portproof._matrix import SIDES
from portproof._run import RunOptions, run_script
from portproof._spec import judge
from portproof._trace import MODES
from portproof.specs import EXAMPLES, SPECS

# Runs per cell and mode, more where scheduling makes each run different.
RUNS = {"pool": 3, "queue_shared": 2, "value_array": 2}


# `slot` is a cell of the matrix (side, interpreter found, start method), made by conftest.py;
# `traces` makes each run once, for this test and test_equivalence.py.
@pytest.mark.parametrize("example", EXAMPLES)
def test_example(example, slot, traces):
    failed = []  # per run: what breaks the spec, then the output
    for mode in MODES:
        for n in range(1, RUNS.get(example, 1) + 1):
            trace = traces.run(example, slot.side, slot.python, slot.start_method, mode, n)
            problems = judge(SPECS[example], trace)
            if problems:
                failed.append("\n  ".join([f"{mode} run {n}:", *problems,
                                            f"output: {trace.text}"]))
    if failed:
        pytest.fail(f"{slot.side}/{example}.py on {slot.python}, {slot.start_method}:\n"
                    + "\n".join(failed), pytrace=False)


# The matrix's columns, once each: an interpreter that is not found has no cells above, and says
# so here; one that is found has the start methods the cells were made from.
@pytest.mark.parametrize("minor", VERSIONS)
def test_interpreter_found(minor):
    if minor in MISSING:
        pytest.skip(f"no Python {minor} on PATH or in pyenv's versions folder: its cells are "
                    f"not collected")
    python = INTERPRETERS[minor]
    assert python.minor == minor
    # Python 2.7 has fork only: its spawn and forkserver cells do not exist.
    expected = {"fork"} if python.version[0] == 2 else set(START_METHODS)
    assert set(python.start_methods) == expected, python


# The examples whose code sleeps: their specs must hold with the article's real pauses too, on
# the newest interpreter of each side, under forkserver where there is one.
@pytest.mark.parametrize("example", ["pool", "queue_shared"])
@pytest.mark.parametrize("side", ["py2_original", "py3_port"])
def test_specs_hold_in_real_time(example, side):
    major = SIDES[side]
    pythons = [i for i in INTERPRETERS.values() if i.version[0] == major]
    if not pythons:
        pytest.skip(f"no Python {major} found")
    python = pythons[-1]
    method = python.start_methods[-1]
    problems = []
    for mode in MODES:
        trace = run_script(python, os.path.join(ROOT, side, f"{example}.py"), method, mode,
                           RunOptions(time_scale=1.0))
        problems += [f"{mode}: {problem}" for problem in judge(SPECS[example], trace)]
    assert problems == []

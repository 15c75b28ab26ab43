"""One test per example, each run for every side x interpreter x start method, in both modes."""
import os

import pytest

from conftest import INTERPRETERS, ROOT, RUNS, interpreter_for, trace
from portproof._matrix import SIDES
from portproof._run import RunOptions, run_script
from portproof._trace import MODES
from portproof._spec import judge
from portproof.specs import SPECS


def assert_holds(example, slot):
    __tracebackhide__ = True
    python = interpreter_for(slot)
    problems = []
    for mode in MODES:
        for n in range(1, RUNS.get(example, 1) + 1):
            t = trace(example, slot.side, python, slot.start_method, mode, n)
            problems += [f"{mode} run {n}: {p}\n  output: {t.text}"
                         for p in judge(SPECS[example], t)]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_process(slot):
    assert_holds("process", slot)


def test_pool(slot):
    assert_holds("pool", slot)


def test_process_subclass(slot):
    assert_holds("process_subclass", slot)


def test_queue_shared(slot):
    assert_holds("queue_shared", slot)


def test_queue_timeout(slot):
    assert_holds("queue_timeout", slot)


def test_pipe(slot):
    assert_holds("pipe", slot)


def test_value_array(slot):
    assert_holds("value_array", slot)


def test_every_example_has_a_test():
    tested = {name[len("test_"):] for name in globals() if name.startswith("test_")}
    assert set(SPECS) <= tested


# The examples whose code sleeps: their specs must hold with the article's real pauses too.
@pytest.mark.parametrize("example", ["pool", "queue_shared"])
@pytest.mark.parametrize("side", ["py2_original", "py3_port"])
def test_specs_hold_in_real_time(example, side):
    major = SIDES[side]
    pythons = [i for i in INTERPRETERS.values() if i.version[0] == major]
    if not pythons:
        pytest.skip(f"no Python {major} found")
    python = pythons[-1]
    method = python.start_methods[-1]  # forkserver where there is one
    problems = []
    for mode in MODES:
        t = run_script(python, os.path.join(ROOT, side, f"{example}.py"), method, mode,
                       RunOptions(time_scale=1.0))
        problems += [f"{mode}: {p}" for p in judge(SPECS[example], t)]
    assert problems == []

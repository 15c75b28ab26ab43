"""The gallery of ports (tests/ports/): each wrong port is rejected with its reason where it is
wrong (start method, output mode) and accepted where it is not; the right ones hold everywhere.
MIGRATION.md's pitfall entries point here."""
import os

import pytest

from conftest import PORTS, PY3
from portproof._interpreters import START_METHODS
from portproof._matrix import judge_script
from portproof._run import FAST, RunOptions
from portproof._trace import MODES

EVERY = set(START_METHODS)
NOT_FORK = {"spawn", "forkserver"}
BOTH, PIPE = set(MODES), {"pipe"}
# (port, example, start methods and modes where it is wrong, what the verdict says there)
GALLERY = [
    ("pool_with_no_wait.py", "pool", EVERY, BOTH, "never"),
    ("pool_get_in_with.py", "pool", EVERY, PIPE, "never"),
    ("pool_of_five.py", "pool", EVERY, BOTH, "a pool of 3"),
    ("pool_of_threads.py", "pool", EVERY, BOTH, "ran in the parent process"),
    ("pool_no_join.py", "pool", EVERY, BOTH, "never"),
    ("pool_maxtasksperchild.py", "pool", EVERY, BOTH, "tasks ran in 5 processes"),
    ("pool_finally.py", "pool", set(), set(), None),
    ("pool_executor.py", "pool", set(), set(), None),
    ("process_lambda_target.py", "process", NOT_FORK, BOTH, "Can't pickle"),
    ("process_no_main_guard.py", "process", NOT_FORK, BOTH,
     "RuntimeError: An attempt has been made to start a new process"),
    ("process_parent_state.py", "process", NOT_FORK, BOTH,
     "AttributeError: 'NoneType' object has no attribute 'format'"),
    ("process_os_exit.py", "process", EVERY, PIPE, "children ran as []"),
    ("queue_shared_get_nowait.py", "queue_shared", EVERY, BOTH, "the reader got"),
    ("queue_timeout_except_queue_full.py", "queue_timeout", EVERY, BOTH,
     "has no attribute 'Full'"),
    ("queue_timeout_blocked_keyword.py", "queue_timeout", EVERY, BOTH,
     "unexpected keyword argument 'blocked'"),
    ("queue_timeout_put_before_start.py", "queue_timeout", {"fork"}, BOTH,
     "warned: 'DeprecationWarning: This process (pid=<parent>) is multi-threaded"),
]
# Wrong only from this version on: before it, the same code passes.
SINCE = {"queue_timeout_put_before_start.py": (3, 12)}
# Judged with the article's own pauses, not scaled ones, where the wrong behaviour shows only
# while tasks last longer than a process takes to start: the reader of
# queue_shared_get_nowait.py loses items only while the writer still pauses between puts, and
# a pool of five shows five workers only if no worker finishes before the last one starts
# (with sleeps x0.05, under spawn on a loaded machine, one run in eight looked like a pool of 3).
REAL_TIME = {"queue_shared_get_nowait.py", "pool_of_five.py"}
# The oldest and the newest Python 3 found, under each start method they have.
TARGETS = [(python, method) for python in {p.minor: p for p in (PY3[:1] + PY3[-1:])}.values()
           for method in python.start_methods]
CASES = [
    pytest.param(port, example, mode,
                 reason if method in methods and mode in modes
                 and python.version >= SINCE.get(port, (0,)) else None,
                 python, method, id=f"{port[:-3]}-{mode}-{python.minor}-{method}")
    for port, example, methods, modes, reason in GALLERY
    for mode in MODES
    for python, method in TARGETS
]


@pytest.mark.skipif(not PY3, reason="no Python 3 found")
@pytest.mark.parametrize(("port", "example", "mode", "reason", "python", "method"), CASES)
def test_gallery(port, example, mode, reason, python, method):
    options = RunOptions(time_scale=1.0 if port in REAL_TIME else FAST)
    verdict = judge_script(example, os.path.join(PORTS, port), python, method, options,
                           modes=(mode,), runs=2)
    if reason is None:
        assert verdict.problems == []
    else:
        assert any(reason in p for p in verdict.problems), verdict.problems


def test_every_port_in_the_folder_is_in_the_gallery():
    assert sorted(os.listdir(PORTS)) == sorted(port for port, *_ in GALLERY)

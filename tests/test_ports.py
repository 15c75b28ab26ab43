"""Real ports of the pool example, wrong and right: the pool spec rejects each wrong one with
its reason where it is wrong (start method, mode) and accepts the right ones everywhere."""
import os

import pytest

from conftest import INTERPRETERS, PORTS
from portcheck._matrix import judge_script

# (port, reason in a terminal, reason on a pipe); None: the spec holds there.
EXPECTED = [
    ("pool_with_no_wait.py", "never", "never"),
    # .get() inside `with` loses only block-buffered output: wrong on a pipe, fine in a terminal.
    ("pool_get_in_with.py", None, "never"),
    ("pool_of_five.py", "a pool of 3", "a pool of 3"),
    ("pool_of_threads.py", "ran in the parent process", "ran in the parent process"),
    ("pool_no_join.py", "never", "never"),
    ("pool_maxtasksperchild.py", "tasks ran in 5 processes", "tasks ran in 5 processes"),
    ("pool_finally.py", None, None),
    ("pool_executor.py", None, None),
]
PY3 = [i for i in INTERPRETERS.values() if i.version[0] == 3]
# The oldest and the newest Python 3 found, under each start method they have.
TARGETS = [(python, method) for python in {p.minor: p for p in (PY3[:1] + PY3[-1:])}.values()
           for method in python.start_methods]
CASES = [
    pytest.param(port, mode, reason, python, method,
                 id=f"{port[:-3]}-{mode}-{python.minor}-{method}")
    for port, pty_reason, pipe_reason in EXPECTED
    for mode, reason in (("pty", pty_reason), ("pipe", pipe_reason))
    for python, method in TARGETS
]


@pytest.mark.skipif(not PY3, reason="no Python 3 found")
@pytest.mark.parametrize(("port", "mode", "reason", "python", "method"), CASES)
def test_pool_port(port, mode, reason, python, method):
    verdict = judge_script("pool", os.path.join(PORTS, port), python, method, modes=(mode,),
                           runs=2)
    if reason is None:
        assert verdict.problems == []
    else:
        assert any(reason in p for p in verdict.problems), verdict.problems

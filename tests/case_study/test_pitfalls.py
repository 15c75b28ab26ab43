"""The pitfall gallery (tests/case_study/pitfalls/<example>/<what>.py, tabulated in
pitfalls/gallery.py): each wrong port is rejected with its reason where it is wrong (start method,
output mode) and accepted where it is not; the right ones hold everywhere. MIGRATION.md's pitfall
entries point here."""
import os

import pytest

from _suite import PITFALLS, PY3
from case_study.pitfalls.gallery import GALLERY, REAL_TIME, SINCE
from portproof._matrix import judge_script
from portproof._run import FAST, RunOptions
from portproof._trace import MODES

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
    verdict = judge_script(example, os.path.join(PITFALLS, port), python, method, options,
                           modes=(mode,), runs=2)
    if reason is None:
        assert verdict.problems == []
    else:
        assert any(reason in p for p in verdict.problems), verdict.problems


def test_every_port_in_the_folder_is_in_the_gallery():
    ports = sorted(f"{example}/{name}" for example in os.listdir(PITFALLS)
                   if os.path.isdir(os.path.join(PITFALLS, example))
                   for name in os.listdir(os.path.join(PITFALLS, example)) if name.endswith(".py"))
    assert ports == sorted(port for port, *_ in GALLERY)
    # Each port sits in the folder of the example it ports.
    assert [port.split("/")[0] for port, *_ in GALLERY] == [example for _, example, *_ in GALLERY]

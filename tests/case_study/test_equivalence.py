"""Each Python 3 cell tells the same story as the Python 2 original on 2.7 under fork: the same
lines, with pids as roles (<parent>, <child1>, ...), in the same order where the example's spec
fixes an order.

The story of a run, and the spec that says which lines and orders count, are defined per example
in portproof/specs/<example>.py; test_examples.py checks each side against its spec first.
"""
import pytest

from _suite import INTERPRETERS
from portproof._spec import judge, story
from portproof._trace import MODES
from portproof.specs import EXAMPLES, SPECS

pytestmark = pytest.mark.sides("py3_port")
PY27 = INTERPRETERS.get("2.7")
if PY27 is None:
    pytest.skip("no Python 2.7 found to compare the ports with", allow_module_level=True)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("example", EXAMPLES)
def test_same_story(example, mode, slot, traces):
    spec = SPECS[example]
    original = traces.run(example, "py2_original", PY27, "fork", mode)
    port = traces.run(example, "py3_port", slot.python, slot.start_method, mode)
    failed = ["\n  ".join([f"{side} breaks its spec:", *problems, f"output: {trace.text}"])
              for side, trace in (("py2_original", original), ("py3_port", port))
              if (problems := judge(spec, trace))]
    if failed:
        pytest.fail("\n".join(failed), pytrace=False)
    assert story(spec, port) == story(spec, original)

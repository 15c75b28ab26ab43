"""Each Python 3 cell tells the same story as the Python 2 original (pids as roles, order
where the spec fixes it)."""
import pytest

from conftest import INTERPRETERS, interpreter_for, trace
from portproof._trace import MODES
from portproof._spec import judge, story
from portproof.specs import SPECS

SLOT_SIDES = ("py3_port",)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("example", list(SPECS))
def test_same_story(example, mode, slot):
    py2 = INTERPRETERS.get("2.7")
    if py2 is None:
        pytest.skip("no Python 2.7 to compare with")
    python = interpreter_for(slot)
    spec = SPECS[example]
    original = trace(example, "py2_original", py2, "fork", mode)
    port = trace(example, "py3_port", python, slot.start_method, mode)
    for side, t in (("py2_original", original), ("py3_port", port)):
        assert judge(spec, t) == [], f"{side}: {t}"
    assert story(spec, port) == story(spec, original)

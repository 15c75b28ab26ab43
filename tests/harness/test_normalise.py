"""Each normalisation rule: what it rewrites, and what it must leave alone; and the process
names rule against what 2.7 and 3.x really call their processes."""
import os
import re

import pytest

from _suite import INTERPRETERS, SUBJECTS
from portproof import _run
from portproof._normalise import RULES, Context, normalise
from portproof._observe import context

RULE = {rule.name: rule for rule in RULES}
RUN = Context(pids=(4242, 4250, 4251), paths={"/tmp/portproof-x/work": "<cwd>",
                                               "/tmp/portproof-x/work/old.py": "<script>"},
              ignore=(re.compile(r"id=\w+"),))

REWRITES = [
    ("ignore", "request id=ab12 done", "request <ignored> done"),
    ("paths", "wrote /tmp/portproof-x/work/out.txt", "wrote <cwd>/out.txt"),
    pytest.param("paths", 'File "/tmp/portproof-x/work/old.py", line 3', 'File "<script>", line 3',
                 id="the-longest-path-first"),
    ("pids", "Current process 4242.", "Current process <parent>."),
    pytest.param("pids", "Run 4251 (4250) then 4251", "Run <child1> (<child2>) then <child1>",
                 id="roles-in-order-of-appearance"),
    pytest.param("pids", "____start____4242 log_4250.txt", "____start____<parent> log_<child1>.txt",
                 id="after-an-underscore"),
    ("addresses", "<Foo object at 0x7f3a2b1c0d90>", "<Foo object at 0x<address>>"),
    ("process names", "ForkPoolWorker-3 says hi", "PoolWorker-3 says hi"),
    ("process names", "Process SpawnProcess-1:", "Process Process-1:"),
    ("process names", "ForkServerPoolWorker-12", "PoolWorker-12"),
]

# Values that look alike and must stay as they are.
UNCHANGED = [
    ("pids", "Counter: 4000"),  # not a pid of the run
    ("pids", "took 0.4242 s"),  # inside a float
    ("pids", "4242.5 units"),
    ("pids", "x4242 and 42420"),  # inside a word, a longer number
    ("addresses", "0x10 is sixteen"),  # too short to be an address
    ("process names", "ForkingPickler-1"),
    ("process names", "MyForkProcess-1"),  # a user's own class
    ("paths", "/tmp/portproof-y/work/out.txt"),  # another run's folder
]


@pytest.mark.parametrize(("rule", "line", "expected"), REWRITES)
def test_rule_rewrites(rule, line, expected):
    assert RULE[rule].apply([line], RUN) == [expected]


@pytest.mark.parametrize(("rule", "line"), UNCHANGED)
def test_rule_leaves_alone(rule, line):
    assert RULE[rule].apply([line], RUN) == [line]


def test_normalise_names_each_rule_that_fired():
    fired = set()
    lines = normalise(["Current process 4242.", "plain"], RUN, fired)
    assert lines == ["Current process <parent>.", "plain"]
    assert fired == {"pids"}


def test_the_parent_is_the_parent_even_when_a_child_speaks_first():
    assert normalise(["4250", "4242"], RUN) == ["<child1>", "<parent>"]


@pytest.mark.parametrize(("line", "expected"), [
    ("Queue.Empty", "Empty"),  # 2.7
    ("_queue.Empty", "Empty"),  # 3.7+
    ("multiprocessing.pool.MaybeEncodingError: Error sending result: 'x'",
     "MaybeEncodingError: Error sending result: 'x'"),
    ("ZeroDivisionError: integer division or modulo by zero",
     "ZeroDivisionError: integer division or modulo by zero"),
    pytest.param("KeyError: 'a.b'", "KeyError: 'a.b'", id="a-dot-in-the-message-stays"),
])
def test_exception_line_drops_the_module(line, expected):
    from portproof._normalise import exception_line
    assert exception_line(line) == expected


PROCESS_NAMES = os.path.join(SUBJECTS, "process_names.py")
@pytest.fixture(scope="module")
def names_run():
    """Runs of PROCESS_NAMES, each made once for the module's tests (2.7's is the reference)."""
    runs = {}

    def run(python, method):
        key = (python.minor, method)
        if key not in runs:
            runs[key] = _run.run_script(python, PROCESS_NAMES, method, "pipe")
        return runs[key]

    return run


# The strings above are what the rule was written from; this checks it against what the
# interpreters name a Process child and Pool workers, as diff normalises a run (with the run's
# own context), on each Python 3 and start method against 2.7 under fork.
@pytest.mark.sides("py3_port")
def test_default_process_names_of_every_python_3_normalise_to_2_7s(slot, names_run):
    py27 = INTERPRETERS.get("2.7")
    if py27 is None:
        pytest.skip("no Python 2.7 to compare the names with")
    python = slot.python
    old, new = names_run(py27, "fork"), names_run(python, slot.start_method)
    for t in (old, new):
        assert (t.returncode, len(t.text)) == (0, 3), t
    assert normalise(new.text, context(new)) == normalise(old.text, context(old))
    # Else the rule did nothing here: 3.x's Pool names its workers after the start method.
    pool = [[line for line in t.text if line.startswith("pool worker ")] for t in (old, new)]
    assert pool[0] != pool[1]

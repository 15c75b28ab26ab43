"""Each normalisation rule: what it rewrites, and what it must leave alone; and the process
names rule against what 2.7 and 3.x really call their processes."""
import os
import re

import pytest

from _suite import INTERPRETERS, SUBJECTS
import portproof
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
    pytest.param("library frames",
                 '  File "/root/.pyenv/versions/2.7.18/lib/python2.7/multiprocessing/process.py", '
                 'line 114, in run',
                 '  File "<stdlib>/multiprocessing/process.py", line <n>, in run', id="pyenv-2.7"),
    pytest.param("library frames",
                 '  File "/usr/lib/python3.13/multiprocessing/process.py", line 108, in run',
                 '  File "<stdlib>/multiprocessing/process.py", line <n>, in run', id="system-3"),
    pytest.param("library frames",
                 '  File "/w/new/.venv/lib/python3.13/site-packages/helper.py", line 3, in f',
                 '  File "<site-packages>/helper.py", line <n>, in f', id="a-venv"),
    pytest.param("library frames", '  File "/usr/lib/python3/dist-packages/helper.py", line 9',
                 '  File "<site-packages>/helper.py", line <n>', id="debian-packages"),
    pytest.param("library frames", "/usr/lib64/python2.7/multiprocessing/pool.py:268: Warning",
                 "<stdlib>/multiprocessing/pool.py:268: Warning", id="a-path-not-in-a-frame"),
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
    ("library frames", '  File "/w/mylib/python3.13/x.py", line 3, in f'),  # not under lib/
    ("library frames", '  File "/w/lib/pythonic/x.py", line 3, in f'),
    ("carets", "    ^^^^"),  # not under a frame's source line
    ("harness frames", '  File "/w/_boot/sitecustomize.py", line 268, in run'),  # not ours
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


# The boot the runs use: the installed package's (under tox, not the checkout's).
BOOT = os.path.join(os.path.dirname(portproof.__file__), "_boot", "sitecustomize.py")
# What 3.13 printed for a Process subclass whose run() catches what Process.run raised, and
# sends traceback.format_exc() to its parent, when the boot wrapped run() (and, with --fast, a
# sleep interrupted in a child); and what 2.7 printed.
PRINTED_313 = f"""\
Traceback (most recent call last):
  File "/w/new.py", line 15, in run
    multiprocessing.Process.run(self)
    ~~~~~~~~~~~~~~~~~~~~~~~~~~~^^^^^^
  File "{BOOT}", line 268, in run
    real_run(self)
    ~~~~~~~~^^^^^^
  File "/root/.pyenv/versions/3.13.0/lib/python3.13/multiprocessing/process.py", line 108, in run
    self._target(*self._args, **self._kwargs)
    ~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/w/new.py", line 22, in work
    return int(text) * 2
           ~~~^^^^^^
  File "{BOOT}", line 240, in _scaled_sleep
    return _real_sleep(seconds * _SCALE)
ValueError: invalid literal for int() with base 10: '4x'
child exit code 0""".splitlines()
PRINTED_27 = """\
Traceback (most recent call last):
  File "/w/old.py", line 15, in run
    multiprocessing.Process.run(self)
  File "/root/.pyenv/versions/2.7.18/lib/python2.7/multiprocessing/process.py", line 114, in run
    self._target(*self._args, **self._kwargs)
  File "/w/old.py", line 22, in work
    return int(text) * 2
ValueError: invalid literal for int() with base 10: '4x'
child exit code 0""".splitlines()


@pytest.mark.parametrize(("rule", "dropped"), [
    ("harness frames", [4, 5, 6, 13, 14]),
    ("carets", [3, 6, 9, 12]),
])
def test_rule_drops_lines_of_a_printed_traceback(rule, dropped):
    assert RULE[rule].apply(PRINTED_313, RUN) == [
        line for n, line in enumerate(PRINTED_313) if n not in dropped]


def test_a_traceback_printed_by_3_13_and_by_2_7_normalise_alike():
    contexts = [Context(paths={f"/w/{side}.py": "<script>"}) for side in ("new", "old")]
    fired = set()
    new = normalise(PRINTED_313, contexts[0], fired)
    assert new == normalise(PRINTED_27, contexts[1])
    assert new[:3] == ["Traceback (most recent call last):", '  File "<script>", line 15, in run',
                       "    multiprocessing.Process.run(self)"]
    assert fired == {"harness frames", "carets", "library frames", "paths"}


# A venv inside NEW's folder is a library, not the script's folder, on both sides alike.
def test_a_venv_in_the_scripts_folder_is_a_library_on_both_sides():
    new = Context(paths={"/p/new": "<script folder>", "/p/new/port.py": "<script>"})
    old = Context(paths={"/p/old": "<script folder>", "/p/old/orig.py": "<script>"})
    assert normalise(['  File "/p/new/.venv/lib/python3.13/site-packages/helper.py", line 3'],
                     new) == normalise(['  File "/usr/lib/python2.7/dist-packages/helper.py", '
                                        'line 9'], old) == [
        '  File "<site-packages>/helper.py", line <n>']


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

"""The pitfall gallery as data, for the tests: one entry per port in this folder
(<example>/<what>.py, a plausible Python 3 port of the article's <example> with a comment saying
what is wrong with it, or that it is right), and where the spec rejects it.

test_pitfalls.py judges each port against this table; the pitfall tables of MIGRATION.md (with
its appendix) and docs/harness.md are checked against it too.
"""
from portproof._interpreters import START_METHODS
from portproof._trace import MODES

EVERY = set(START_METHODS)
NOT_FORK = {"spawn", "forkserver"}
BOTH, PIPE = set(MODES), {"pipe"}
# (port, example, start methods and modes where it is wrong, what the verdict says there)
GALLERY = [
    ("pool/with_no_wait.py", "pool", EVERY, BOTH, "never"),
    ("pool/get_in_with.py", "pool", EVERY, PIPE, "its output was lost"),
    ("pool/of_five.py", "pool", EVERY, BOTH, "a pool of 3"),
    ("pool/of_threads.py", "pool", EVERY, BOTH, "ran in the parent process"),
    ("pool/no_join.py", "pool", EVERY, BOTH, "never"),
    ("pool/maxtasksperchild.py", "pool", EVERY, BOTH, "tasks ran in 5 processes"),
    ("pool/finally.py", "pool", set(), set(), None),
    ("pool/executor.py", "pool", set(), set(), None),
    ("process/lambda_target.py", "process", NOT_FORK, BOTH, "Can't pickle"),
    ("process/no_main_guard.py", "process", NOT_FORK, BOTH,
     "RuntimeError: An attempt has been made to start a new process"),
    ("process/parent_state.py", "process", NOT_FORK, BOTH,
     "AttributeError: 'NoneType' object has no attribute 'format'"),
    ("process/os_exit.py", "process", EVERY, PIPE, "children ran as []"),
    ("queue_shared/get_nowait.py", "queue_shared", EVERY, BOTH, "the reader got"),
    ("queue_timeout/except_queue_full.py", "queue_timeout", EVERY, BOTH,
     "has no attribute 'Full'"),
    ("queue_timeout/blocked_keyword.py", "queue_timeout", EVERY, BOTH,
     "unexpected keyword argument 'blocked'"),
    ("queue_timeout/put_before_start.py", "queue_timeout", {"fork"}, BOTH,
     "warned: 'DeprecationWarning: This process (pid=<parent>) is multi-threaded"),
]
# Wrong only from this version on: before it, the same code passes.
SINCE = {"queue_timeout/put_before_start.py": (3, 12)}
# Judged with the article's own pauses, not scaled ones, where the wrong behaviour shows only
# while tasks last longer than a process takes to start: the reader of
# queue_shared/get_nowait.py loses items only while the writer still pauses between puts, and
# a pool of five shows five workers only if no worker finishes before the last one starts
# (with sleeps x0.05, under spawn on a loaded machine, one run in eight looked like a pool of 3).
REAL_TIME = {"queue_shared/get_nowait.py", "pool/of_five.py"}

"""What diff learns from runs of the original, and what it calls a difference: on recorded
observations, no subject run."""
import pytest

from portproof._noise import Model
from portproof._observe import TRACEMALLOC_HINT, Observation, split_stderr


def seen(*stdout, stderr=(), exception=None, ending="exit status 0", files=None, leaked=(),
         shm_left=()):
    return Observation("pty", list(stdout), list(stderr), exception, ending, files or {},
                       {}, list(leaked), shm_left=list(shm_left))


def texts(model, observation):
    return [d.text for d in model.differences(observation)]


def test_numbers_that_vary_at_one_place_are_noise_and_the_rest_is_compared():
    model = Model([seen("task 1 took 0.52 s", "total 3"), seen("task 1 took 0.17 s", "total 3"),
                   seen("task 1 took 0.90 s", "total 3")])
    assert texts(model, seen("task 1 took 0.33 s", "total 3")) == []
    assert texts(model, seen("task 2 took 0.33 s", "total 3")) == [
        "stdout line changed: 'task 1 took <n> s' is now 'task 2 took <n> s'"]
    assert texts(model, seen("task 1 took 0.33 s", "total 4")) == [
        "stdout line changed: 'total 3' is now 'total 4'"]
    assert model.noise() == ["stdout: values that vary at the same place: 'task 1 took <n> s'"]


def test_a_dash_after_a_word_is_not_a_minus_sign():
    model = Model([seen("Consumer-1: 9 * 9", "t -2"), seen("Consumer-3: 9 * 9", "t -5")])
    assert model.noise() == ["stdout: values that vary at the same place: 'Consumer-<n>: 9 * 9'",
                             "stdout: values that vary at the same place: 't <n>'"]


def test_which_child_wrote_a_line_is_said_as_such():
    model = Model([seen("task 4 on <child1>"), seen("task 4 on <child2>")])
    assert model.noise() == ["stdout: which child wrote it varies: 'task 4 on <child>'"]


def test_a_value_that_differs_within_a_run_but_not_between_runs_is_not_noise():
    runs = [seen("child 0 done", "child 1 done"), seen("child 1 done", "child 0 done")]
    model = Model(runs)
    assert texts(model, seen("child 1 done", "child 0 done")) == []
    assert texts(model, seen("child 0 done", "child 0 done")) == [
        "stdout line changed: 'child 1 done' is now 'child 0 done'"]
    assert model.noise() == [
        "stdout: the order of 1 pair(s) of lines varies, or may be a race: they came less than "
        "0.5 s apart while other processes ran"]


def test_an_order_that_held_in_every_run_is_required():
    model = Model([seen("a", "b", "c"), seen("a", "c", "b")])
    assert texts(model, seen("a", "c", "b")) == []
    assert texts(model, seen("b", "a", "c")) == ["stdout: 'b' now comes before 'a'"]


def test_lines_written_close_together_are_not_held_to_their_order():
    close = seen("a", "b")
    close.times = [(0.0, 0.100), (0.105, 0.110)]  # b written 5 ms after a arrived
    apart = seen("a", "b")
    apart.times = [(0.0, 0.100), (0.700, 0.710)]
    assert texts(Model([close, apart]), seen("b", "a")) == []
    apart2 = seen("a", "b")
    apart2.times = [(0.0, 0.100), (0.650, 0.660)]
    assert texts(Model([apart, apart2]), seen("b", "a")) == ["stdout: 'b' now comes before 'a'"]


def test_on_a_pipe_only_lines_written_alone_are_held_to_their_order():
    """On a pipe, lines come when a process flushes, mostly at its exit: reads far apart, or one
    read after both writers ended, are processes ending in some order the program may not fix."""
    def run(mode, times):
        observation = seen("a", "b")
        observation.mode, observation.times, observation.others = mode, times, [(0.01, 0.05)]
        return observation

    apart = [(0.0, 0.100), (0.700, 0.710)]
    assert texts(Model([run("pty", apart)] * 2), seen("b", "a")) == [
        "stdout: 'b' now comes before 'a'"]
    assert texts(Model([run("pipe", apart)] * 2), seen("b", "a")) == []
    assert Model([run("pipe", apart)] * 2).noise() == [
        "stdout: the order of 1 pair(s) of lines varies, or may be a race: other processes were "
        "alive while they were written"]
    burst = [(0.0, 0.100), (0.0, 0.100)]
    assert texts(Model([run("pty", burst)] * 2), seen("b", "a")) == [
        "stdout: 'b' now comes before 'a'"]
    assert texts(Model([run("pipe", burst)] * 2), seen("b", "a")) == []
    # Found empty after the child ended, but a line on a pipe waits in its writer's buffer: the
    # main process may have printed both while the child ran, in an order the child's results
    # chose (imap_unordered), and flushed them at its exit.
    alone = [(0.06, 0.100), (0.06, 0.100)]
    assert texts(Model([run("pipe", alone)] * 2), seen("b", "a")) == []


def test_on_a_pipe_lines_are_held_to_their_order_only_if_no_other_process_ran_before_them():
    """A process's lines on a pipe can have been printed at any time since the run began: only
    lines that arrived before any other process of the run started are proven to be in the
    program's order."""
    def run(others):
        observation = seen("a", "b")
        observation.mode, observation.times = "pipe", [(0.06, 0.100), (0.06, 0.100)]
        observation.others = others
        return observation

    assert texts(Model([run([(0.2, 0.3)])] * 2), seen("b", "a")) == [
        "stdout: 'b' now comes before 'a'"]
    assert texts(Model([run([(0.01, 0.05)])] * 2), seen("b", "a")) == []


def test_a_burst_read_when_no_other_process_was_alive_is_held_to_its_order():
    """A sorted() printed after the Pool joined arrives in one read, its workers gone: the
    order is the program's, however close the lines came."""
    def run(others, times=((0.099, 0.100), (0.099, 0.100))):
        observation = seen("a", "b")
        observation.times = list(times)
        observation.others = others
        return observation

    gone = [(0.01, 0.09)]  # a child that ended before the read
    assert texts(Model([run(gone), run(gone)]), seen("b", "a")) == [
        "stdout: 'b' now comes before 'a'"]
    alive = [(0.01, 0.11)]  # a child alive at the read
    assert texts(Model([run(gone), run(alive)]), seen("b", "a")) == []
    unrecorded = [(0.01, None)]  # a child whose end is unknown
    assert texts(Model([run(gone), run(unrecorded)]), seen("b", "a")) == []
    assert texts(Model([run(gone), run(None)]), seen("b", "a")) == []  # no record at all
    two_reads = run(gone, ((0.05, 0.096), (0.099, 0.100)))  # a may be the child's
    assert texts(Model([run(gone), two_reads]), seen("b", "a")) == []
    alone = run(gone, ((0.095, 0.096), (0.099, 0.100)))  # the child had ended before a
    assert texts(Model([run(gone), alone]), seen("b", "a")) == [
        "stdout: 'b' now comes before 'a'"]


def test_a_count_that_varies_allows_the_range_seen():
    model = Model([seen("tick", "tick", "end"), seen("tick", "end"), seen("tick", "tick", "end")])
    assert texts(model, seen("tick", "end")) == []
    assert texts(model, seen("end")) == ["stdout line missing: 'tick'"]
    assert texts(model, seen("tick", "tick", "tick", "end")) == ["stdout line added: 'tick'"]
    assert "stdout: 'tick' appears 1 to 2 times" in model.noise()


def test_a_missing_and_an_extra_line_alike_are_one_changed_line():
    model = Model([seen("Result: 2", "done")])
    (d,) = model.differences(seen("Result: 2.5", "done"))
    assert d.kind == "changed" and d.lines == ("- Result: 2", "+ Result: 2.5")
    unlike = texts(model, seen("zzz", "done"))
    assert unlike == ["stdout line missing: 'Result: 2'", "stdout line added: 'zzz'"]


@pytest.mark.parametrize(("field", "old", "new", "expected"), [
    ("ending", "exit status 0", "exit status 1", "ends with exit status 1, not exit status 0"),
    ("exception", None, "NameError: name 'xrange' is not defined",
     "uncaught exception NameError: name 'xrange' is not defined, not none"),
    ("leaked", [], ["a", "b"], "left 2 process(es) running after it exited: 'a', 'b'; "
     "portproof killed them"),
    ("files", {"out.txt": "aa"}, {"out.txt": "bb"}, "file out.txt has other contents"),
    ("files", {}, {"new.txt": "aa"}, "file new.txt is created by NEW only"),
])
def test_how_a_run_ends_and_what_it_leaves(field, old, new, expected):
    model = Model([seen("x", **{field: old})])
    assert texts(model, seen("x", **{field: new})) == [expected]
    assert texts(model, seen("x", **{field: old})) == []


def test_a_leak_names_what_new_left_running():
    model = Model([seen("x", leaked=["<python> <script> --old"])])
    new = seen("x", leaked=["<python> -c 'import time; time.sleep(600)'", "sleep \x1b[2J"])
    assert texts(model, new) == [
        "left 2 process(es) running after it exited: \"<python> -c 'import time; "
        "time.sleep(600)'\", 'sleep \\x1b[2J'; portproof killed them"]


def test_what_new_left_in_dev_shm_is_a_difference_unless_old_left_as_much():
    new = seen("x", shm_left=["psm_1a", "sem.mp-\x1b"])
    assert texts(Model([seen("x")]), new) == [
        "left 2 shared-memory entries in /dev/shm: 'psm_1a', 'sem.mp-\\x1b'; portproof removed "
        "them"]
    assert texts(Model([seen("x", shm_left=["psm_9z", "psm_8y"])]), new) == []  # names vary


PY27_POOL_ERROR = """\
Traceback (most recent call last):
  File "/w/old.py", line 9, in <module>
    print(pool.apply(f, (0,)))
  File "/usr/lib/python2.7/multiprocessing/pool.py", line 253, in apply
    return self.apply_async(func, args, kwds).get()
ZeroDivisionError: integer division or modulo by zero
"""
PY313_POOL_ERROR = '''\
multiprocessing.pool.RemoteTraceback: \n"""
Traceback (most recent call last):
  File "/usr/lib/python3.13/multiprocessing/pool.py", line 125, in worker
    result = (True, func(*args, **kwds))
              ~~~~^^^^^^^^^^^^^^^^^^^
ZeroDivisionError: division by zero
"""

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/w/new.py", line 9, in <module>
    print(pool.apply(f, (0,)))
ZeroDivisionError: division by zero
'''


def test_the_uncaught_exception_is_the_last_of_its_chain():
    assert split_stderr(PY27_POOL_ERROR.splitlines()) == (
        [], "ZeroDivisionError: integer division or modulo by zero", [])
    # 3.x chains the worker's traceback before it: one exception, no other lines.
    assert split_stderr(PY313_POOL_ERROR.splitlines()) == (
        [], "ZeroDivisionError: division by zero", [])


def test_a_childs_traceback_is_one_line_and_warnings_are_apart():
    lines = [
        "Process Process-1:",
        "Traceback (most recent call last):",
        '  File "x.py", line 3, in f',
        "    raise ValueError('bad')",
        "ValueError: bad",
        "/w/new.py:7: DeprecationWarning: This process (pid=<parent>) is multi-threaded",
        "  p.start()",
        "done with errors",
    ]
    assert split_stderr(lines) == (
        ["Process Process-1:", "(traceback) ValueError: bad", "done with errors"], None,
        ["DeprecationWarning: This process (pid=<parent>) is multi-threaded"])


def test_an_exception_message_on_several_lines_is_one_line():
    """3.x's RuntimeError from a child started without the __main__ guard."""
    lines = [
        "Traceback (most recent call last):",
        '  File "x.py", line 3, in <module>',
        "    p.start()",
        "RuntimeError: ",
        "        An attempt has been made to start a new process before the",
        "        current process has finished its bootstrapping phase.",
        "done",
    ]
    message = ("RuntimeError: An attempt has been made to start a new process before the "
               "current process has finished its bootstrapping phase.")
    assert split_stderr(lines) == ([f"(traceback) {message}", "done"], None, [])
    assert split_stderr(lines[:-1]) == ([], message, [])


def test_missing_lines_are_listed_in_the_originals_order():
    old = seen(*(f"child <child{n}> line {n}" for n in range(1, 9)))
    assert texts(Model([old, old]), seen()) == [
        f"stdout line missing: 'child <child> line {n}'" for n in range(1, 9)]


def test_a_collected_objects_resource_warning_is_one_warning():
    # Raised where no source line is at hand, Python prints a hint in its place.
    lines = ["/w/x.py:9: ResourceWarning: unclosed file <x>", TRACEMALLOC_HINT, "done"]
    assert split_stderr(lines) == (["done"], None, ["ResourceWarning: unclosed file <x>"])


def test_a_warning_after_the_uncaught_exception_leaves_it_uncaught():
    # 3.8+ warns of a Pool the exception left running, after the traceback.
    lines = [
        "Traceback (most recent call last):",
        '  File "x.py", line 3, in <module>',
        "ValueError: bad",
        "/usr/lib/python3.13/multiprocessing/pool.py:268: ResourceWarning: unclosed running "
        "multiprocessing pool <multiprocessing.pool.Pool state=RUN pool_size=2>",
        "  _warn(f\"unclosed running multiprocessing pool {self!r}\",",
        TRACEMALLOC_HINT,
    ]
    assert split_stderr(lines) == (
        [], "ValueError: bad",
        ["ResourceWarning: unclosed running multiprocessing pool "
         "<multiprocessing.pool.Pool state=RUN pool_size=2>"])

"""What diff learns from runs of the original, and what it calls a difference: on recorded
observations, no subject run."""
import pytest

from portproof._noise import Model
from portproof._observe import TRACEMALLOC_HINT, Observation, split_stderr


def seen(*stdout, stderr=(), exception=None, ending="exit status 0", files=None, leaked=(),
         shm_left=(), cut=()):
    return Observation("pty", list(stdout), list(stderr), exception, ending, files or {},
                       {}, list(leaked), shm_left=list(shm_left), cut=cut)


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
    assert model.noise() == ["stdout: values that vary at the same place: 'task 1 took <n> s' "
                             "(<n>: any decimal number)"]


def test_a_dash_after_a_word_is_not_a_minus_sign():
    model = Model([seen("Consumer-1: 9 * 9", "t -2"), seen("Consumer-3: 9 * 9", "t -5")])
    assert model.noise() == [
        "stdout: values that vary at the same place: 'Consumer-<n>: 9 * 9' (<n>: a whole number "
        "from -1 to 5, the 1 to 3 seen widened by their span, at least 1)",
        "stdout: values that vary at the same place: 't <n>' (<n>: a whole number from -8 to 1, "
        "the -5 to -2 seen widened by their span, at least 1)"]


def test_which_child_wrote_a_line_is_said_as_such():
    model = Model([seen("task 4 on <child1>"), seen("task 4 on <child2>")])
    assert model.noise() == ["stdout: which child wrote it varies: 'task 4 on <child>'"]


# Whole numbers that vary keep a span: OLD's, widened by as much again (at least 1).
SPAN = [
    pytest.param(["counted to 1000000", "counted to 1100000", "counted to 1200000"],
                 ["800000", "1400000", "1150000"], ["799999", "1400001", "4000000"],
                 id="a-counter"),
    # A racy counter OLD saw at 3.1M to 3.9M: counting every update (4M) is within the spread
    # a counter that loses updates shows, and so not told from it; beyond 4.7M is.
    pytest.param(["counted to 3100000", "counted to 3900000", "counted to 3500000"],
                 ["4000000", "2300000", "4700000"], ["4700001", "2299999", "8000000"],
                 id="the-racy-counter-at-4M"),
    pytest.param(["counted to 5", "counted to 6", "counted to 6"], ["4", "7"], ["3", "8"],
                 id="at-least-1"),
    pytest.param(["counted to -3", "counted to 2", "counted to 0"], ["-8", "7"], ["-9", "8"],
                 id="negative"),
]


@pytest.mark.parametrize(("old", "inside", "outside"), SPAN)
def test_a_varying_whole_number_must_stay_within_olds_span_widened(old, inside, outside):
    model = Model([seen(line, "done") for line in old])
    for value in inside:
        assert texts(model, seen(f"counted to {value}", "done")) == [], value
    for value in outside:
        assert texts(model, seen(f"counted to {value}", "done")) == [
            f"stdout line changed: 'counted to <n>' is now 'counted to {value}'"], value
    assert texts(model, seen("done")) == ["stdout line missing: 'counted to <n>'"]


def test_the_span_of_a_whole_number_is_said_in_the_noise():
    model = Model([seen("counted to 1000000"), seen("counted to 1200000")])
    assert model.noise() == [
        "stdout: values that vary at the same place: 'counted to <n>' (<n>: a whole number from "
        "800000 to 1400000, the 1000000 to 1200000 seen widened by their span, at least 1)"]


def test_a_place_of_decimals_takes_decimals_and_a_place_of_whole_numbers_whole_ones():
    decimals = Model([seen("took 0.52 s"), seen("took 0.17 s"), seen("took 1.2 s")])
    assert texts(decimals, seen("took 12.5 s")) == []  # any decimal: timings vary with load
    assert texts(decimals, seen("took 1 s")) == [
        "stdout line changed: 'took <n> s' is now 'took 1 s'"]
    wholes = Model([seen("mean 4"), seen("mean 5")])
    assert texts(wholes, seen("mean 4.5")) == [
        "stdout line changed: 'mean <n>' is now 'mean 4.5'"]
    both = Model([seen("got 4"), seen("got 4.5")])
    assert texts(both, seen("got 900")) == texts(both, seen("got 0.1")) == []
    assert both.noise() == ["stdout: values that vary at the same place: 'got <n>' (<n>: any "
                            "number)"]


TOKENS = ["DxQbnWkGfLzYhTuVpRmE", "qWeRtYuIoPaSdFgHjKlZ", "MnBvCxZaSdFgHjKlPoIu",
          "ZyXwVuTsRqPoNmLkJiHg", "AbCdEfGhIjKlMnOpQrSt"]


# A line whose varying part is masked stays required, as often as OLD printed it.
def test_a_line_of_random_words_stays_required_as_often_as_old_printed_it():
    model = Model([seen(TOKENS[0]), seen(TOKENS[1], TOKENS[2]), seen(TOKENS[3])])
    assert texts(model, seen(TOKENS[4])) == []
    assert texts(model, seen(TOKENS[4], TOKENS[4])) == []
    assert texts(model, seen()) == ["stdout line missing: '<20 letters>'"]
    assert texts(model, seen(*TOKENS[2:])) == ["stdout line added: '<20 letters>'"]
    assert texts(model, seen("tooShort")) == [
        "stdout line missing: '<20 letters>'", "stdout line added: 'tooShort'"]
    assert texts(model, seen("0123456789abcdefABCD")) == [  # digits where OLD had letters
        "stdout line missing: '<20 letters>'", "stdout line added: '0123456789abcdefABCD'"]
    assert model.noise() == ["stdout: words that vary at the same place: a line matching "
                             "'<20 letters>' appears 1 to 2 times"]


@pytest.mark.parametrize(("old", "template", "fits", "does_not_fit"), [
    pytest.param(["session 3f2a9c1b ok", "session 0b1c2d3e ok", "session 9a8b7c6d ok"],
                 "session <8 hex digits> ok", ["session deadbeef ok"],
                 ["session 3f2a9c1g ok", "session 3f2a9c ok", "session 3f2a9c1b no"],
                 id="hex"),
    pytest.param(["got apple", "got melon", "got fig"], "got <3 to 5 letters>",
                 ["got kiwi", "got pea"], ["got banana", "got ab", "got 12345"],
                 id="lengths"),
])
def test_words_that_vary_between_runs_are_a_class_and_lengths(old, template, fits,
                                                              does_not_fit):
    model = Model([seen(line, "done") for line in old])
    assert model.stdout.mask(old) == [template] * len(old)
    for line in fits:
        assert texts(model, seen(line, "done")) == [], line
    for line in does_not_fit:
        assert texts(model, seen(line, "done")) != [], line


def test_lines_that_every_run_printed_alike_are_not_words_that_vary():
    # Which fruit varies; "got kiwi", printed in every run, is a line of its own.
    model = Model([seen("got kiwi", "got apple"), seen("got kiwi", "got melon")])
    assert texts(model, seen("got apple", "got melon")) == [
        "stdout line missing: 'got kiwi'", "stdout line added: 'got <5 letters>'"]
    assert texts(model, seen("got kiwi", "got grape")) == []


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


def written(*threads, others=((0.0, None),)):
    """A pty run whose processes' threads wrote `threads` (lists of lines), all at once while
    another process ran: the stream holds none of its lines to their order."""
    stream = [line for lines in threads for line in lines]
    observation = seen(*stream)
    observation.times = [(0.0, 0.001)] * len(stream)
    observation.others = list(others)
    observation.by_process = [list(lines) for lines in threads]
    return observation


# Program order: lines one process wrote keep the order it wrote them in, whatever the others.
def test_lines_one_process_wrote_are_held_to_the_order_it_wrote_them_in():
    model = Model([written(["parent"], ["1", "2", "3"]), written(["1", "2", "3"], ["parent"])])
    assert texts(model, written(["3", "parent"], ["1", "2"])) == []  # written by two processes
    assert texts(model, written(["parent", "1", "3", "2"])) == [
        "stdout: within one process, '3' now comes before '2'"]
    assert texts(model, written(["parent"], ["3", "2", "1"])) == [
        "stdout: within one process, '3' now comes before '1', and 2 more pair(s) of its lines "
        "in another order"]
    assert model.differences(written(["parent"], ["2", "1", "3"]))[0].lines == ("- 1", "+ 2")
    assert model.noise() == [
        "stdout: the order of 3 pair(s) of lines varies, or may be a race: they came less than "
        "0.5 s apart while other processes ran",
        "stdout: program order: 3 pair(s) of lines that one process wrote are held to the order "
        "it wrote them in, whatever other processes did"]


def test_without_a_record_of_its_processes_a_run_holds_no_program_order():
    model = Model([written(["1", "2"])] * 2)
    assert texts(model, written(["2", "1"])) != []
    unrecorded = written(["1", "2"])
    unrecorded.by_process = None
    assert texts(Model([written(["1", "2"]), unrecorded]), written(["2", "1"])) == []
    assert texts(Model([written(["1", "2"])] * 2), unrecorded) == []


# A line one process wrote before another in some runs and after it in others (results
# printed as they arrive) is held to no order: more runs might have agreed by luck. A pair no
# process wrote both lines of in a run (spread over two workers) says nothing of that run.
def test_a_line_one_process_wrote_in_either_order_is_not_held():
    model = Model([written(["a", "b", "x"], ["c", "y"]), written(["b", "a", "x"], ["c", "y"])])
    assert texts(model, written(["x", "b", "a"], ["c", "y"])) == []
    model = Model([written(["a", "b", "x"], ["c", "y"]), written(["b", "a", "x"], ["c"], ["y"])])
    assert texts(model, written(["x", "b", "a"], ["y", "c"])) == [
        "stdout: within one process, 'y' now comes before 'c'"]
    assert model.noise()[-2:] == [
        "stdout: program order: 1 pair(s) of lines that one process wrote are held to the order "
        "it wrote them in, whatever other processes did",
        "stdout: the order in which one process wrote 1 pair(s) of lines varies between runs"]


# A line is known by its masked text, and how many times its process wrote it before.
def test_program_order_is_of_masked_lines_and_counts_repeats():
    model = Model([written(["took 0.5 s", "tick", "done", "tick"]),
                   written(["took 0.7 s", "tick", "done", "tick"])])
    assert texts(model, written(["tick", "took 0.6 s", "done", "tick"])) == [
        "stdout: within one process, 'tick' now comes before 'took <n> s'"]
    assert texts(model, written(["took 0.6 s", "tick", "tick", "done"])) == [
        "stdout: within one process, 'tick' now comes before 'done'"]


# A pair that both the stream's order and one process's hold is said once, as the process's;
# the stream's order says what no record shows.
def test_a_pair_one_process_wrote_is_said_as_its_order_and_once():
    alone = seen("1", "2")
    alone.times, alone.others, alone.by_process = [(0.0, 0.1), (0.7, 0.8)], [], [["1", "2"]]
    swapped = seen("2", "1")
    swapped.by_process = [["2", "1"]]
    assert texts(Model([alone] * 2), swapped) == [
        "stdout: within one process, '2' now comes before '1'"]
    swapped.by_process = [[]]  # NEW wrote them where the boot does not see (file descriptor 1)
    assert texts(Model([alone] * 2), swapped) == ["stdout: '2' now comes before '1'"]


def test_processes_in_another_order_are_said_three_at_most():
    model = Model([written(["a1", "b1"], ["a2", "b2"], ["a3", "b3"], ["a4", "b4"],
                           ["a5", "b5"])] * 2)
    assert texts(model, written(["b1", "a1"], ["b2", "a2"], ["b3", "a3"], ["b4", "a4"],
                                ["b5", "a5"])) == [
        "stdout: within one process, 'b1' now comes before 'a1'",
        "stdout: within one process, 'b2' now comes before 'a2'",
        "stdout: within one process, 'b3' now comes before 'a3'",
        "stdout: and 2 more process(es) that wrote lines in another order"]


def test_a_count_that_varies_allows_the_range_seen():
    model = Model([seen("tick", "tick", "end"), seen("tick", "end"), seen("tick", "tick", "end")])
    assert texts(model, seen("tick", "end")) == []
    assert texts(model, seen("end")) == ["stdout line missing: 'tick'"]
    assert texts(model, seen("tick", "tick", "tick", "end")) == ["stdout line added: 'tick'"]
    assert "stdout: 'tick' appears 1 to 2 times" in model.noise()


# A line repeated is one difference, with its count.
def test_a_repeated_line_is_one_difference_with_its_count():
    model = Model([seen("done", stderr=["retrying"] * 3)])
    error = "RuntimeError: An attempt has been made to start a new process"
    assert texts(model, seen("done", stderr=["retrying"] * 3 + [error] * 70)) == [
        f"stderr line added: '{error}', 70 times"]
    assert texts(model, seen("done")) == ["stderr line missing: 'retrying', 3 times"]
    assert texts(model, seen("done", stderr=["retried"] * 5)) == [
        "stderr line changed: 'retrying' is now 'retried', 3 times",
        "stderr line added: 'retried', 2 times"]


# Where the harness cut a stream, what it left out is not known: a line missing from NEW's cut
# stream, or added to NEW's where OLD's was cut, may be in what was left out.
def test_what_a_cut_stream_may_have_left_out_is_no_difference():
    whole = Model([seen(stderr=["retrying"] * 10)] * 2)
    assert texts(whole, seen(stderr=["retrying"] * 4, cut=("stderr",))) == []
    assert texts(whole, seen(stderr=["retrying"] * 4)) == [
        "stderr line missing: 'retrying', 6 times"]
    assert texts(whole, seen(stderr=["retrying"] * 4 + ["new"], cut=("stderr",))) == [
        "stderr line added: 'new'"]
    assert texts(whole, seen(stderr=["retrying"] * 4, cut=("stdout",))) != []
    cut = Model([seen(stderr=["retrying"] * 4, cut=("stderr",)), seen(stderr=["retrying"] * 10)])
    assert texts(cut, seen(stderr=["retrying"] * 12)) == []
    assert texts(cut, seen(stderr=["retrying"] * 3)) == ["stderr line missing: 'retrying'"]


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

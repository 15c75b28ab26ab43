"""The specs on recorded traces: right ones hold, each wrong one is rejected with its reason."""
import dataclasses

import pytest

from portproof._trace import TRUNCATED, Line, Trace
from portproof._observe import TRACEMALLOC_HINT
from portproof._record import ProcessInfo
from portproof._spec import SHOWN, judge, story, with_roles
from portproof.specs import SPECS

PARENT = 100

GOOD = {
    "process": [
        "Current process 100.",
        *(f"Child process {i}({201 + i}) is running." for i in range(5)),
        "Waiting for subprocess done",
    ],
    "pool": [
        "Current process 100.",
        "Child process 0(201) is running.",
        "Child process 1(202) is running.",
        "Waiting for all subprocess done...",
        "Child process 2(203) is running.",
        "Child process 1(202) end.",
        "Child process 3(202) is running.",
        "Child process 0(201) end.",
        "Child process 4(201) is running.",
        "Child process 2(203) end.",
        "Child process 3(202) end.",
        "Child process 4(201) end.",
        "All subprocess done...",
    ],
    "process_subclass": [
        "Current process 100.",
        "Worker Worker-1(201) is running.",
        "Worker exited with code 0.",
        "Bare Process (202) ran nothing and exited with code 0.",
    ],
    "queue_shared": [
        "Current process 100.",
        "Writer process 201 is running.",
        "Put A to queue.",
        "Reader process 202 is running.",
        "Get A from queue.",
        "Put B to queue.",
        "Put C to queue.",
        "Get B from queue.",
        "Get C from queue.",
        "Put D to queue.",
        "Get D from queue.",
        "Put E to queue.",
        "Get E from queue.",
        "Writer and reader done.",
    ],
    "queue_timeout": [
        "Current process 100.",
        "Put A, the queue is full.",
        "put(block=False) raised Full.",
        "Calling put(block=True, timeout=0.5)...",
        "put(block=True, timeout=0.5) raised Full.",
        "Got A.",
        "get(block=False) raised Empty.",
        "Calling get(block=True, timeout=0.5)...",
        "get(block=True, timeout=0.5) raised Empty.",
        "Child process 201 puts B.",
        "Got B from the child.",
    ],
    "pipe": [
        "Current process 100.",
        "Child 201 received ping 0.",
        "Parent received PING 0.",
        "Child 201 received ping 1.",
        "Parent received PING 1.",
        "Child 201 received ping 2.",
        "Parent received PING 2.",
        "Pipe closed.",
    ],
    "value_array": [
        "Current process 100.",
        "Child process 1(202) done.",
        "Child process 0(201) done.",
        "Child process 3(204) done.",
        "Child process 2(203) done.",
        "Counter: 4000",
        "Numbers: [4, 5, 6, 7, 8]",
    ],
}
# queue_timeout's lines arrive at these times (s); the blocking calls take their 0.5 s.
QUEUE_TIMES = [0.0, 0.01, 0.01, 0.02, 0.52, 0.52, 0.52, 0.53, 1.03, 1.05, 1.05]


def make(text, mode="pty", times=None, **fields):
    times = times or [0.01 * n for n in range(len(text))]
    trace = Trace("x.py", "3.13.0", "fork", mode, PARENT, returncode=0)
    trace.lines = [Line(t, at) for t, at in zip(text, times, strict=True)]
    for name, value in fields.items():
        setattr(trace, name, value)
    return trace


def good(example, mode="pty", **fields):
    times = QUEUE_TIMES if example == "queue_timeout" else None
    return make(list(GOOD[example]), mode, times, **fields)


def edited(example, edit, mode="pty"):
    text = list(GOOD[example])
    edit(text)
    times = QUEUE_TIMES[: len(text)] if example == "queue_timeout" else None
    return make(text, mode, times)


def swap(i, j):
    def edit(text):
        text[i], text[j] = text[j], text[i]
    return edit


def replace(i, line):
    def edit(text):
        text[i] = line
    return edit


def delete(i):
    def edit(text):
        del text[i]
    return edit


def insert(i, line):
    def edit(text):
        text.insert(i, line)
    return edit


def drop_lines(prefix):
    def edit(text):
        text[:] = [line for line in text if not line.startswith(prefix)]
    return edit


def both(*edits):
    def edit(text):
        for e in edits:
            e(text)
    return edit


@pytest.mark.parametrize("example", list(SPECS))
@pytest.mark.parametrize("mode", ["pty", "pipe"])
def test_recorded_good_traces_hold(example, mode):
    assert judge(SPECS[example], good(example, mode)) == []


# Wrong behaviour that each spec must name: (example, how the trace is wrong, words expected).
REJECTED = [
    pytest.param("process", swap(2, 3), "children ran as ['0', '2', '1', '3', '4']",
                 id="process-out-of-order"),
    pytest.param("process", replace(2, "Child process 1(100) is running."), "in the parent",
                 id="process-child-in-parent"),
    pytest.param("process", replace(2, "Child process 1(201) is running."), "shared one",
                 id="process-children-share-a-process"),
    pytest.param("process", swap(5, 6), "is not the last line", id="process-no-join"),
    pytest.param("process", delete(0), "first line is not the parent's", id="process-no-header"),
    pytest.param("pool", delete(11), "no end line of task 4: never ended, or its output was lost",
                 id="pool-lost-end"),
    pytest.param("pool", drop_lines("Child process 4("),
                 "no line of task 4: not started, or its output was lost", id="pool-lost-task"),
    pytest.param("pool", insert(12, "Child process 4(201) end."), "ended 2 times",
                 id="pool-task-twice"),
    pytest.param("pool", swap(11, 12), "is not the last line", id="pool-done-too-early"),
    pytest.param("pool", replace(6, "Child process 3(204) is running."), "did not start and end",
                 id="pool-task-moves-process"),
    pytest.param("pool", both(replace(6, "Child process 3(204) is running."),
                              replace(10, "Child process 3(204) end.")),
                 "tasks ran in 4 processes", id="pool-fourth-worker"),
    pytest.param("pool", swap(5, 6), "4 tasks were running at once", id="pool-four-at-once"),
    pytest.param("pool", replace(2, "Child process 1(100) is running."), "in the parent",
                 id="pool-task-in-parent"),
    pytest.param("pool", delete(3), "appears 0 times", id="pool-no-waiting-line"),
    pytest.param("process_subclass", replace(2, "Worker exited with code 1."),
                 "reports exit code 1", id="subclass-exit-code"),
    pytest.param("process_subclass", replace(3, "Bare Process (100) ran nothing and exited with "
                 "code 0."), "in the parent", id="subclass-bare-in-parent"),
    pytest.param("process_subclass", insert(3, "Bare run() printed."), "not a line",
                 id="subclass-bare-prints"),
    pytest.param("queue_shared", swap(7, 8), "the reader got ['A', 'C', 'B', 'D', 'E']",
                 id="queue-order"),
    pytest.param("queue_shared", delete(10), "the reader got ['A', 'B', 'C', 'E']",
                 id="queue-item-lost"),
    pytest.param("queue_shared", swap(4, 2), "A was got (line 3) before it was put",
                 id="queue-get-before-put"),
    pytest.param("queue_timeout", replace(4, "put(block=False) raised Full."), "lines came as",
                 id="timeout-wrong-line"),
    pytest.param("pipe", swap(1, 2), "before the child sent it", id="pipe-reply-first"),
    pytest.param("pipe", replace(3, "Child 202 received ping 1."), "more than one process",
                 id="pipe-two-children"),
    pytest.param("value_array", replace(5, "Counter: 3998"), "ended at 3998, not 4000",
                 id="value-lost-update"),
    pytest.param("value_array", replace(6, "Numbers: [4, 5, 6, 7, 7]"), "[4, 5, 6, 7, 7]",
                 id="array-lost-update"),
    pytest.param("value_array", delete(2), "children ['1', '2', '3'] finished",
                 id="value-child-missing"),
]


@pytest.mark.parametrize(("example", "edit", "reason"), REJECTED)
def test_wrong_traces_are_rejected(example, edit, reason):
    problems = judge(SPECS[example], edited(example, edit))
    assert any(reason in p for p in problems), problems


def _pool_record(text, workers_wrote):
    """The boot's record of a pool run: the parent wrote the lines of `text` it prints, and
    three workers ran, each writing the lines of `workers_wrote` that name its pid."""
    parent = ProcessInfo(PARENT, 1, None, None, 0.0, 1.0,
                         stdout=[[line for line in text if "Child" not in line]])
    return [parent] + [
        ProcessInfo(pid, PARENT, f"ForkPoolWorker-{pid - 200}", "fork", 0.1, None,
                    stdout=[[line for line in workers_wrote if f"({pid})" in line]])
        for pid in (201, 202, 203)]


# A task none of whose lines came: the boot's record says whether a worker wrote them (lost
# on the way: a worker killed before it flushed) or none did; without a record, both may be.
@pytest.mark.parametrize(("wrote", "reason"), [
    pytest.param(GOOD["pool"], "no line of task 4: its output was lost, written but not "
                 "flushed before its process ended", id="written-and-lost"),
    pytest.param([line for line in GOOD["pool"] if "Child process 4(" not in line],
                 "task 4 never started", id="never-written"),
])
def test_a_task_with_no_line_is_said_lost_or_not_started_as_the_record_shows(wrote, reason):
    text = [line for line in GOOD["pool"] if "Child process 4(" not in line]
    trace = make(text, "pipe", processes=_pool_record(text, wrote))
    problems = judge(SPECS["pool"], trace)
    assert reason in problems, problems
    assert not any("task 4" in p for p in problems if p != reason), problems


def test_a_tasks_end_line_written_and_lost_is_said_so():
    text = [line for line in GOOD["pool"] if line != "Child process 4(201) end."]
    trace = make(text, "pipe", processes=_pool_record(text, GOOD["pool"]))
    assert ("no end line of task 4: its output was lost, written but not flushed "
            "before its process ended") in judge(SPECS["pool"], trace)


# Timing claims, judged on arrival times in a pty and not at all on a pipe.
TIMING = [
    pytest.param({4: 0.12, 5: 0.12, 6: 0.12, 7: 0.13, 8: 0.63},
                 "came at most 0.10 s after the call", id="put-timeout-too-short"),
    pytest.param({8: 2.53, 9: 2.55, 10: 2.55}, "came at least 2.00 s after the call",
                 id="get-timeout-too-long"),
    pytest.param({2: 0.4}, "came at least 0.39 s late, not at once", id="put-nowait-blocked"),
]


@pytest.mark.parametrize(("moved", "reason"), TIMING)
def test_queue_timeouts_are_judged_in_a_terminal(moved, reason):
    times = [moved.get(i, t) for i, t in enumerate(QUEUE_TIMES)]
    text = GOOD["queue_timeout"]
    assert any(reason in p for p in judge(SPECS["queue_timeout"], make(text, "pty", times)))
    assert judge(SPECS["queue_timeout"], make(text, "pipe", times)) == []


def test_a_line_read_late_does_not_shorten_a_wait():
    # A soak run (3.8, forkserver, pty, both cores busy): the harness read "Calling get(...)"
    # late, with the three lines before it, so arrival to arrival the 0.5 s wait that followed
    # looked like 0.35 s. Each line carries when the harness last saw the stream empty.
    arrived = [0.116, 0.174, 0.174, 0.174, 0.852, 0.852, 0.852, 0.852, 1.198, 1.446, 1.446]
    seen_empty = [0.0, 0.11, 0.11, 0.11, 0.17, 0.17, 0.17, 0.17, 0.85, 1.19, 1.19]
    spec = SPECS["queue_timeout"]
    trace = make(GOOD["queue_timeout"], "pty", arrived)
    # Written when they arrived, the lines would show a short wait.
    assert any("came at most 0.35 s after the call" in p for p in judge(spec, trace))
    trace.lines = [dataclasses.replace(line, earliest=e)
                   for line, e in zip(trace.lines, seen_empty, strict=True)]
    assert judge(spec, trace) == []


def test_concurrency_is_not_judged_on_a_pipe():
    assert judge(SPECS["pool"], edited("pool", swap(5, 6), mode="pipe")) == []


RUN_FAULTS = [
    pytest.param({"timeout": 60.0, "returncode": -9}, "timed out after 60 s", id="timeout"),
    pytest.param({"returncode": -11}, "was killed by SIGSEGV", id="segv"),
    pytest.param({"returncode": 3}, "exited with status 3", id="exit-status"),
    pytest.param({"stderr": "Traceback ...\nValueError: boom"}, "wrote to stderr: 'ValueError: "
                 "boom'", id="stderr"),
    pytest.param({"stderr": "/w/queue_timeout.py:40: DeprecationWarning: This process "
                            "(pid=7) is multi-threaded, use of fork() may lead to deadlocks in "
                            "the child.\n  p.start()", "pid": 7},
                 "warned: 'DeprecationWarning: This process (pid=<parent>) is multi-threaded, "
                 "use of fork() may lead to deadlocks in the child.' at queue_timeout.py:40",
                 id="warning"),
    pytest.param({"leaked": {4242: "python x.py"}}, "left 1 process(es) running", id="leak"),
    pytest.param({"truncated": True}, "truncated", id="truncated"),
    pytest.param({"shm_removed": ["psm_1a", "sem.mp-2b"]}, "left 2 shared-memory entries in "
                 "/dev/shm: 'psm_1a', 'sem.mp-2b'; portproof removed them", id="shm"),
]


# Processes alike are said once with their count; past the first SHOWN, the rest are counted.
LISTED = [
    pytest.param(["a"], "'a'", id="one"),
    pytest.param(["a", "a", "b"], "'a' (2 processes), 'b'", id="alike"),
    pytest.param([str(n) for n in range(SHOWN)] * 2, ", ".join(
        f"'{n}' (2 processes)" for n in range(SHOWN)), id="alike-at-the-limit"),
    pytest.param([str(n) for n in range(150)], ", ".join(
        f"'{n}'" for n in range(SHOWN)) + f" and {150 - SHOWN} more", id="many"),
]


@pytest.mark.parametrize(("commands", "said"), LISTED)
def test_a_leak_and_a_hang_say_the_first_few_processes(commands, said):
    of_pid = dict(enumerate(commands, 4242))
    leaked = good("process", leaked=of_pid)
    assert (f"left {len(commands)} process(es) running after it exited: {said}; "
            "portproof killed them") in judge(SPECS["process"], leaked)
    hung = good("process", timeout=2.0, hung_commands=of_pid)
    (problem,) = judge(SPECS["process"], hung)
    assert problem.endswith(f" and its processes; still running were {said}")


def test_a_hang_says_where_each_process_was():
    hung = good("process", timeout=2.0, stacks={7: "f (x.py:1)", 8: "f (x.py:1)", 9: "g (x.py:2)"},
                hung_commands={7: "python x.py", 8: "python x.py", 9: "python x.py", 10: "sleep 9"})
    (problem,) = judge(SPECS["process"], hung)
    assert problem.endswith("still running were 'python x.py' in 'f (x.py:1)' (2 processes), "
                            "'python x.py' in 'g (x.py:2)', 'sleep 9'")


@pytest.mark.parametrize(("fields", "reason"), RUN_FAULTS)
def test_run_faults_are_named(fields, reason):
    problems = judge(SPECS["process"], good("process", **fields))
    assert any(reason in p for p in problems), problems


def test_a_run_killed_for_its_timeout_is_said_to_time_out_only():
    # Under the token containment portproof hears the SIGKILL it sent; that is not the script's
    # fault, and saying "was killed by SIGKILL" too would blame it.
    (problem,) = judge(SPECS["process"], good("process", timeout=60.0, returncode=-9))
    assert problem.startswith("timed out after 60 s: portproof killed ")


def test_normalise_names_pids_by_role():
    lines = with_roles(SPECS["pool"], good("pool"))
    assert lines[:3] == [
        "Current process <parent>.",
        "Child process 0(<child1>) is running.",
        "Child process 1(<child2>) is running.",
    ]
    assert lines[6] == "Child process 3(<child2>) is running."


def test_story_keeps_order_only_where_the_spec_fixes_it():
    pipe_a, pipe_b = good("pipe"), edited("pipe", swap(3, 4))
    assert story(SPECS["pipe"], pipe_a) != story(SPECS["pipe"], pipe_b)
    pool_a, pool_b = good("pool"), edited("pool", swap(1, 2))
    assert story(SPECS["pool"], pool_a) == story(SPECS["pool"], pool_b)


def test_story_tells_a_different_port_apart():
    assert story(SPECS["pool"], good("pool")) != story(SPECS["pool"], edited("pool", delete(3)))


# A warning is named as one; the source line Python prints under it is part of it, and only
# what is left is "wrote to stderr".
WARNED = [
    ("a.py:3: UserWarning: x\n  warn('x')", ["warned: 'UserWarning: x' at a.py:3"]),
    ("a.py:3: UserWarning: x\n  warn('x')\na.py:3: UserWarning: x\n  warn('x')",
     ["warned: 'UserWarning: x' at a.py:3 (2 times)"]),
    ("a.py:3: UserWarning: x\nboom", ["warned: 'UserWarning: x' at a.py:3",
                                       "wrote to stderr: 'boom'"]),
    ("sitecustomize.py:9: ResourceWarning: unclosed file <x>\n" + TRACEMALLOC_HINT,
     ["warned: 'ResourceWarning: unclosed file <x>' at sitecustomize.py:9"]),
    ("Traceback (most recent call last):\nValueError: no Warning: here",
     ["wrote to stderr: 'ValueError: no Warning: here'"]),
]


@pytest.mark.parametrize(("stderr", "problems"), WARNED,
                         ids=["one", "twice", "and-more", "unclosed", "not-a-warning"])
def test_warnings_on_stderr_are_named_apart(stderr, problems):
    found = [p for p in judge(SPECS["process"], good("process", stderr=stderr))
             if p.startswith(("warned", "wrote"))]
    assert found == problems


def test_the_truncation_marker_is_not_quoted_as_the_subjects():
    stderr = f"ValueError: in the head\n{TRUNCATED}\nthe tail's last line"
    found = [p for p in judge(SPECS["process"], good("process", stderr=stderr, truncated=True))
             if p.startswith(("wrote", "printed more"))]
    assert found == ["wrote to stderr: \"ValueError: in the head ... the tail's last line\"",
                     "printed more than portproof keeps; its output was truncated"]

def test_warnings_past_the_first_few_are_counted_and_their_places_escaped():
    stderr = "\n".join(f"evil\x1b[2J.py:{n}: UserWarning: x" for n in range(1, 2001))
    found = [p for p in judge(SPECS["process"], good("process", stderr=stderr))
             if p.startswith(("warned", "and"))]
    assert found == [f"warned: 'UserWarning: x' at evil\\x1b[2J.py:{n}"
                     for n in range(1, SHOWN + 1)] + [f"and {2000 - SHOWN} more warnings"]


def test_a_process_under_another_start_method_is_named_escaped():
    trace = good("process", processes=[ProcessInfo(8, PARENT, "evil\x1b[2J", "spawn", 0.1, 0.2)])
    assert "process evil\\x1b[2J ran under spawn, not fork" in judge(SPECS["process"], trace)


# Reasons that differ only in what differs between any two runs (an object's address, a pid)
# are one reason: check and compare say it once, with its count.
def test_what_a_run_wrote_to_stderr_is_said_without_its_addresses_and_pids():
    said = [judge(SPECS["process"], good("process", stderr=(
        f"_pickle.PicklingError: Can't pickle <function <lambda> at {address}> (pid {PARENT})"
        "\n"))) for address in ("0x7f57fddc4e00", "0x7f8cb06a4e00")]
    assert said[0] == said[1]
    assert "wrote to stderr: \"_pickle.PicklingError: Can't pickle <function <lambda> at " \
        "0x<address>> (pid <parent>)\"" in said[0]

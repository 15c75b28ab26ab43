"""The legacy topics as data, for the tests: one entry per topic folder <topic>/, which holds the
Python 2 program (py2.py), its faithful port (py3.py), its naive port (naive.py) and the machine
port's output (machine.py).

Measured (see README.md): each py2 program on Python 2.7 (fork; pipe and terminal), each py3 and
naive program and each machine port on Python 3.6 and 3.13 under fork, spawn and forkserver,
run through portproof._run.run_script in a scratch folder; compared: stdout lines (of a noisy topic,
with its numbers masked or its lines as a multiset), stderr (of an uncaught exception, its last
line), exit status, the files written. py3: the same in every run; naive: different in every
run (pickle_args: in every run under spawn and forkserver, which pickle a Process's args, and the
same under fork: see `naive_start_method`); the machine port: as `machine_port_same` says, in all
6 of its runs.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    change: str  # what changed between Python 2 and 3
    naive_wrong: str  # what the naive port gets wrong
    original_line: str | None  # the original's line the naive port changes (None: it adds one)
    naive_line: str  # the naive port's line that a diff must name
    # where that line is: "stdout", "stderr" (or also a file), "warning" (on stderr), "ending"
    # (how the run ended: "exit status 0", "timed out")
    where: str
    noisy: bool  # the original's output legitimately varies from run to run
    machine_port_same: bool  # machine_port(X/py2.py) behaves as the original, in every run
    machine_note: str  # what the machine port gets right or wrong
    machine_text: tuple[str, ...]  # lines of X/machine.py that show it
    # The naive port prints the original's lines in another order: a diff must say that
    # naive_line now comes before original_line.
    reordered: bool = False
    # The start method under which the naive port goes wrong on its own (it may go wrong only
    # where the Process's args are pickled).
    naive_start_method: str = "fork"
    # What goes wrong is only a warning, which diff reports as a difference with --strict (else
    # as a note).
    strict: bool = False
    # Further lines the naive port changes, each an (original line, naive line) pair that a diff
    # must name and the programs print whole.
    more_lines: tuple[tuple[str, str], ...] = ()
    # The naive port hangs: diff and the tests give each run this many seconds, not the default.
    timeout: float | None = None


TOPICS = {
    "dict_order": Topic(
        "2.7 prints a dict in hash-table order (small ints ascending, stable); 3.7+ (and CPython "
        "3.6) in insertion order",
        "prints the dict as it is: insertion order",
        "{1: 1, 2: 4, 3: 9, 4: 16, 5: 25}", "{5: 25, 3: 9, 1: 1, 4: 16, 2: 4}", "stdout",
        False, False, "keeps print(squares), and list() around keys(): insertion order",
        ("    print(squares)", "    print('keys:', list(squares.keys()))"),
    ),
    "int_division": Topic(
        "`/` on two ints floors on 2, is true division on 3",
        "keeps `/`: 1.5 where 2.7 printed 1",
        "mean of [1, 2] is 1", "mean of [1, 2] is 1.5", "stdout",
        False, False, "2to3 has no division fixer: `/` stays",
        ("    return sum(xs) / len(xs)",),
    ),
    "lazy_map": Topic(
        "map(), filter() and zip() return lazy iterators on 3",
        "map(q.put, ...) as a statement never runs, nor does the filter() whose predicate puts "
        "what it keeps until its result is read: nothing is put, the worker sums 0",
        "worker summed 22", "worker summed 0", "stdout",
        False, True, "the map, filter and zip fixers wrap each in list()",
        ("    list(map(inbox.put, [1, 2, 3, 4]))",
         "    odds = list(filter(sender(inbox), [5, 6, 7]))",
         "    pairs = list(zip('abc', [1, 2, 3]))"),
    ),
    "bytes_pipe": Topic(
        "str is bytes on 2; on 3 send_bytes() wants bytes and recv_bytes() returns bytes",
        "formats the bytes from the Queue with %s: b'HELLO WORLD'",
        "queue gave HELLO WORLD", "queue gave b'HELLO WORLD'", "stdout",
        False, False, "leaves send_bytes('hello world'): TypeError, a bytes-like object is "
        "required",
        ("    parent.send_bytes('hello world')",),
    ),
    "print_stderr": Topic(
        "`print >>sys.stderr, x` is print(x, file=sys.stderr) on 3",
        "turns it into sys.stderr.write() without the newline: two warnings on one line",
        "warning: 3 is odd", "warning: 3 is oddwarning: 5 is odd", "stderr",
        False, True, "the print fixer writes file=sys.stderr",
        ("            print('warning: %d is odd' % n, file=sys.stderr)",),
    ),
    "pool_exception": Topic(
        "a worker's exception re-raised by Pool.map: on 3.4+ chained to a RemoteTraceback that "
        "shows the worker's traceback; same type, message and exit status 1",
        "uses imap(), which yields the results before the failing one: two extra lines",
        None, "parsed 1", "stdout",
        False, True, "keeps pool.map: the same lines, exception and exit status",
        ("    for value in pool.map(parse, ['1', '2', 'x', '4']):",),
    ),
    "round_half": Topic(
        "round() on 2: halves away from zero, a float; on 3: halves to even, an int",
        "keeps round(): 0.5 rounds to 0",
        "0.5 rounds to 1.0", "0.5 rounds to 0", "stdout",
        False, False, "round() stays, so does its new meaning",
        ("    return price, round(price)",),
    ),
    "sorted_cmp": Topic(
        "sorted() has no cmp= on 3, and cmp() is gone",
        "sorts by score alone, descending: ties keep the input order",
        "al 2", "carol 2", "stdout",
        False, False, "key=cmp_to_key(by_rank), but cmp() inside by_rank stays: NameError",
        ("    for name, points in sorted(scores, key=cmp_to_key(by_rank)):",
         "    return cmp(b[1], a[1]) or cmp(a[0], b[0])"),
        reordered=True,
    ),
    "non_ascii": Topic(
        "'café' is UTF-8 bytes on 2 (len counts bytes, upper() only ASCII), text on 3",
        "len() counts letters and upper() knows accents",
        "café: 5 bytes, upper CAFé", "café: 4 bytes, upper CAFÉ", "stdout",
        False, False, "the text is now str: 4 bytes, CAFÉ (and pyupgrade drops the coding line)",
        ("    return '%s: %d bytes, upper %s' % (name, len(name), name.upper())",),
    ),
    "xrange_loop": Topic(
        "xrange() is range() on 3; range() no longer makes a list",
        "prints the range object: range(0, 20, 5)",
        "starts: [0, 5, 10, 15]", "starts: range(0, 20, 5)", "stdout",
        False, True, "the xrange fixer renames xrange and wraps the printed range in list()",
        ("    starts = list(range(0, 20, 5))",),
    ),
    "manager_dict": Topic(
        "a Manager dict shows its dict's order: 2.7 hash order, 3.x insertion order (its "
        "keys() is a list on both)",
        "prints the proxy as it is: placeholders' order",
        "{0: 0, 1: 1, 2: 4, 3: 9}", "{3: 9, 1: 1, 0: 0, 2: 4}", "stdout",
        False, False, "keeps print(d): insertion order",
        ("    print(d)",),
    ),
    "imap_unordered": Topic(
        "nothing in imap_unordered itself: its completion order varies on both, so the order "
        "of those lines is noise; the summary line is not",
        "keeps `/` in the summary: 9.166666666666666 where 2.7 printed 9",
        "mean square: 9", "mean square: 9.166666666666666", "stdout",
        True, False, "`/` stays in the summary",
        ("    print('mean square:', total / 6)",),
    ),
    "result_file": Topic(
        "`print >>f, x,` wrote a space only before a following item (softspace); "
        "print(x, end=' ', file=f) always writes it",
        "result.txt ends in a space before the newline: 8 bytes, not 7",
        "wrote 7 bytes", "wrote 8 bytes", "stdout and result.txt",
        False, False, "the print fixer's end=' ': the same bytes as the naive port",
        ("        print(c, end=' ', file=out)",),
    ),
    "random_noise": Topic(
        "nothing in random or time for this program: its draws and timings vary on both, "
        "which is noise; the counts are not",
        "round(7.5) is 8 on 3 (halves to even): 8 values per task",
        "tasks: 5 values per task: 7", "tasks: 5 values per task: 8", "stdout",
        True, False, "`/` stays: 7.5 values per task, range(7.5) raises TypeError in the workers",
        ("    per_task = tasks * 3 / 2",),
    ),
    "apply_async_error": Topic(
        "a failed apply_async task keeps its exception until get() re-raises it (on 3.4+ chained "
        "to a RemoteTraceback), never fetched it is silent on both; error_callback is new in 3.2; "
        "3 unbinds the name of `except ... as` at the end of the block",
        "reads the `except ... as` name after the block: NameError, the last line lost",
        None, "NameError: name 'error' is not defined. Did you mean: 'OSError'?", "stderr",
        False, False, "keeps `except ValueError as error` and reads error after it: NameError",
        ("        except ValueError as error:", "    if error is not None:"),
    ),
    "ctrl_c_get": Topic(
        "a get() with no timeout cannot be interrupted on 2.7 (a lock wait), can on 3.2+; 2.7 code "
        "passes a long timeout so that Ctrl-C works",
        "drops the except clause, as `with Pool` terminates the pool: KeyboardInterrupt ends the "
        "program (exit status 1 on 3.6 and 3.7, killed by SIGINT on 3.8+)",
        None, "KeyboardInterrupt", "stderr",
        False, True, "keeps get(timeout=3600) and the except clause: the same lines",
        ("        value = result.get(timeout=3600)",),
    ),
    "flush_output": Topic(
        "`print >>f, x` then f.flush() is print(x, file=f, flush=True) on 3.3+; a terminated "
        "worker's unflushed buffer is lost on both",
        "drops the flush: the terminated workers' lines never reach progress.log",
        "progress.log had 6 lines", "progress.log had 0 lines", "stdout",
        False, True, "print(..., file=log) and log.flush() kept: the same lines",
        ("    print('squared', n, file=log)", "    log.flush()"),
    ),
    "fork_global": Topic(
        "a global set in __main__ reaches the workers only under fork; 3.x also has spawn and "
        "forkserver (and 3.14 makes forkserver the default on Linux), which import the module "
        "afresh",
        "sets the start method to spawn and keeps the global: the workers see SCALE = None",
        None, "TypeError: unsupported operand type(s) for *: 'int' and 'NoneType'", "stderr",
        False, False, "keeps the global: the same under fork, a TypeError under spawn and "
        "forkserver",
        ("    SCALE = 10", "    return n * SCALE"),
    ),
    "executor_map": Topic(
        "nothing in Pool.map; ProcessPoolExecutor.map, its modern alternative, submits every task "
        "at once but raises a task's exception only when its result is reached",
        "calls executor.map() as a statement: the ValueError is never raised, 'saved' is printed "
        "and the exit status is 0",
        None, "saved", "stdout",
        False, True, "keeps pool.map(): the same lines, files, exception and exit status",
        ("    pool.map(save, ['1', '2', '4', 'x'])",),
    ),
    "division_args": Topic(
        "`/` on two ints gives a float on 3: Pool(processes=...) and Array(typecode, size) "
        "raise TypeError, and a float chunksize makes a map whose tasks fail hang",
        "keeps `/`: Pool(processes=2.0) raises TypeError",
        None, "TypeError: 'float' object cannot be interpreted as an integer", "stderr",
        False, False, "2to3 has no division fixer: every `/` stays, Pool(processes=2.0) raises",
        ("    pool = Pool(processes=cores / 2)",
         "    squares = pool.map(square, xs, chunksize=len(xs) / 4)"),
    ),
    "bytes_args": Topic(
        "str is bytes on 2; on 3 Array('c') and Value('c') want and give bytes, authkey must "
        "be bytes; what send() carries is pickled, so a str stays a str",
        "formats the bytes of Array('c') and Value('c') with %s: b'HELLO'",
        "word: HELLO, first letter: H", "word: b'HELLO', first letter: b'H'", "stdout",
        False, False, "leaves Array('c', 'hello'): TypeError (and Value('c', '?'), "
        "authkey='secret')",
        ("    word = Array('c', 'hello')", "    conn = Client(address, authkey='secret')"),
    ),
    "pickle_args": Topic(
        "3 pickles bound methods (the copy_reg workaround can go); a dict's keys() is a view, "
        "which does not pickle: a Process arg under spawn and forkserver, not under fork",
        "passes stock.keys() to a Process: TypeError under spawn and forkserver",
        None, "TypeError: cannot pickle 'dict_keys' object", "stderr",
        False, True, "the dict fixer wraps keys() in list(); copyreg and __self__/__func__ "
        "keep the workaround working",
        ("    p = Process(target=count, args=(list(stock.keys()), q))",
         "    return getattr, (m.__self__, m.__func__.__name__)"),
        naive_start_method="spawn",
    ),
    "array_from_map": Topic(
        "map() returns an iterator on 3, and Array() takes a size or a sequence (len()); "
        "Pool.map still returns a list",
        "keeps Array('i', map(int, fields)): TypeError",
        None, "TypeError: object of type 'map' has no len()", "stderr",
        False, True, "the map fixer wraps map() in list()",
        ("    numbers = Array('i', list(map(int, fields)))",),
    ),
    "unclosed_pool": Topic(
        "nothing in the code; 3.8+ warns (ResourceWarning) of a Pool still running when it is "
        "collected, which a pool left to the interpreter's exit is",
        "keeps the pool that is never closed: a ResourceWarning at exit (3.12 also prints an "
        "exception ignored in Pool.__del__)",
        None, "ResourceWarning: unclosed running multiprocessing pool "
        "<multiprocessing.pool.Pool state=RUN pool_size=2>", "warning",
        False, False, "keeps the pool that is never closed: the same warning",
        ("    pool = Pool(2)",),
        strict=True,
    ),
    "print_softspace": Topic(
        "the print statement writes each item as it is evaluated, and a soft space only between "
        "items and not after one that ends in whitespace other than a space; print() evaluates "
        "every argument first and always writes sep",
        "keeps the items: a space after each tab, and nothing of the line whose get() raised",
        "3\t9", "3\t 9", "stdout",
        False, False, "the print fixer keeps the items: the same lines as the naive port",
        ("        print('%d\\t' % n, sq)", "            print('task', text + ':', result.get())"),
        more_lines=(("task x: failed", "failed"),),
    ),
    "main_guard_logging": Topic(
        "2.7 only forks, so the workers inherit what the main guard configured, logging "
        "included; spawn and forkserver children import the main module afresh, as __mp_main__, "
        "and never run the guard",
        "configures logging under the main guard only: under spawn and forkserver the workers' "
        "warnings come out bare, through logging's last-resort handler",
        "WARNING prices: negative price -2 counted as 0", "negative price -2 counted as 0",
        "stderr",
        False, False, "keeps basicConfig() under the guard: the same under fork, bare warnings "
        "under spawn and forkserver",
        ("    logging.basicConfig(format='%(levelname)s %(name)s: %(message)s')",),
        naive_start_method="spawn",
    ),
    "atexit_children": Topic(
        "2.7 only forks, and a forked child leaves by os._exit(): a module-level atexit handler "
        "runs in the main process only; a spawn child, and from 3.13 a forkserver child, imports "
        "the main module afresh, registers the handler again and runs it when it ends",
        "keeps atexit.register() at module level: the handler runs in the worker too",
        None, "cleaning up in worker", "stdout",
        False, False, "keeps atexit.register() at module level: the same as the naive port",
        ("atexit.register(clean_up)",),
        naive_start_method="spawn",
    ),
    "queue_task_arg": Topic(
        "2.7 only forks, so a Queue made before the pool reaches the workers as a global; under "
        "spawn and forkserver it does not, and a Queue (or Lock) may be pickled only while a "
        "process is being started, so it cannot be a task's argument",
        "passes the Queue with each task: RuntimeError under every start method",
        None, "RuntimeError: Queue objects should only be shared between processes through "
        "inheritance", "stderr",
        False, False, "keeps the global: the same under fork, an AttributeError on None under "
        "spawn and forkserver",
        ("    found = Queue()", "        found.put(n)"),
    ),
    "lambda_map": Topic(
        "nothing in what can be sent: a lambda or a nested function cannot be pickled for a pool "
        "under any start method, on 2.7 as on 3; what changed is the exception: cPickle's "
        "PicklingError on 2.7 for both, on 3 PicklingError for a module-level lambda and "
        "AttributeError for a local function",
        "catches pickle.PicklingError only: the nested function's AttributeError ends the program",
        None, "AttributeError: Can't get local object 'jobs.<locals>.shifted'", "stderr",
        False, False, "cPickle.PicklingError becomes pickle.PicklingError: the same as the naive "
        "port",
        ("        except pickle.PicklingError:",),
    ),
    "join_before_drain": Topic(
        "nothing: on 2.7 as on 3, a process that has put data on a Queue ends only once its "
        "feeder thread has written all of it to the pipe, so a join() before the queue is "
        "drained waits for ever once the data outgrows the pipe",
        "joins the child before reading the queue: parent and child wait for each other",
        "exit status 0", "timed out", "ending",
        False, True, "keeps the drain before the join: the same line",
        ("    for item in iter(q.get, None):", "    p.join()"),
        timeout=5,
    ),
    "daemon_children": Topic(
        "a Pool's workers are daemonic and a daemonic process may not have children, on 2.7 as "
        "on 3; 2.7's workaround, a Pool whose Process class is never daemonic, breaks on 3.8+, "
        "where the pool calls Process(ctx, ...), a static method",
        "keeps `Process = NoDaemonProcess` in the Pool subclass: AssertionError on 3.8+ (the "
        "context taken for the group argument); on 3.6 and 3.7 it still works",
        None, "AssertionError: group argument must be None for now", "stderr",
        False, False, "keeps `Process = NoDaemonProcess`: the same as the naive port",
        ("    Process = NoDaemonProcess",),
    ),
    "ctrl_c_workers": Topic(
        "nothing: Ctrl-C in a terminal reaches the workers as it reaches the parent, on 2.7 as "
        "on 3, and a worker that gets KeyboardInterrupt dies with its task; 2.7 code gives the "
        "pool an initializer that ignores SIGINT, which 3 needs as much",
        "drops the initializer with 2.7's interruptible wait: the worker dies of the "
        "KeyboardInterrupt, "
        "its task is lost, and pool.join() waits for it for ever",
        "exit status 0", "timed out", "ending",
        False, True, "keeps the initializer and the wait in short sleeps: the same lines",
        ("    pool = Pool(1, initializer=ignore_sigint)", "            time.sleep(0.1)"),
        timeout=5,
    ),
    "dead_worker": Topic(
        "nothing: a worker that dies takes its task with it, and the pool waits for that result "
        "for ever, on 2.7 as on 3; 2.7 code's get() timeout, there for Ctrl-C, also ends that "
        "wait",
        "drops the timeout, as get() on 3 can be interrupted without one: the program waits for "
        "ever for the lost task",
        "exit status 0", "timed out", "ending",
        False, True, "keeps get(timeout=2): the same lines",
        ("            print('work(%d) = %d' % (n, result.get(timeout=2)))",),
        timeout=8,
    ),
    "unpicklable_result": Topic(
        "a task's result is pickled to reach the parent; dict.keys() is a list on 2 and a view "
        "on 3, which does not pickle: Pool.map raises MaybeEncodingError in the parent",
        "returns seen.keys(): MaybeEncodingError under every start method",
        None, "MaybeEncodingError: Error sending result: "
        "'[dict_keys(['b', 'a', 'n'])]'. Reason: 'TypeError(\"cannot pickle 'dict_keys' "
        "object\")'", "stderr",
        False, True, "the dict fixer wraps keys() in list()",
        ("    return list(seen.keys())",),
    ),
    "subclass_state": Topic(
        "a Process subclass's attributes travel with it: spawn and forkserver pickle the Process "
        "object at start(), fork does not; an open file does not pickle",
        "keeps the open file as an attribute: TypeError under spawn and forkserver",
        None, "TypeError: cannot pickle 'TextIOWrapper' instances", "stderr",
        False, False, "keeps the open file: the same as naive",
        ("        self.source = open(path)",),
        naive_start_method="spawn",
    ),
    "unpicklable_exception": Topic(
        "nothing in how it goes wrong: a task's exception is pickled to reach the parent, and "
        "pickle rebuilds it by calling its class with its args, on 2.7 as on 3; one that cannot "
        "be rebuilt raises TypeError in the pool's result-handler thread, which dies, and map() "
        "waits for ever",
        "gives super().__init__() the message alone: args no longer fits __init__, the worker's "
        "exception cannot be rebuilt in the parent, and the program never ends",
        "exit status 0", "timed out", "ending",
        False, True, "keeps Exception.__init__(self, item, price): the same line",
        ("        Exception.__init__(self, item, price)",),
        timeout=5,
    ),
    "cancel_join_thread": Topic(
        "nothing: on 2.7 as on 3, a process that has put data on a Queue ends only once its "
        "feeder thread has written it all to the pipe, unless the queue's cancel_join_thread() "
        "was called, and then what the pipe did not take is lost",
        "joins the child before reading, with cancel_join_thread() in the child so that the join "
        "returns: the results the pipe could not hold are lost",
        "results lost: none", "results lost: some", "stdout",
        False, True, "keeps the read before the join: the same line",
        ("            q.get(timeout=1)", "    p.join()"),
    ),
}

# -*- coding: utf-8 -*-
"""One sample of every figure of benchmarks/start_methods.py, on the interpreter that runs it.
Python 2.7 and 3.x alike (stdlib only, no f-strings), so pyupgrade is kept off it.

    python start_methods_child.py METHOD [--quick]

METHOD is a start method (fork, spawn, forkserver) or "raw" for the limits beneath them.
Prints one JSON object: figure name -> value (seconds, bytes per second, or per second).
"""
from __future__ import division, print_function

import json
import os
import sys
import time
from timeit import default_timer as timer

import multiprocessing

try:
    # What 2.7's multiprocessing pickles with: _multiprocessing's Connection imports cPickle, so
    # the pure-Python pickle would make 2.7's raw limit about ten times too slow.
    import cPickle as pickle
except ImportError:
    import pickle
# The protocol multiprocessing pickles with: 2.7's Connection uses cPickle's HIGHEST_PROTOCOL (2),
# 3.x's ForkingPickler the default one (3 on 3.6 and 3.7, 4 from 3.8), not the highest.
PROTOCOL = getattr(pickle, 'DEFAULT_PROTOCOL', pickle.HIGHEST_PROTOCOL)

# Every wait is bounded: a child that hangs fails the sample instead of the whole benchmark.
JOIN_TIMEOUT = 60.0
GET_TIMEOUT = 60.0
KIB = 1024
MIB = 1024 * 1024


class Sizes(object):
    def __init__(self, quick):
        # How long a timed loop runs at least, and how many bytes a throughput sample moves.
        self.budget = 0.02 if quick else 0.25
        self.total = {KIB: 256 * KIB if quick else 4 * MIB, MIB: 2 * MIB if quick else 32 * MIB}


def per_call(call, budget, least):
    """Mean seconds of call(), repeated until `budget` seconds and `least` calls have passed."""
    n = 0
    start = timer()
    while True:
        call()
        n += 1
        elapsed = timer() - start
        if n >= least and elapsed >= budget:
            return elapsed / n


def joined(process):
    process.join(JOIN_TIMEOUT)
    if process.is_alive():
        process.terminate()
        raise RuntimeError('%s did not end in %s s' % (process.name, JOIN_TIMEOUT))
    if process.exitcode != 0:
        raise RuntimeError('%s exited with %s' % (process.name, process.exitcode))


def noop():
    pass


def run_task(name):
    # The article's pool task (py2_original/pool.py) without its sleep and its prints.
    return name, os.getpid()


def echo(inbox, outbox):
    for item in iter(inbox.get, None):
        outbox.put(item)


def queue_producer(go, queue, item, count):
    queue.put(None)  # ready: the parent's clock starts at its answer, not at our start-up
    go.get(timeout=GET_TIMEOUT)
    for _ in range(count):
        queue.put(item)


def pipe_producer(conn, item, count):
    conn.send(None)  # ready
    conn.recv()
    for _ in range(count):
        conn.send(item)
    conn.close()


def context(method):
    if hasattr(multiprocessing, 'get_context'):
        return multiprocessing.get_context(method)
    if method != 'fork':
        raise SystemExit('Python 2 has only fork')
    return multiprocessing


def process_start(ctx, sizes):
    def start_join():
        p = ctx.Process(target=noop)
        p.start()
        joined(p)
    start_join()  # warm-up: forkserver starts its server, spawn its resource tracker
    return per_call(start_join, sizes.budget, 3)


def pool_run(ctx, sizes):
    def pool():
        p = ctx.Pool(processes=3)
        results = [p.apply_async(run_task, args=(str(i),)) for i in range(5)]
        p.close()
        for r in results:
            r.get(GET_TIMEOUT)
        p.join()
    return per_call(pool, sizes.budget, 1)


def queue_round_trip(ctx, sizes):
    inbox, outbox = ctx.Queue(), ctx.Queue()
    p = ctx.Process(target=echo, args=(inbox, outbox))
    p.start()

    def round_trip():
        inbox.put(b'x')
        outbox.get(timeout=GET_TIMEOUT)
    for _ in range(10):  # warm-up: both feeder threads running
        round_trip()
    seconds = per_call(round_trip, sizes.budget, 20)
    inbox.put(None)
    joined(p)
    return seconds


def queue_throughput(ctx, size, total):
    item, count = b'x' * size, total // size
    go, queue = ctx.Queue(), ctx.Queue()
    p = ctx.Process(target=queue_producer, args=(go, queue, item, count))
    p.start()
    queue.get(timeout=GET_TIMEOUT)
    go.put(None)
    start = timer()
    for _ in range(count):
        queue.get(timeout=GET_TIMEOUT)
    elapsed = timer() - start
    joined(p)
    return count * size / elapsed


def pipe_throughput(ctx, size, total):
    item, count = b'x' * size, total // size
    here, there = ctx.Pipe()
    p = ctx.Process(target=pipe_producer, args=(there, item, count))
    p.start()
    there.close()
    if not here.poll(GET_TIMEOUT):
        raise RuntimeError('the pipe producer did not start in %s s' % GET_TIMEOUT)
    here.recv()
    here.send(None)
    start = timer()
    for _ in range(count):
        here.recv()
    elapsed = timer() - start
    joined(p)
    here.close()
    return count * size / elapsed


def value_increments(ctx, sizes):
    v = ctx.Value('i', 0)

    def increment():
        with v.get_lock():
            v.value += 1
    return 1 / per_call(increment, sizes.budget, 1000)


def measure(method, sizes):
    ctx = context(method)
    figures = {
        'process_start': process_start(ctx, sizes),
        'pool': pool_run(ctx, sizes),
        'queue_round_trip': queue_round_trip(ctx, sizes),
        'value_increments': value_increments(ctx, sizes),
    }
    for size, name in ((KIB, '1k'), (MIB, '1m')):
        figures['queue_' + name] = queue_throughput(ctx, size, sizes.total[size])
        figures['pipe_' + name] = pipe_throughput(ctx, size, sizes.total[size])
    return figures


# The raw limits: what the operating system and pickle alone cost on this interpreter.

def waited(pid):
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError('child %s ended with status %s' % (pid, status))


def raw_fork(sizes):
    def fork():
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        waited(pid)
    fork()
    return per_call(fork, sizes.budget, 3)


def read_exactly(fd, n):
    got = 0
    while got < n:
        chunk = os.read(fd, min(n - got, MIB))
        if not chunk:
            raise RuntimeError('pipe closed after %s of %s bytes' % (got, n))
        got += len(chunk)


def write_all(fd, data):
    view = memoryview(data)
    while len(view):
        view = view[os.write(fd, view):]


def raw_round_trip(sizes):
    from_parent, to_child = os.pipe()
    from_child, to_parent = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(to_child)
        os.close(from_child)
        while os.read(from_parent, 1) == b'x':
            os.write(to_parent, b'x')
        os._exit(0)
    os.close(from_parent)
    os.close(to_parent)

    def round_trip():
        os.write(to_child, b'x')
        os.read(from_child, 1)
    for _ in range(10):
        round_trip()
    seconds = per_call(round_trip, sizes.budget, 20)
    os.write(to_child, b'.')
    waited(pid)
    os.close(to_child)
    os.close(from_child)
    return seconds


def raw_pipe(size, total):
    item, count = b'x' * size, total // size
    go_read, go_write = os.pipe()
    data_read, data_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(go_write)
        os.close(data_read)
        os.read(go_read, 1)
        for _ in range(count):
            write_all(data_write, item)
        os._exit(0)
    os.close(go_read)
    os.close(data_write)
    os.write(go_write, b'x')
    start = timer()
    read_exactly(data_read, count * size)
    elapsed = timer() - start
    waited(pid)
    os.close(go_write)
    os.close(data_read)
    return count * size / elapsed


def raw_pickle(size, total):
    item, count = b'x' * size, total // size
    start = timer()
    for _ in range(count):
        pickle.loads(pickle.dumps(item, PROTOCOL))
    return count * size / (timer() - start)


def raw_value_increments(sizes):
    # The same shared memory without its lock.
    v = multiprocessing.RawValue('i', 0)

    def increment():
        v.value += 1
    return 1 / per_call(increment, sizes.budget, 1000)


def measure_raw(sizes):
    figures = {
        'fork': raw_fork(sizes),
        'pipe_round_trip': raw_round_trip(sizes),
        'value_increments': raw_value_increments(sizes),
    }
    for size, name in ((KIB, '1k'), (MIB, '1m')):
        figures['os_pipe_' + name] = raw_pipe(size, sizes.total[size])
        figures['pickle_' + name] = raw_pickle(size, sizes.total[size])
    return figures


def main(argv):
    method = argv[0]
    sizes = Sizes('--quick' in argv[1:])
    started = time.time()
    figures = measure_raw(sizes) if method == 'raw' else measure(method, sizes)
    print(json.dumps({'method': method, 'version': list(sys.version_info[:3]),
                      'seconds': time.time() - started, 'figures': figures}))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

"""Stopping portproof cleanly: Ctrl-C, SIGTERM and SIGHUP, and the worker threads runs go to.

Runs go to worker threads and the main thread only waits for them: Ctrl-C, SIGTERM and SIGHUP
are raised in the main thread, so a stop never cuts a run's clean-up short. While the runs are
in the pool, a stop is only recorded where the signal lands and raised where the main thread
waits: raised inside concurrent.futures' own code, it could leave one of its locks held and
hang the clean-up. On a stop every running subject is cancelled (each sees it within
timeouts.CANCEL_POLL), killed and cleaned up before portproof says so and exits.
"""
from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from portproof import timeouts

# concurrent.futures (which imports logging) is imported where runs are made: _cli imports this
# module at start-up, and --version and --help need none of it. (TYPE_CHECKING set by hand, as
# importing typing for it takes longer than the rest of this module.)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor


class Terminated(BaseException):
    """A signal asking portproof to end arrived: it stops as for Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


STOPS = (KeyboardInterrupt, Terminated)
# The signals that ask a program to end, besides Ctrl-C's: `timeout`, CI runners and `kill`
# send SIGTERM; a closed terminal or ssh session sends SIGHUP.
ENDING = (signal.SIGTERM, signal.SIGHUP)


def stopped(stop: BaseException, when: str = "") -> int:
    """Say that portproof stopped, and return its exit status."""
    if isinstance(stop, Terminated):
        word, status = f"terminated by {signal.Signals(stop.signum).name}", 128 + stop.signum
    else:
        word, status = "interrupted", 130
    print(f"portproof: {word}{when}; every process it started is gone", file=sys.stderr)
    return status


def _stop_for(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


class _Signals:
    """Where a stop goes: raised at once, or, while `deferring`, kept for `check`."""

    def __init__(self) -> None:
        self.deferring = False
        self.pending: int | None = None

    def handle(self, signum: int, frame) -> None:
        if signum in ENDING:  # one is enough: let the clean-up finish
            for s in ENDING:
                if signal.getsignal(s) == self.handle:
                    signal.signal(s, signal.SIG_IGN)
        if not self.deferring:
            raise _stop_for(signum)
        if self.pending is None:
            self.pending = signum

    def check(self) -> None:
        """Raise a stop that came while deferring, here, where the main thread waits."""
        if self.pending is not None:
            signum, self.pending = self.pending, None
            raise _stop_for(signum)


_signals = _Signals()


@contextlib.contextmanager
def ending_signals_stop() -> Iterator[None]:
    """Each ENDING signal stops portproof as Ctrl-C does, instead of killing it and leaving its
    subjects, each in a session of its own, running. A signal the caller ignores or handles is
    left alone, and so is every signal off the main thread, where no handler can be set."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    defaults = {signal.SIGINT: signal.default_int_handler,
                **{s: signal.SIG_DFL for s in ENDING}}
    ours = [s for s, default in defaults.items() if signal.getsignal(s) == default]
    for s in ours:
        signal.signal(s, _signals.handle)
    try:
        yield
    finally:
        for s in ours:
            signal.signal(s, defaults[s])
        _signals.pending = None


@contextlib.contextmanager
def workers(jobs: int) -> Iterator[tuple[ThreadPoolExecutor, threading.Event]]:
    """A pool for the runs and the event that cancels them. However the block ends, every run
    still going is cancelled and waited for, so its processes are gone when this returns."""
    from concurrent.futures import ThreadPoolExecutor

    cancel = threading.Event()
    pool = ThreadPoolExecutor(jobs)
    _signals.deferring = True
    try:
        yield pool, cancel
    finally:
        cancel.set()  # nothing to cancel when every run is done
        pool.shutdown(wait=True, cancel_futures=True)
        _signals.deferring = False
    _signals.check()  # a stop that came as the last run ended


def wait_any(futures) -> tuple[set, set]:
    """Wait until one of `futures` is done, raising a stop as soon as one has come."""
    from concurrent.futures import FIRST_COMPLETED, wait

    while True:
        _signals.check()
        done, pending = wait(futures, timeout=timeouts.CANCEL_POLL, return_when=FIRST_COMPLETED)
        # A future that shutdown(cancel_futures=True) cancelled never wakes wait(): done too.
        done |= {f for f in pending if f.cancelled()}
        if done:
            return done, pending - done


def results(pool: ThreadPoolExecutor, calls: dict) -> Iterator[tuple[object, object]]:
    """Submit each `key: function` of `calls`, and yield (key, its result) as each is done,
    raising a stop as soon as one has come."""
    futures = {pool.submit(call): key for key, call in calls.items()}
    pending = set(futures)
    while pending:
        done, pending = wait_any(pending)
        for future in done:
            yield futures[future], future.result()

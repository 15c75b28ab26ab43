# Imported at start-up by every Python process of a subject, parent and children, under every
# start method (portcheck puts this folder first on the subject's PYTHONPATH; spawn and
# forkserver children inherit it). Must run on Python 2.7 and 3.6+.
#
# 1. Offers the start method portcheck chose as the default, without "setting" it, so a script
#    that calls set_start_method() itself still may.
# 2. Scales time.sleep() calls made by the subject's own code (not by the standard library,
#    whose polling keeps its pace), so the article's random sleeps take a fraction of the time.
# 3. Holds every Pool worker a moment after its last task, before it exits and flushes its
#    output: a port that kills its workers (Pool.__exit__ is terminate()) instead of waiting for
#    them then loses their buffered lines every time, not once in a few runs.
# 4. On Python 3, writes each process's Python stack to a file of its own when portcheck sends
#    the dump signal (SIGUSR2) on a timeout (faulthandler; Python 2.7 has none).
# 5. Hands over to the interpreter's own sitecustomize, if it has one.
import os
import sys


def _offer_start_method(method):
    try:
        from multiprocessing import context
    except ImportError:  # Python 2: fork is the only method
        return
    try:
        context._default_context._default_context = context._concrete_contexts[method]
    except AttributeError:  # the private layout changed: fall back on the public call
        import multiprocessing
        multiprocessing.set_start_method(method, force=True)


def _scale_sleep(factor):
    import time
    real_sleep = time.sleep
    library = os.path.dirname(os.path.abspath(os.__file__))

    def sleep(seconds):
        caller = os.path.abspath(sys._getframe(1).f_code.co_filename)
        if caller.startswith(library):
            return real_sleep(seconds)
        return real_sleep(seconds * factor)

    time.sleep = sleep


def _linger_pool_workers(seconds):
    import time
    from multiprocessing import process
    base = getattr(process, 'BaseProcess', None) or process.Process  # Python 2: Process
    real_run = base.run
    real_sleep = time.sleep

    def run(self):
        try:
            real_run(self)
        finally:
            target = getattr(self, '_target', None)
            if getattr(target, '__module__', None) == 'multiprocessing.pool':
                real_sleep(seconds)

    base.run = run


def _register_stack_dump(folder):
    """Dump every thread's stack to <folder>/<pid> on SIGUSR2 (_run.DUMP_SIGNAL), in this
    process and in each one it forks (3.7+; a 3.6 fork child has no file and is not asked)."""
    if sys.version_info[0] < 3:
        return
    import faulthandler
    import signal

    def register():
        path = os.path.join(folder, str(os.getpid()))
        try:
            stream = open(path, 'w')
        except OSError:  # the run is being torn down
            return
        faulthandler.register(signal.SIGUSR2, file=stream, all_threads=True)

    register()
    if hasattr(os, 'register_at_fork'):
        os.register_at_fork(after_in_child=register)


def _chain_to_own_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    # Keep this module alive under another name: Python 2 clears the globals of a module that
    # is dropped, and the sleep above still needs them.
    sys.modules['_portcheck_boot'] = this = sys.modules.pop('sitecustomize')
    try:
        import sitecustomize  # noqa: F401  (the interpreter's own)
    except ImportError as exc:
        if getattr(exc, 'name', 'sitecustomize') != 'sitecustomize':
            raise
        sys.modules['sitecustomize'] = this  # Python 3's import expects the entry back

if os.environ.get('PORTCHECK_START_METHOD'):
    _offer_start_method(os.environ['PORTCHECK_START_METHOD'])
if float(os.environ.get('PORTCHECK_TIME_SCALE', '1')) != 1:
    _scale_sleep(float(os.environ['PORTCHECK_TIME_SCALE']))
if float(os.environ.get('PORTCHECK_LINGER', '0')):
    _linger_pool_workers(float(os.environ['PORTCHECK_LINGER']))
if os.environ.get('PORTCHECK_STACKS'):
    _register_stack_dump(os.environ['PORTCHECK_STACKS'])
_chain_to_own_sitecustomize()

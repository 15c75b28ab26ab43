# Imported at start-up by every Python process of a subject that is started by exec (the main
# process, spawn children, the forkserver, multiprocessing's resource tracker): portproof puts
# this folder first on the subject's PYTHONPATH, and children inherit it. Forked children do not
# run it again: they inherit its effects, and the fork hooks below. Must run on Python 2.7 and
# 3.6+, and must stay as pyupgrade --py36-plus leaves it (no str.format, no %-formatting, no
# "(object)" bases: each would be rewritten into what Python 2 cannot run).
#
# It imports only what it must before the subject's code: os and sys (already loaded by the
# interpreter), time (built in: the record's clock, and the sleep it scales, which must be
# replaced before the subject can bind it with "from time import sleep") and atexit (built in
# on Python 3, a small module on 2.7: the main process's end), and on Python 3 faulthandler
# (built in: the stack dump on a timeout must be registered before the subject can hang).
# Everything about multiprocessing
# is patched only when the subject imports it, by a meta-path hook (_AfterImport), so a process
# that never imports multiprocessing gets none of it (nor threading, socket or pickle).
#
# The environment variables it reads, and the dump signal's name, are spelled once, in
# protocol.py beside this file, which the runner imports and this module reads by path.
#
# 1. Records every process (when RECORD names a file; read by portproof/_record.py):
#    one JSON line per event, each one os.write on an O_APPEND descriptor opened for it (atomic,
#    so processes never mix lines; opened each time, so a subject that closes every descriptor
#    cannot make the boot write into a file of its own). "start" when the process begins: here,
#    or after a fork (os.register_at_fork on 3.7+, a wrapped os.fork on 2.7 and 3.6); "mp" when
#    a multiprocessing child's _bootstrap begins, with its name and the start method it really
#    runs under; "end" when _bootstrap returns (with the exit code) or at exit (atexit). Not
#    recorded: the end of a process that leaves by os._exit outside multiprocessing, or that a
#    signal kills; forks made by C code that does not go through os.fork (os.forkpty, say).
#    After each event it rings portproof: a byte on the FIFO BELL names, opened
#    without blocking, so that portproof looks at once whether the output is empty (what it
#    reads after was written after the event). After its "end" a process waits until the file
#    LOOKED says portproof has looked since (LOOK_WAIT seconds at most), so
#    that what a process waiting for this one prints once it is gone comes after the look, even
#    when portproof is slow to hear the ring (portproof/_run.py, Bell).
#    The start method is decided from how the process came to be, not from multiprocessing's
#    own context (which is what is being checked): a process that began by exec runs
#    _bootstrap only as a spawn child; one forked by the forkserver (the process in which
#    multiprocessing.forkserver.main runs, recorded as "forkserver-server") is a forkserver
#    child; any other forked one is a fork child.
# 2. Offers the start method portproof chose as the default, without "setting" it, so a script
#    that calls set_start_method() itself still may.
# 3. Scales time.sleep() calls made by the subject's own code, the files in its script's folder
#    (not by the standard library, whose polling keeps its pace, nor by installed packages), so
#    the article's random sleeps take a fraction of the time.
#    The scaled sleep pickles as time.sleep (Pool.map(time.sleep, ...) works as without it).
# 4. Holds every Pool worker a moment after its last task, before it exits and flushes its
#    output: a port that kills its workers (Pool.__exit__ is terminate()) instead of waiting for
#    them then loses their buffered lines every time, not once in a few runs. The hold is real
#    time: the real sleep is captured before the scaled one replaces it. It is made when
#    _bootstrap logs "process exiting" (multiprocessing.util.info), after run() returned, not
#    by wrapping run(): a frame of ours would then stand in each traceback that a child's code
#    prints (a Process subclass whose run() catches what Process.run raised).
# 5. On Python 3, writes each process's Python stack to a file of its own when portproof sends
#    the dump signal (DUMP_SIGNAL, by name) on a timeout (faulthandler; Python 2.7 has none): a
#    real-time signal, so that every signal the subject may send keeps its meaning.
# 6. Records, when RECORD names a file, the lines each thread of each process writes to
#    sys.stdout, in the order it writes them: one "line" event per complete line (its pid,
#    thread, stream and text), the first ORDER_LINES of each thread, each cut at LINE_TEXT
#    characters; no ring, as no look at the output is owed to a line. This is the program's
#    order whatever the buffering, and lines lost at os._exit are in it. sys.stdout, and
#    sys.__stdout__ when it is the same object (as it stays: the standard library compares
#    them, multiprocessing's managers among others), become one forwarding object: every
#    write goes to the real stream first, and its result or exception is the caller's (whose
#    traceback shows the object's write, a frame the harness frames rule drops); every
#    other attribute is the real stream's, softspace included (the print statement of 2.7
#    sets it, and the real file's write clears it). On Python 2.7 it takes sys.stdout's
#    place only when the main module's code begins: the interpreter gives a file its
#    encoding (on a terminal) after site, and only if it is still a file; and what the print
#    statement hands a real file without an encoding as str() (a unicode subclass with a
#    __str__ of its own) is written as str(). Not told apart, on 2.7: print() handing such an
#    item to a stream without an encoding (a pipe) from a direct write() of it, which writes
#    its characters, as a direct write does. Not recorded: what is written to
#    sys.stdout.buffer, to file descriptor 1, or through a stream the program makes itself; a
#    last line without its newline.
# 7. Records, when RECORD names a file, each entry of /dev/shm that multiprocessing makes in the
#    process and leaves linked: a named semaphore (a SemLock whose name is kept: sem.NAME) and
#    a SharedMemory made with create=True; a "shm" event with its name and inode, so that
#    portproof removes what the run made and left, and nothing the run only attached to. From
#    before each making until it is recorded, the name is in a file of the process's own
#    beside the record (protocol.SHM_PENDING), for a process killed in between (3.4+).
# 8. Hands over to the interpreter's own sitecustomize, if it has one.
import os
import sys
import time


def _protocol():
    """The names shared with the runner (protocol.py, beside this file), read by path: this
    module cannot import portproof."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'protocol.py')
    names = {}
    with open(path) as f:
        exec(compile(f.read(), path, 'exec'), names)
    return names


_NAMES = _protocol()
_real_sleep = time.sleep
_RECORD = os.environ.get(_NAMES['RECORD'])
_BELL = os.environ.get(_NAMES['BELL'])
_LOOKED = os.environ.get(_NAMES['LOOKED'])
_LOOK_WAIT = float(os.environ.get(_NAMES['LOOK_WAIT']) or '0')
# How often a process at its end reads whether portproof has looked.
_LOOK_POLL = 0.001
_LIBRARY = os.path.dirname(os.path.abspath(os.__file__))
# The folder of the script portproof runs (with a separator at the end, so that /a/b does not
# take in /a/bc): the code whose sleeps are scaled.
_SCRIPT_DIR = os.path.join(os.environ.get(_NAMES['SCRIPT_DIR']) or os.sep, '')
_PACKAGES = frozenset(['site-packages', 'dist-packages'])
_SCALE = float(os.environ.get(_NAMES['TIME_SCALE']) or '1')
_LINGER = float(os.environ.get(_NAMES['LINGER']) or '0')
_START_METHOD = os.environ.get(_NAMES['START_METHOD'])
# A command line is recorded up to this many bytes.
_MAX_ARGV = 4096
_ORDER_LINES = _NAMES['ORDER_LINES']
_LINE_TEXT = _NAMES['LINE_TEXT']
# Threads of one process whose lines are recorded: a bound on what a process keeps.
_MAX_THREADS = 256
# The thread running now, without importing a module: on Python 3, _thread is loaded at
# start-up; on 2.7, until "thread" is imported no thread but the first can run, and the first
# is the one running here (in a forked child, the thread that forked).
_FIRST_THREAD = list(sys._current_frames())[0]
# Text: str on Python 3, unicode on 2.7 (where '' and b'' are both str, and join, split and +
# with unicode give unicode).
_UNICODE = type(b''.decode('ascii'))
_PY2 = sys.version_info[0] == 2
# The opcodes of Python 2.7's print statement that write an item (dis.opmap's PRINT_ITEM and
# PRINT_ITEM_TO): importing dis would load more modules into every process.
_PRINT_ITEM = (71, 73)

_origin = 'exec'  # how this process began: 'exec', 'fork', or 'forkserver' (forked by it)
_is_forkserver = False  # multiprocessing.forkserver.main runs in this process
_ended = None  # the pid whose end is recorded (a spawn child reaches both _bootstrap and atexit)
_METHODS = {'exec': 'spawn', 'fork': 'fork', 'forkserver': 'forkserver'}


def _json(value):
    """`value` (None, int, float, text or a list of them) as ASCII JSON."""
    if value is None:
        return 'null'
    if isinstance(value, (list, tuple)):
        return '[' + ', '.join([_json(v) for v in value]) + ']'
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, 'bit_length'):  # int, and Python 2's long
        return str(int(value))
    if isinstance(value, bytes):  # a command line; on Python 2, any str
        value = value.decode('utf-8', 'replace')
    out = ['"']
    for c in value:
        n = ord(c)
        if c in '"\\':
            out.append('\\' + c)
        elif 0x20 <= n < 0x7f:
            out.append(c)
        elif n > 0xffff:  # a surrogate pair, as JSON spells it
            out.append(_json_escape(0xd800 + ((n - 0x10000) >> 10)))
            out.append(_json_escape(0xdc00 + ((n - 0x10000) & 0x3ff)))
        else:
            out.append(_json_escape(n))
    out.append('"')
    return ''.join(out)


def _json_escape(n):
    return '\\u' + hex(n)[2:].zfill(4)


def _event(kind, fields):
    """Record the event, ring portproof, and return the event's time if the ring reached it."""
    t = _append(kind, fields)
    return t if t is not None and _ring() else None


def _append(kind, fields):
    """Record the event; its time, or None if it could not be written."""
    if not _RECORD:
        return None
    t = time.time()
    line = ['{"event": ' + _json(kind), '"pid": ' + _json(os.getpid()),
            '"ppid": ' + _json(os.getppid()), '"t": ' + _json(t)]
    line += ['"' + name + '": ' + _json(value) for name, value in fields]
    data = str(', '.join(line) + '}\n')  # ASCII; on Python 2, bytes without a codec's module
    if not isinstance(data, bytes):
        data = data.encode('ascii')
    try:
        fd = os.open(_RECORD, os.O_WRONLY | os.O_APPEND | os.O_CREAT |
                     getattr(os, 'O_CLOEXEC', 0), 0o600)
    except OSError:  # the run's folder is gone: the run is over
        return None
    try:
        os.write(fd, data)
    except OSError:
        pass
    finally:
        os.close(fd)
    return t


def _ring():
    """Wake portproof (a byte on the FIFO BELL names), which then looks whether the
    output streams are empty: what comes after was written after this event. Never blocks;
    False if portproof no longer listens."""
    if not _BELL:
        return False
    try:
        fd = os.open(_BELL, os.O_WRONLY | os.O_NONBLOCK | getattr(os, 'O_CLOEXEC', 0))
    except OSError:  # no reader: the run is over
        return False
    try:
        os.write(fd, b'.')
    except OSError:  # full: portproof has yet to read the rings before, and will look
        pass
    finally:
        os.close(fd)
    return True


def _wait_looked(t):
    """Wait until portproof has looked at the output since `t`, _LOOK_WAIT seconds at most."""
    if not _LOOKED:
        return
    # Bounded by the clock, and by a count of polls should the clock step back.
    for _ in range(int(_LOOK_WAIT / _LOOK_POLL) + 1):
        if time.time() > t + _LOOK_WAIT:
            return
        try:
            fd = os.open(_LOOKED, os.O_RDONLY | getattr(os, 'O_CLOEXEC', 0))
        except OSError:  # the run's folder is gone: the run is over
            return
        try:
            answer = os.read(fd, 64)
        finally:
            os.close(fd)
        try:
            if float(answer) >= t:
                return
        except ValueError:  # not a number: no answer to wait for
            return
        _real_sleep(_LOOK_POLL)


def _command_line():
    try:
        fd = os.open('/proc/self/cmdline', os.O_RDONLY)
    except OSError:  # not Linux
        return list(getattr(sys, 'argv', []))
    try:
        data = os.read(fd, _MAX_ARGV)
    finally:
        os.close(fd)
    return data.split(b'\0')[:-1]  # it ends with a NUL; a cut last argument is dropped


def _started():
    _event('start', [('argv', _command_line())])


def _forked():
    global _origin, _is_forkserver, _ended
    _origin = 'forkserver' if _is_forkserver else 'fork'
    _is_forkserver = False
    _ended = None
    _started()


def _end(exitcode):
    global _ended
    if _ended != os.getpid():
        _ended = os.getpid()
        t = _event('end', [('exitcode', exitcode)])
        if t is not None:
            _wait_looked(t)


def _at_exit():
    _end(None)


def _hook_forks():
    if hasattr(os, 'register_at_fork'):  # 3.7+
        os.register_at_fork(after_in_child=_forked)
        return
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid == 0:
            _forked()
        return pid

    os.fork = fork


def _thread_id():
    thread = sys.modules.get('thread' if _PY2 else '_thread')
    get_ident = getattr(thread, 'get_ident', None)
    return get_ident() if get_ident is not None else _FIRST_THREAD


def _text(s):
    """What was written, as text (bytes as UTF-8), without calling the subclass's own methods;
    None if it is neither."""
    if isinstance(s, _UNICODE):
        return ''.join([s])
    if isinstance(s, bytes):  # Python 2's str
        return b''.join([s]).decode('utf-8', 'replace')
    return None  # another buffer Python 2's file.write took


def _record_lines(pending, s):
    """Record the lines that `s`, just written, completes in this thread of this process.
    `pending` maps a pid (a fork child inherits its parent's) to a map of each of its threads
    to [the line so far, cut at _LINE_TEXT (None: not known), the lines recorded]."""
    threads = pending.setdefault(os.getpid(), {})
    thread = _thread_id()
    state = threads.get(thread)
    if state is None:
        if len(threads) >= _MAX_THREADS:
            return
        state = threads[thread] = ['', 0]
    if state[1] >= _ORDER_LINES:
        return
    text = _text(s)
    if text is None:
        state[0] = None
        return
    parts = text.split('\n')
    for part in parts[:-1]:
        if state[0] is not None and state[1] < _ORDER_LINES:
            _append('line', [('thread', thread), ('stream', 'stdout'),
                             ('text', (state[0] + part[:_LINE_TEXT])[:_LINE_TEXT])])
            state[1] += 1
        state[0] = ''
    if state[0] is not None:
        state[0] = (state[0] + parts[-1][:_LINE_TEXT])[:_LINE_TEXT]


def _as_printed(stream, s, caller):
    """A unicode subclass `s` as the print statement of Python 2.7 writes it to a real file
    without an encoding: str() of it, by the subclass's own __str__. To any other object it
    hands the item itself, whose file.write would encode its characters."""
    if stream.encoding is not None or stream.closed:  # the file encodes it, or refuses it
        return s
    if ord(caller.f_code.co_code[caller.f_lasti]) in _PRINT_ITEM:
        return str(s)
    return s


# A class made by type(): on Python 2, those that derive from it are new-style, so that the
# special methods are looked up on the class, as on Python 3.
_NewStyle = type('_NewStyle', (), {})


class _Stdout(_NewStyle):
    """The real sys.stdout, `stream`, and the lines each thread of each process writes to it
    (_record_lines). A fork child inherits it, and records under its own pid."""

    def __init__(self, stream):
        object.__setattr__(self, '_portproof_stream', stream)
        object.__setattr__(self, '_portproof_pending', {})

    def write(self, s):
        if _PY2 and isinstance(s, _UNICODE) and type(s) is not _UNICODE:
            s = _as_printed(self._portproof_stream, s, sys._getframe(1))
        result = self._portproof_stream.write(s)
        try:
            _record_lines(self._portproof_pending, s)
        except Exception:  # Python 2 empties this module at exit: the write stands
            pass
        return result

    def __getattr__(self, name):
        return getattr(self._portproof_stream, name)

    def __setattr__(self, name, value):
        setattr(self._portproof_stream, name, value)

    def __delattr__(self, name):
        delattr(self._portproof_stream, name)

    def __repr__(self):
        return repr(self._portproof_stream)

    def __enter__(self):
        self._portproof_stream.__enter__()
        return self

    def __exit__(self, *args):
        return self._portproof_stream.__exit__(*args)

    def __iter__(self):
        iter(self._portproof_stream)
        return self

    def __next__(self):
        return next(self._portproof_stream)

    next = __next__  # Python 2


def _forward_stdout():
    stream = sys.stdout
    if stream is None:  # Python 3 without a file descriptor 1
        return
    sys.stdout = _Stdout(stream)
    if sys.__stdout__ is stream:
        sys.__stdout__ = sys.stdout


def _forward_stdout_from_main(frame, event, arg):
    """A profile function: forwards sys.stdout once the main module's code begins, and is
    gone. Python 2.7 gives sys.stdout its encoding after site has run, and only if it is still
    a file."""
    if frame.f_globals.get('__name__') == '__main__':
        sys.setprofile(None)
        _forward_stdout()


def _own(path):
    """Whether code in the file `path` is the script's own: in the script's folder, outside the
    interpreter's library and any installed packages (a venv kept in the project's folder)."""
    path = os.path.abspath(path)
    return (path.startswith(_SCRIPT_DIR) and not path.startswith(_LIBRARY + os.sep)
            and not _PACKAGES.intersection(path.split(os.sep)))


def _scaled_sleep(seconds):
    if not _own(sys._getframe(1).f_code.co_filename):
        return _real_sleep(seconds)
    return _real_sleep(seconds * _SCALE)


# pickle saves a function as a reference, module and name, after checking that the name finds
# the same object there: with these, the scaled sleep pickles as time.sleep, as the real one does.
_scaled_sleep.__module__ = 'time'
_scaled_sleep.__name__ = 'sleep'
_scaled_sleep.__qualname__ = 'sleep'
_scaled_sleep.__doc__ = _real_sleep.__doc__


def _patch_process(module):
    base = getattr(module, 'BaseProcess', None) or module.Process  # Python 2: Process
    real_bootstrap = base._bootstrap

    def _bootstrap(self, *args, **kwargs):
        _event('mp', [('name', self.name), ('method', _METHODS[_origin])])
        exitcode = None
        try:
            exitcode = real_bootstrap(self, *args, **kwargs)
        finally:
            _end(exitcode)
        return exitcode

    base._bootstrap = _bootstrap


def _patch_util(module):
    # The one call every version's _bootstrap makes after run() and before it flushes stdout
    # (2.7's forking.Popen flushes after _bootstrap returns).
    real_info = module.info

    def info(msg, *args):
        if isinstance(msg, str) and msg.startswith('process exiting with exitcode'):
            process = sys.modules.get('multiprocessing.process')
            target = getattr(process and process.current_process(), '_target', None)
            if getattr(target, '__module__', None) == 'multiprocessing.pool':
                _real_sleep(_LINGER)
        return real_info(msg, *args)

    module.info = info


def _made_shm(name):
    """Record the entry /dev/shm/`name` (a leading slash dropped) that this process made."""
    name = name.lstrip('/')
    try:
        inode = os.stat(os.path.join('/dev/shm', name)).st_ino
    except OSError:  # not in /dev/shm (not Linux), or unlinked already
        return
    _append('shm', [('name', name), ('inode', inode)])


def _shm_pending():
    """This process's protocol.SHM_PENDING file, beside the record (a forked child has its own)."""
    return os.path.join(os.path.dirname(_RECORD), _NAMES['SHM_PENDING'] % os.getpid())


def _making_shm(name):
    """Say, before multiprocessing makes /dev/shm/`name`, that this process is making it: the
    name goes in a file of the process's own (protocol.SHM_PENDING), which stays there should
    the process be killed before the making ends and is recorded (_made_shm)."""
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, 'O_NOFOLLOW', 0)
        fd = os.open(_shm_pending(), flags, 0o600)
        try:
            os.write(fd, name.lstrip('/').encode('ascii', 'replace'))
        finally:
            os.close(fd)
    except OSError:
        pass


def _made_shm_ended():
    """The making this process said it was at (_making_shm) has ended, recorded or failed."""
    try:
        os.unlink(_shm_pending())
    except OSError:
        pass


def _patch_synchronize(module):
    real_init = module.SemLock.__init__
    real_make_name = module.SemLock.__dict__.get('_make_name')

    def __init__(self, *args, **kwargs):
        try:
            real_init(self, *args, **kwargs)
            name = getattr(self._semlock, 'name', None)  # None: unlinked at once (fork; 2.7)
            if name:
                _made_shm('sem.' + name.lstrip('/'))
        finally:
            _made_shm_ended()

    def _make_name():  # each name a SemLock tries, before sem_open makes it (3.4+)
        name = real_make_name.__func__()
        _making_shm('sem.' + name.lstrip('/'))
        return name

    module.SemLock.__init__ = __init__
    if isinstance(real_make_name, staticmethod):
        module.SemLock._make_name = staticmethod(_make_name)


def _patch_shared_memory(module):
    real_init = module.SharedMemory.__init__
    real_make_filename = module._make_filename

    def __init__(self, name=None, create=False, *args, **kwargs):
        if create and name is not None:
            _making_shm(name)
        try:
            real_init(self, name, create, *args, **kwargs)
            if create:
                _made_shm(self._name)
        finally:
            if create:
                _made_shm_ended()

    def _make_filename():  # each name a SharedMemory made without one tries
        name = real_make_filename()
        _making_shm(name)
        return name

    module.SharedMemory.__init__ = __init__
    module._make_filename = _make_filename


def _patch_context(module):
    try:
        module._default_context._default_context = module._concrete_contexts[_START_METHOD]
    except AttributeError:  # the private layout changed: fall back on the public call
        module._default_context.set_start_method(_START_METHOD, force=True)


def _patch_forkserver(module):
    real_main = module.main

    def main(*args, **kwargs):
        global _is_forkserver
        _is_forkserver = True
        _event('mp', [('name', None), ('method', 'forkserver-server')])
        return real_main(*args, **kwargs)

    module.main = main


class _AfterImport:
    """A meta-path finder that patches a module right after its code first ran: `patches` maps
    a module's full name to a function of the module."""

    def __init__(self, patches):
        self.patches = patches
        self.busy = set()

    def find_spec(self, fullname, path=None, target=None):  # Python 3
        if fullname not in self.patches:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, 'find_spec', None)
            spec = None if finder is self or find is None else find(fullname, path, target)
            if spec is not None:
                if hasattr(spec.loader, 'exec_module'):
                    spec.loader = _PatchAfterExec(spec.loader, self.patches[fullname])
                    return spec
                return None  # an old-style loader: leave it to the import system
        return None

    def find_module(self, fullname, path=None):  # Python 2
        if fullname in self.patches and fullname not in self.busy:
            return self
        return None

    def load_module(self, fullname):  # Python 2: import it as usual, without this finder
        self.busy.add(fullname)
        try:
            __import__(fullname)
        finally:
            self.busy.discard(fullname)
        module = sys.modules[fullname]
        self.patches[fullname](module)
        return module


class _PatchAfterExec:
    """Python 3: a loader that runs `loader`, then `patch`. The module sees only `loader`."""

    def __init__(self, loader, patch):
        self.loader = loader
        self.patch = patch

    def create_module(self, spec):
        create = getattr(self.loader, 'create_module', None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        module.__loader__ = module.__spec__.loader = self.loader
        self.loader.exec_module(module)
        self.patch(module)


def _patch_on_import():
    # Python 2 has neither of the last two modules (fork is its only method): never patched.
    patches = {'multiprocessing.process': _patch_process,
               'multiprocessing.forkserver': _patch_forkserver}
    if _START_METHOD:
        patches['multiprocessing.context'] = _patch_context
    if _LINGER:
        patches['multiprocessing.util'] = _patch_util
    if _RECORD:
        patches['multiprocessing.synchronize'] = _patch_synchronize
        patches['multiprocessing.shared_memory'] = _patch_shared_memory
    for name in list(patches):
        if name in sys.modules:  # imported before this (by an interpreter's own start-up)
            patches.pop(name)(sys.modules[name])
    sys.meta_path.insert(0, _AfterImport(patches))


def _register_stack_dump(folder, signal_name):
    """Dump every thread's stack to <folder>/<pid> on the signal named `signal_name`, in this
    process and in each one it forks (3.7+; a 3.6 fork child has no file and is not asked)."""
    if sys.version_info[0] < 3:
        return
    # Builtin modules: importing them loads nothing else. The signal module would load enum
    # and types into every process.
    import _signal
    import faulthandler

    signum = getattr(_signal, signal_name, None)
    if signum is None:  # no real-time signals (macOS): no stack dump
        return

    # A descriptor, not a file object: a file object replaced at a fork, or left open at exit,
    # is a ResourceWarning in the subject's stderr. The child closes the one it inherits.
    held = []

    def register():
        path = os.path.join(folder, str(os.getpid()))
        while held:
            os.close(held.pop())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError:  # the run is being torn down
            return
        held.append(fd)
        faulthandler.register(signum, file=fd, all_threads=True)

    register()
    if hasattr(os, 'register_at_fork'):
        os.register_at_fork(after_in_child=register)


def _chain_to_own_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    # Keep this module alive under another name: Python 2 clears the globals of a module that
    # is dropped, and the sleep above still needs them.
    sys.modules['_portproof_boot'] = this = sys.modules.pop('sitecustomize')
    try:
        import sitecustomize  # noqa: F401  (the interpreter's own)
    except ImportError as exc:
        if getattr(exc, 'name', 'sitecustomize') != 'sitecustomize':
            raise
        sys.modules['sitecustomize'] = this  # Python 3's import expects the entry back


if _RECORD:
    import atexit

    _started()
    _hook_forks()
    atexit.register(_at_exit)
    if _PY2:
        sys.setprofile(_forward_stdout_from_main)
    else:
        _forward_stdout()
if _SCALE != 1:
    time.sleep = _scaled_sleep
_patch_on_import()
if os.environ.get(_NAMES['STACKS']):
    _register_stack_dump(os.environ[_NAMES['STACKS']], _NAMES['DUMP_SIGNAL'])
_chain_to_own_sitecustomize()

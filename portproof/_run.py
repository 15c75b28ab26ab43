"""Run one script as a child of a chosen interpreter and record what it did, as a Trace.

The subject gets an environment of portproof's making (no PYTHON* variable of the caller's, a
fixed locale, the boot on PYTHONPATH), its own session, stdin from /dev/null (or a file), a
fresh folder of its own as its current directory (empty, or a copy of `workdir`) and a TMPDIR
of its own, and stdout on a pseudo-terminal ("pty" mode) or on a pipe ("pipe" mode). The script
runs from a copy of its folder (_folders), so what it writes beside itself lands in the copy.

Invariants: the run ends when its main process exits (not when its output ends); every process
of the run still alive then is reported as leaked and killed (_contain); every wait honours
`cancel` within timeouts.CANCEL_POLL; when run() returns or raises, no process of the run is
left, its /dev/shm leftovers are removed (_aftermath) and its folders are gone.
"""
from __future__ import annotations

import contextlib
import os
import pty
import re
import stat
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, replace

from portproof import _aftermath, _contain, _folders, _record, _stream, timeouts
from portproof._boot import protocol
from portproof._stream import STDERR_KEPT, Bell, Lines, pump
from portproof._trace import Trace

BOOT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_boot")
# Sleeps in the subject's own code take this fraction of their time unless asked for real time.
FAST = 0.05
# How long each Pool worker waits after its last task before it exits (see _boot).
LINGER = 0.3
# The variables the boot reads: never taken from the caller's environment.
_BOOT_NAMES = frozenset(value for name, value in vars(protocol).items() if name.isupper()
                        and name != "DUMP_SIGNAL")


@dataclass(frozen=True)
class RunOptions:
    """How to run a script, whatever the interpreter, start method and mode: built once by a
    command, passed whole to every run.

    `containment`: how the run's processes are held (default: the best there is, see
    _contain). `workdir`: a folder copied to be the run's current directory (default: an empty
    one). `stdin`: a file to read as stdin (default: /dev/null). `args`: after the script."""

    time_scale: float = FAST
    timeout: float = timeouts.RUN
    containment: _contain.Containment | None = None
    workdir: str | None = None
    stdin: str | None = None
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Folders:
    """A run's own folders, removed after it: its current directory, its TMPDIR and the copy
    of its script's folder (`script`), which the subject may write, change or remove as it
    likes (all in one folder, the parent of its current directory); and `own`, portproof's
    (the record, the bell, the stack files), in a folder of its own elsewhere, so that a
    subject tidying up what it was given (its TMPDIR, "..") takes none of portproof's files
    with it."""

    cwd: str
    tmp: str
    own: str
    script: str = ""

    @property
    def stacks(self) -> str:
        return os.path.join(self.own, "stacks")


def subject_env(start_method: str, options: RunOptions, token: str, folders: Folders,
                script: str | None = None) -> dict[str, str]:
    """The subject's environment: the caller's, without its PYTHON* and locale variables nor
    any of the boot's, then the boot's (protocol) and a fixed locale."""
    env = {
        k: v for k, v in os.environ.items()
        if not (k.startswith(("PYTHON", "LC_")) or k in ("LANG", "LANGUAGE") or k in _BOOT_NAMES)
    }
    env.update({
        "PYTHONPATH": BOOT_DIR,
        "PYTHONDONTWRITEBYTECODE": "1",  # leave no __pycache__ in the user's folders
        "LC_ALL": "C.UTF-8",
        # Every warning shown, once per place, in every process: a port that warns (a fork with
        # a thread running, a Pool never closed) fails its cell with the warning as the reason.
        "PYTHONWARNINGS": "default",
        "TERM": "dumb",
        protocol.START_METHOD: start_method,
        protocol.TIME_SCALE: repr(options.time_scale),
        protocol.LINGER: repr(LINGER),
        protocol.RUN: token,
        protocol.RECORD: os.path.join(folders.own, _record.NAME),
        protocol.BELL: os.path.join(folders.own, _stream.BELL),
        protocol.LOOKED: os.path.join(folders.own, _stream.LOOKED),
        protocol.LOOK_WAIT: repr(timeouts.LOOK),
        protocol.STACKS: folders.stacks,
        "TMPDIR": folders.tmp,  # tempfile and multiprocessing look here first
    })
    if script is not None:
        env[protocol.SCRIPT_DIR] = os.path.dirname(script)  # whose sleeps the boot scales
    return env


# A run's folder in TMPDIR, with the pid of the portproof that made it.
_FOLDER = re.compile(r"portproof-(?:own-)?(\d+)-\w+")


def sweep_folders(tmp: str) -> None:
    """Remove the run folders in `tmp` that a portproof killed by SIGKILL left (its own clean-up
    never ran): each of this user's, named by a pid that is no process now, made more than
    timeouts.STALE_GROUP ago; and first what the run's processes made and left in /dev/shm, as
    the run's end removes it. Not told apart: a portproof in another pid namespace that shares
    `tmp` (its pids are not seen here); a container with a /tmp of its own is not one."""
    try:
        names = os.listdir(tmp)
    except OSError:
        return
    for name in names:
        found = _FOLDER.fullmatch(name)
        if found is None or _contain.running(int(found[1])):
            continue
        path = os.path.join(tmp, name)
        try:
            st = os.lstat(path)
        except OSError:  # gone meanwhile
            continue
        if (stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid()
                and time.time() - st.st_mtime > timeouts.STALE_GROUP):
            # A run's own folder: what its processes made in /dev/shm, as its end would.
            _aftermath.remove_run_shm(path)
            _folders.clear(path)
            with contextlib.suppress(OSError):
                os.rmdir(path)


class Cancelled(Exception):
    """The caller asked the run to stop (an interrupt); its processes are gone."""


def run_script(python, script: str, start_method: str, mode: str,
               options: RunOptions = RunOptions(), cancel: threading.Event | None = None) -> Trace:
    """Run `script` under the Interpreter `python`, with `start_method` offered as the default,
    stdout in `mode` (one of _trace.MODES), as `options` say, and return its Trace. Raises
    _folders.TooBig, before anything runs, if the script's folder or `workdir` is more than a
    run copies (or, for the script's folder, links to)."""
    if options.containment is None:
        options = replace(options, containment=_contain.choose())
    script = os.path.abspath(script)
    sweep_folders(tempfile.gettempdir())
    # Removed once _watch has killed and reaped every process of the run, whatever the subject
    # did to them meanwhile. Named by portproof's pid, for sweep_folders.
    pid = os.getpid()
    with tempfile.TemporaryDirectory(prefix=f"portproof-{pid}-",
                                     ignore_cleanup_errors=True) as area, \
            tempfile.TemporaryDirectory(prefix=f"portproof-own-{pid}-",
                                        ignore_cleanup_errors=True) as own:
        source = os.path.dirname(script)
        os.mkdir(os.path.join(area, "script"))
        folders = Folders(os.path.join(area, "cwd"), os.path.join(area, "tmp"), own,
                          os.path.join(area, "script", os.path.basename(source) or "root"))
        held = _folders.copy_script_folder(source, folders.script, os.path.basename(script),
                                           cancel)
        if options.workdir is not None:
            worked = _folders.copy(options.workdir, folders.cwd, cancel)
        else:
            os.mkdir(folders.cwd)
            worked = {}
        os.mkdir(folders.tmp)
        os.mkdir(folders.stacks)
        try:
            trace = _watch(python, script, start_method, mode, options, cancel, folders)
            trace.files = _folders.changes(folders.cwd, worked, cancel)
            trace.script_files = _folders.changes(folders.script, held, cancel)
        finally:
            for folder in (area, own):  # however deep the subject nested folders in them
                _folders.clear(folder)
        if cancel is not None and cancel.is_set():
            raise Cancelled(script)
        return trace


def _watch(python, script: str, start_method: str, mode: str, options: RunOptions,
           cancel: threading.Event | None, folders: Folders) -> Trace:
    """Start the subject, read its streams until its main process exits or it times out, then
    end every process left and record what it left behind."""
    token = uuid.uuid4().hex
    ran_as = os.path.join(folders.script, os.path.basename(script))  # the script's copy
    if mode == "pty":
        read_fd, write_fd = pty.openpty()
    else:
        read_fd, write_fd = os.pipe()
    err_read, err_write = os.pipe()
    bell = Bell(folders.own)
    box = _contain.Box(options.containment, token)
    start, t0 = time.monotonic(), time.time()
    try:
        with open(options.stdin or os.devnull, "rb") as stdin_file:
            box.start([python.path, ran_as, *options.args], cancel, stdin=stdin_file,
                      stdout=write_fd, stderr=err_write, cwd=folders.cwd,
                      env=subject_env(start_method, options, token, folders, ran_as))
    except BaseException:
        os.close(read_fd)
        os.close(err_read)
        bell.close()
        if cancel is not None and cancel.is_set():
            raise Cancelled(script) from None
        raise
    finally:
        os.close(write_fd)
        os.close(err_write)
    trace = Trace(script, ".".join(map(str, python.version)), start_method, mode, box.pid,
                  containment=options.containment.kind, cwd=folders.cwd,
                  tmpdir=folders.tmp, ran_as=ran_as)
    out = Lines(strip_cr=mode == "pty")
    err = Lines(strip_cr=False, head=STDERR_KEPT, tail=STDERR_KEPT)
    # Each step of the teardown runs whatever failed before it (ExitStack: last in, first out).
    with contextlib.ExitStack() as teardown:
        teardown.callback(os.close, err_read)
        teardown.callback(os.close, read_fd)
        teardown.callback(box.close)
        teardown.callback(_end, box, trace, folders, cancel)
        teardown.callback(bell.close)  # first: none of the processes left waits for a look
        teardown.callback(_took, trace, start)
        finished = pump({read_fd: out, err_read: err}, t0, start + options.timeout, cancel,
                        box.ended, box.end_fd, lambda: not box.members(), bell)
        if not finished and not (cancel is not None and cancel.is_set()):
            trace.timeout = options.timeout
    if cancel is not None and cancel.is_set():
        raise Cancelled(script)
    trace.returncode = box.returncode
    trace.processes = _record.read(os.path.join(folders.own, _record.NAME), t0)
    trace.lines, trace.truncated = out.lines, out.truncated or err.truncated
    trace.stderr = "\n".join(line.text for line in err.lines)
    return trace



def _took(trace: Trace, start: float) -> None:
    trace.wall = time.monotonic() - start


def _end(box: _contain.Box, trace: Trace, folders: Folders,
         cancel: threading.Event | None) -> None:
    """End every process of the run still alive, with the stacks of a run that timed out, or as
    leaked by one whose main process exited; note those still there after that (`survived`);
    remove what the run made and left in /dev/shm."""
    alive = box.members()
    trace.supervisor_killed = box.killed()
    stopping = cancel is not None and cancel.is_set()
    if (trace.timeout is None and not stopping and alive
            and all(_contain.is_helper(command) for command in alive.values())):
        # Only multiprocessing's helpers are left, the main process gone: they end once the
        # processes they serve are gone, which a loaded machine may not have let them do yet.
        _contain.wait_gone(list(alive), time.monotonic() + timeouts.HELPERS_END)
        alive = box.members()
    if trace.timeout is not None:
        trace.stacks = _aftermath.dump_stacks(alive, folders.stacks)
        trace.hung_commands = dict(sorted(alive.items()))
    else:  # the subject's main process exited: whatever is left escaped it
        trace.leaked = {pid: command for pid, command in sorted(alive.items())
                        if pid != box.pid}
    box.end()
    trace.survived = dict(sorted(box.members().items()))
    trace.shm_removed = _aftermath.remove_run_shm(folders.own)

"""Find Python interpreters and ask each its version and start methods.

Where to look, in order: the interpreters named by --python or PORTPROOF_PYTHONS (then nowhere
else); otherwise PATH (python2.7, python3.6 ... python3.19, python3, python2, python; pyenv's shims
folder stands for the folders of pyenv's versions), then pyenv's versions folder ($PYENV_ROOT,
default ~/.pyenv). A name that fails to run (a pyenv shim
for a version that is not active) is passed over. The first interpreter found for each X.Y wins.

An interpreter's answer is kept in a cache (the folder PORTPROOF_CACHE, default
$XDG_CACHE_HOME/portproof or ~/.cache/portproof; empty: no cache), keyed by the path and checked
against the file it resolves to (device, inode, size, modification time): a probe costs an
interpreter's start-up, and `compare` asks a dozen. A wrapper (a script that runs another file,
such as a pyenv shim, whose answer can change while it does not) is asked every time. A cache
that cannot be read or written is passed over.
"""
from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from portproof import timeouts

START_METHODS = ("fork", "spawn", "forkserver")

_PROBE = """\
import json, sys
try:
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
except AttributeError:  # Python 2: fork only
    methods = ['fork']
print(json.dumps({'version': list(sys.version_info[:3]), 'executable': sys.executable,
                  'methods': methods}))
"""
# Compiles the script at argv[1] as the interpreter would run it (2.7 and 3.x alike).
_COMPILE = """\
import sys
try:
    compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')
except SyntaxError as e:
    sys.stdout.write('line %s: %s' % (e.lineno, e.msg))
"""
_NAMES = ("python2.7", *(f"python3.{n}" for n in range(6, 20)), "python3", "python2", "python")


class NotPython(Exception):
    """The path does not run, or what runs is not a Python we can use."""


@dataclass(frozen=True)
class Interpreter:
    path: str
    version: tuple[int, int, int]
    start_methods: tuple[str, ...]

    @property
    def minor(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"

    def __str__(self) -> str:
        return f"Python {'.'.join(map(str, self.version))} ({self.path})"


def _cache_file(environ=None) -> str | None:
    environ = os.environ if environ is None else environ
    folder = environ.get("PORTPROOF_CACHE")
    if folder is None:
        base = environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        folder = os.path.join(base, "portproof")
    return os.path.join(folder, "interpreters.json") if folder else None


def _identity(path: str) -> list:
    """What changes when the file `path` resolves to is replaced or rebuilt."""
    real = os.path.realpath(path)
    st = os.stat(real)
    return [real, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _answered_by(entry: dict, path: str) -> list | None:
    try:
        return _identity(entry.get("executable") or path)
    except (OSError, TypeError):
        return None


_storing = threading.Lock()


def _load(cache: str) -> dict:
    try:
        with open(cache, encoding="utf-8") as f:
            entries = json.load(f)
        return entries if isinstance(entries, dict) else {}
    except (OSError, ValueError):
        return {}


def _store(cache: str, key: str, entry: dict) -> None:
    """Add `entry` to the cache file, replacing it whole (no reader sees half a file)."""
    entries = {**_load(cache), key: entry}
    folder = os.path.dirname(cache)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".interpreters-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entries, f)
        os.replace(temporary, cache)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def probe(path: str) -> Interpreter:
    if not os.path.exists(path):
        raise NotPython(f"{path}: no such file")
    if os.path.isdir(path) or not os.stat(path).st_mode & 0o111:
        raise NotPython(f"{path}: not an executable file")
    cache, key = _cache_file(), os.path.abspath(path)
    identity = _identity(path)
    entry = _load(cache).get(key) if cache else None
    if not (isinstance(entry, dict) and entry.get("identity") == identity):
        entry = _ask(path)
        # Kept only if the file that answered is the one asked: not a wrapper.
        if cache and _answered_by(entry, path) == identity:
            with _storing:  # discover() probes in threads: one read-and-replace at a time
                _store(cache, key, {**entry, "identity": identity})
    try:
        methods = tuple(m for m in START_METHODS if m in entry["methods"])
        return Interpreter(entry["executable"] or path, tuple(entry["version"]), methods)
    except (KeyError, TypeError):
        raise NotPython(f"{path}: not a Python interpreter portproof can run") from None


def _ask(path: str) -> dict:
    try:
        out = subprocess.run(
            [path, "-E", "-s", "-c", _PROBE],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=timeouts.PROBE, check=True,
        ).stdout
        info = json.loads(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        raise NotPython(f"{path}: not a Python interpreter portproof can run") from None
    if not isinstance(info, dict):
        raise NotPython(f"{path}: not a Python interpreter portproof can run")
    return info


def _candidates(environ) -> list[str]:
    pyenv_root = environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    versions = sorted(glob.glob(os.path.join(pyenv_root, "versions", "*", "bin")))
    # pyenv's shims are not run: each runs pyenv to choose a version (slow, and the answer
    # changes with the folder and PYENV_VERSION). Where they stand on PATH, the versions'
    # folders stand instead, which hold what the shims run.
    shims = os.path.realpath(os.path.join(pyenv_root, "shims"))
    folders = []
    for folder in environ.get("PATH", os.defpath).split(os.pathsep):
        if folder:
            folders += versions if os.path.realpath(folder) == shims else [folder]
    on_path = [shutil.which(name, path=os.pathsep.join(folders)) for name in _NAMES]
    in_pyenv = [os.path.join(folder, "python") for folder in versions]
    return [p for p in on_path if p] + [p for p in in_pyenv if os.path.exists(p)]


def _try_probe(path: str) -> Interpreter | None:
    try:
        return probe(path)
    except NotPython:
        return None


def discover(environ=None) -> list[Interpreter]:
    """One interpreter per X.Y, oldest first."""
    environ = os.environ if environ is None else environ
    named = environ.get("PORTPROOF_PYTHONS")
    if named:
        return sorted((probe(p) for p in named.split(os.pathsep) if p), key=lambda i: i.version)
    with ThreadPoolExecutor(8) as pool:
        found = [i for i in pool.map(_try_probe, _candidates(environ)) if i]
    by_minor: dict[str, Interpreter] = {}
    for interpreter in found:
        by_minor.setdefault(interpreter.minor, interpreter)
    return sorted(by_minor.values(), key=lambda i: i.version)


def compile_error(python: Interpreter, path: str) -> str | None:
    """Why `python` cannot compile the script at `path` ("line 3: invalid syntax"), or None.

    Decided by compiling, not by reading a run's stderr: a valid script may log a SyntaxError
    it caught. A stop (Ctrl-C, SIGTERM) that comes meanwhile ends the compiling process before
    it is raised: it is held while the process starts, as one raised inside Popen's start
    would leave a child that nothing waits for (the compiling process inherits the held mask:
    it is ended by SIGKILL)."""
    stops = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        process = subprocess.Popen([python.path, "-E", "-s", "-c", _COMPILE, path],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True,
                                   errors="backslashreplace")
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a held stop is raised here
            out = process.communicate(timeout=timeouts.PROBE)[0]
        except subprocess.TimeoutExpired:
            return None  # the run itself will say what is wrong
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    return out.strip() or None

"""Find Python interpreters and ask each its version and start methods.

Where to look, in order: the interpreters named by --python or PORTCHECK_PYTHONS (then nowhere
else); otherwise PATH (python2.7, python3.6 ... python3.19, python3, python2, python), then
pyenv's versions folder ($PYENV_ROOT, default ~/.pyenv). A name that fails to run (a pyenv shim
for a version that is not active) is passed over. The first interpreter found for each X.Y wins.
"""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from portcheck import timeouts

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


def probe(path: str) -> Interpreter:
    if not os.path.exists(path):
        raise NotPython(f"{path}: no such file")
    if os.path.isdir(path) or not os.stat(path).st_mode & 0o111:
        raise NotPython(f"{path}: not an executable file")
    try:
        out = subprocess.run(
            [path, "-E", "-s", "-c", _PROBE],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=timeouts.PROBE, check=True,
        ).stdout
        info = json.loads(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        raise NotPython(f"{path}: not a Python interpreter portcheck can run") from None
    methods = tuple(m for m in START_METHODS if m in info["methods"])
    return Interpreter(info["executable"] or path, tuple(info["version"]), methods)


def _candidates(environ) -> list[str]:
    on_path = [shutil.which(name, path=environ.get("PATH", os.defpath)) for name in _NAMES]
    pyenv_root = environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    in_pyenv = sorted(glob.glob(os.path.join(pyenv_root, "versions", "*", "bin", "python")))
    return [p for p in on_path if p] + in_pyenv


def _try_probe(path: str) -> Interpreter | None:
    try:
        return probe(path)
    except NotPython:
        return None


def discover(environ=None) -> list[Interpreter]:
    """One interpreter per X.Y, oldest first."""
    environ = os.environ if environ is None else environ
    named = environ.get("PORTCHECK_PYTHONS")
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
    it caught."""
    try:
        out = subprocess.run([python.path, "-E", "-s", "-c", _COMPILE, path],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             errors="backslashreplace", timeout=timeouts.PROBE).stdout
    except subprocess.TimeoutExpired:
        return None  # the run itself will say what is wrong
    return out.strip() or None

"""The machine port: Python 2 source through 2to3's fixers (fissix), then pyupgrade.

machine_port() runs, in this process, every fixer `python -m fissix` runs by default (fissix's
RefactoringTool, as its command line builds it), on the code and then on its doctests (as
`python -m fissix -d`), then pyupgrade `--{target}-plus` until a pass
changes nothing (its %-to-f-string rewrite needs two passes; a bound stops one that oscillates).
pyupgrade has no stable API, so it runs as `sys.executable -m pyupgrade` on a temporary file,
removed whatever happens. write_port() and run_port() put a port on disk for `portproof port`
(_port), refusing what would lose the user's code: writing over OLD (by any spelling, symlink
or hard link), over an existing NEW without force, or from an OLD that is missing, a directory
or not Python 2 fissix can parse. fissix and pyupgrade are the optional extra `portproof[port]`.
"""
from __future__ import annotations

import difflib
import io
import os
import subprocess
import sys
import tempfile
import tokenize
from dataclasses import dataclass

from portproof import timeouts

# pyupgrade settles the case study's examples after two rewriting passes (a third confirms);
# needing more than this means it oscillates.
MAX_PASSES = 5
# The --pyXY-plus options pyupgrade 3.22 has.
TARGETS = ("py3", *(f"py3{n}" for n in range(6, 16)))
MISSING = "portproof port needs fissix and pyupgrade: pip install 'portproof[port]'"


class PortError(Exception):
    """Bad input for a port, or a tool that failed; the message is one line for the user."""


@dataclass(frozen=True)
class Ported:
    source: str  # the Python 2 text
    fixed: str  # the text after fissix, before pyupgrade
    text: str  # the machine port
    target: str  # pyupgrade's --{target}-plus
    fixers: tuple[str, ...]  # the fissix fixers that changed the source, by name ("print")
    passes: tuple[bool, ...]  # for each pyupgrade pass, whether it changed the text

    @property
    def steps(self) -> list[str]:
        """What each tool did, one line each."""
        n = len(self.fixers)
        fixed = (f"fissix: {n} fixer{'s' * (n > 1)} changed it ({', '.join(self.fixers)})"
                 if n else "fissix: no fixer changed it")
        return [fixed] + [
            f"pyupgrade --{self.target}-plus pass {n}: {'changed it' if changed else 'no change'}"
            for n, changed in enumerate(self.passes, 1)
        ]


def _tools():
    """fissix's refactoring module, or PortError saying how to install the extra."""
    try:
        import pyupgrade  # noqa: F401  (run as a command; imported to know it is there)
        from fissix import refactor
    except ImportError:
        if sys.version_info < (3, 11):
            raise PortError(f"{MISSING} (its pyupgrade 3.22 needs Python 3.11+)") from None
        raise PortError(MISSING) from None
    return refactor


def machine_port(source: str, target: str = "py36") -> Ported:
    """Port Python 2 `source`; PortError if fissix cannot parse it or pyupgrade fails."""
    if target not in TARGETS:
        raise PortError(f"unknown target {target!r}: one of {', '.join(TARGETS)}")
    refactor = _tools()
    fixed, fixers = _fissix(refactor, source)
    text, passes = fixed, []
    while not passes or passes[-1]:
        if len(passes) == MAX_PASSES:
            raise PortError(f"pyupgrade --{target}-plus did not settle in {MAX_PASSES} passes")
        new = _pyupgrade(text, target)
        passes.append(new != text)
        text = new
    return Ported(source, fixed, text, target, fixers, tuple(passes))


def _fissix(refactor, source: str) -> tuple[str, tuple[str, ...]]:
    """Every default fixer over `source`, as `python -m fissix` runs them: (text, fixers that
    changed it)."""
    names = sorted(refactor.get_fixers_from_package("fissix.fixes"))
    tool = refactor.RefactoringTool(names, {}, [])
    changed: set[str] = set()
    for fixer in tool.pre_order + tool.post_order:
        fixer.transform = _recording(fixer, changed)
    try:
        # As fissix's refactor_file does: a final newline silences some parse errors.
        tree = tool.refactor_string(source + "\n", "<source>")
    except Exception as exc:  # fissix's ParseError, its tokenizer's TokenError or IndentationError
        raise PortError(f"not valid Python 2: {_where(exc)}") from None
    text = str(tree)[:-1] if tree.was_changed else source
    # Then its doctests, as `2to3 -d` does; one fissix cannot parse is left as it was
    # (_leftovers names it), where fissix's own log_error would raise.
    tool.log_error = lambda msg, *args, **kwargs: None
    text = tool.refactor_docstring(text, "<source>")
    return text, tuple(sorted(changed))


def _recording(fixer, changed: set[str]):
    """`fixer.transform`, noting the fixer's name in `changed` when it changes the tree (it
    returns a new node, or edits the tree in place and returns None)."""
    transform = fixer.transform
    name = type(fixer).__module__.rsplit(".fix_", 1)[-1]

    def recorded(node, results):
        root = node
        while root.parent is not None:
            root = root.parent
        before = str(root)
        new = transform(node, results)
        if new is not None or str(root) != before:
            changed.add(name)
        return new

    return recorded


def _where(exc: Exception) -> str:
    """'line N: reason' of a fissix parse or tokenize error."""
    context = getattr(exc, "context", None)  # ParseError: (prefix, (line, column))
    if context is not None:
        return f"line {context[1][0]}: {exc.msg} at {exc.value!r}"
    if isinstance(exc, SyntaxError):  # IndentationError from fissix's tokenizer
        return f"line {exc.lineno}: {exc.msg}"
    if len(exc.args) == 2 and isinstance(exc.args[1], tuple):  # TokenError(msg, (line, col))
        return f"line {exc.args[1][0]}: {exc.args[0]}"
    return f"{type(exc).__name__}: {exc}"


def _pyupgrade(text: str, target: str) -> str:
    fd, path = tempfile.mkstemp(prefix="portproof-port-", suffix=".py")
    try:
        with open(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        done = subprocess.run(
            [sys.executable, "-m", "pyupgrade", f"--{target}-plus", path],
            capture_output=True, text=True, timeout=timeouts.PORT_TOOL,
        )
        if done.returncode not in (0, 1):  # 1: it rewrote the file
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise PortError(f"pyupgrade failed (exit {done.returncode}): {last}")
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except subprocess.TimeoutExpired:
        raise PortError(f"pyupgrade took over {timeouts.PORT_TOOL:g} s") from None
    finally:
        os.unlink(path)


def read_source(path: str) -> tuple[str, str]:
    """(text, encoding) of a Python source file, decoded as Python does (coding line, else
    UTF-8), its newlines kept."""
    with open(path, "rb") as f:
        encoding = tokenize.detect_encoding(f.readline)[0]
    with open(path, encoding=encoding, newline="") as f:
        return f.read(), encoding


def _encoding_of(text: str) -> str:
    """What the coding line of `text`, if any, says it is stored in."""
    try:
        return tokenize.detect_encoding(io.BytesIO(text.encode("utf-8")).readline)[0]
    except SyntaxError:  # a coding line Python does not know
        return "utf-8"


def _check_paths(old: str, new: str, force: bool) -> None:
    if not os.path.lexists(old):
        raise PortError(f"{old}: no such file")
    if os.path.isdir(old):
        raise PortError(f"{old}: is a directory, not a Python 2 script")
    if os.path.isdir(new):
        raise PortError(f"{new}: is a directory; name the file to write")
    if os.path.realpath(old) == os.path.realpath(new) or (
            os.path.exists(new) and os.path.samefile(old, new)):
        raise PortError(f"{new} is {old}: the port never writes over its original")
    folder = os.path.dirname(os.path.abspath(new))
    if not os.path.isdir(folder):
        raise PortError(f"{new}: folder {folder} does not exist")
    if os.path.lexists(new) and not force:
        raise PortError(f"{new} exists: pass --force to write over it")


def write_port(old: str, new: str, *, force: bool, target: str = "py36") -> Ported:
    """Port the file `old` into the file `new`; PortError (nothing written) for bad input."""
    _check_paths(old, new, force)
    try:
        source, _ = read_source(old)
    except (OSError, SyntaxError, UnicodeDecodeError) as exc:
        raise PortError(f"{old}: cannot read it as Python source: {exc}") from None
    try:
        ported = machine_port(source, target)
    except PortError as exc:
        if str(exc).startswith(MISSING):
            raise
        raise PortError(f"{old}: {exc}") from None
    with open(new, "w", encoding=_encoding_of(ported.text), newline="") as f:
        f.write(ported.text)
    return ported


def source_diff(old_text: str, new_text: str, old_name: str, new_name: str) -> str:
    """A unified diff, as `diff -u` writes it ('' when the texts are equal)."""
    lines = []
    for line in difflib.unified_diff(old_text.splitlines(keepends=True),
                                     new_text.splitlines(keepends=True), old_name, new_name):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


def run_port(old: str, new: str, force: bool, target: str = "py36") -> tuple[Ported, str]:
    """What `portproof port OLD -o NEW` does before judging: the port written, and its source
    diff."""
    ported = write_port(old, new, force=force, target=target)
    return ported, source_diff(ported.source, ported.text, old, new)

"""README.md and docs/*.md as a user reads them, from a fresh clone: every `pip install` installs
this project from the checkout (or a named third-party tool), every path and link they name
exists, and every command they show runs as written after the README's set-up line, with the
exit status they show.

A command is a line of a ```sh block, or a `$ ` line of a ```console block; its exit status is 0
unless the line ends with `# exit status N`. A block right after `<!-- not run by the docs test:
REASON -->` is checked but not run (REASON says who runs it, or why nobody should: it installs,
or takes minutes). `.venv/bin/` runs as the running interpreter's bin folder, where the test
environment has portproof installed."""
from __future__ import annotations

import glob
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata

import pytest

from _suite import INTERPRETERS, ROOT

README = os.path.join(ROOT, "README.md")
# The guide and its appendix show runs as a person types them (`$ python2.7 pool.py`), each a
# generated block that tests/case_study/test_guide.py checks against a fresh run; their links,
# anchors and files are checked there too. Here only their `pip install` lines are.
GUIDES = [os.path.join(ROOT, "MIGRATION.md"), os.path.join(ROOT, "docs", "migration_appendix.md")]
DOCS = [README, *sorted(p for p in glob.glob(os.path.join(ROOT, "docs", "*.md"))
                        if p not in GUIDES)]
CI_RUN = os.path.join(ROOT, ".ci", "run")
# Third-party tools the docs may tell a user to install by name: each is the well-known project
# of that name on PyPI. This project has no release there: it is installed from the checkout.
THIRD_PARTY = {"tox", "pre-commit"}
# Programs a command may start besides the venv's own: a user has these before the set-up.
SYSTEM = {"python3", "git", "tox"}
# Options whose value is a file the command writes, not one that must exist.
OUTPUTS = {"-o", "--output", "--json", "--html"}
# The repository's top-level folders: `code` that starts with one of them is a path.
FOLDERS = ["py2_original", "py3_port", "tests", "portproof", "docs", "scripts", "benchmarks",
           ".ci", ".github"]
NOT_RUN = re.compile(r"<!-- not run by the docs test: (.+?) -->")
STATUS = re.compile(r"#\s*exit status (\d+)\s*$")
# A bounded wait for a command that is not marked as long (the slowest, diff in real time on one
# start method, takes about a minute here).
COMMAND_TIMEOUT = 300


def rel(path: str) -> str:
    return os.path.relpath(path, ROOT)


@dataclass(frozen=True)
class Command:
    """One command line a doc shows, with what the doc says of it."""

    doc: str  # path relative to ROOT
    lineno: int
    line: str  # as shown, `# exit status N` included
    status: int
    not_run: str | None  # why the docs test does not run it, as the doc says

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.lineno}"

    @property
    def parts(self) -> list[list[str]]:
        """The argv of each command of a `&&` chain."""
        return [shlex.split(part, comments=True) for part in self.line.split("&&")]


def commands(path: str) -> list[Command]:
    """Every command line of a doc: ```sh lines, and ```console lines that start with `$ `."""
    found, fence, not_run, previous = [], None, None, ""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f.read().splitlines(), 1):
            if line.startswith("```"):
                if fence is None:
                    fence = line[3:].strip() or "text"
                    marked = NOT_RUN.fullmatch(previous.strip())
                    not_run = marked.group(1) if marked else None
                else:
                    fence = None
            elif fence == "sh" and line.strip() and not line.startswith("#"):
                found.append(Command(rel(path), lineno, line, 0, not_run))
            elif fence == "console" and line.startswith("$ "):
                status = STATUS.search(line)
                found.append(Command(rel(path), lineno, line[2:],
                                     int(status.group(1)) if status else 0, not_run))
            if line.strip():
                previous = line
    return found


COMMANDS = [c for path in DOCS for c in commands(path)]
SETUP = commands(README)  # README shows only its two set-up lines as commands


def setup_programs() -> set[str]:
    """What the README's set-up lines put in .venv/bin/: the venv's python and pip, this
    project's commands, and tox."""
    scripts = {ep.name for ep in metadata.distribution("portproof").entry_points
               if ep.group == "console_scripts"}
    return {"python", "python3", "pip"} | scripts | {"tox"}


# pip's options that take a value, so that the value is not read as a requirement.
PIP_VALUE_OPTIONS = {"-r", "--requirement", "-c", "--constraint", "-i", "--index-url",
                     "--extra-index-url", "-f", "--find-links", "-t", "--target"}
PIP_INSTALL = re.compile(r"pip3?\s+install\b([^`\n&|;]*)")


def bad_pip_installs(text: str) -> list[str]:
    """The requirements of every `pip install` in `text` that are neither this checkout (`.`,
    `'.[extra,...]'`, `./path`) nor a tool of THIRD_PARTY."""
    bad = []
    for match in PIP_INSTALL.finditer(text):
        args = shlex.split(match.group(1), comments=True)
        for n, arg in enumerate(args):
            if arg.startswith("-") or (n and args[n - 1] in PIP_VALUE_OPTIONS):
                continue
            if arg == "." or arg.startswith((".[", "./")):
                continue
            name = re.match(r"[A-Za-z0-9._-]*", arg).group(0)
            if re.sub(r"[-_.]+", "-", name).lower() not in THIRD_PARTY:
                bad.append(arg)
    return bad


# Every `pip install` must install this project from the checkout, or a named third-party tool.
@pytest.mark.parametrize(("text", "bad"), [
    ("python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/portproof compare", []),
    (".venv/bin/pip install -q '.[port,plot]'", []),
    ("`pip install -e '.[test,port,plot]'`", []),
    (".venv/bin/pip install -q tox && .venv/bin/tox", []),
    ("pip install pre-commit", []),
    ("pip install -r requirements.txt .", []),
    pytest.param("pip install 'portproof[plot]'", ["portproof[plot]"], id="ours-by-name"),
    pytest.param("pip install portproof", ["portproof"], id="ours-bare"),
    pytest.param("`pip install 'portcheck[port]'`", ["portcheck[port]"], id="someone-elses"),
    pytest.param("python -m pip install -q requests", ["requests"], id="not-allow-listed"),
])
def test_bad_pip_installs(text, bad):
    assert bad_pip_installs(text) == bad


@pytest.mark.parametrize("path", [*DOCS, *GUIDES], ids=rel)
def test_every_pip_install_installs_this_checkout_or_a_named_tool(path):
    with open(path, encoding="utf-8") as f:
        assert bad_pip_installs(f.read()) == []


def test_the_readme_shows_the_two_set_up_lines_and_ci_runs_them_as_written():
    assert [c.line for c in SETUP] == [
        "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/portproof compare",
        "python3 -m venv .venv && .venv/bin/pip install -q tox && .venv/bin/tox",
    ]
    with open(CI_RUN, encoding="utf-8") as f:
        ci = f.read().splitlines()
    # .ci/run keeps tox's output to check which envs ran; the command is the README's.
    for c in SETUP:
        assert c.line in ci or f'{c.line} 2>&1 | tee "$log"' in ci, c.line


def test_a_command_marked_as_run_by_ci_is_one_of_the_readmes_set_up_lines():
    marked = [c for c in COMMANDS if c.not_run == "run by .ci/run"]
    assert {c.line for c in marked} == {c.line for c in SETUP}


def test_each_doc_shows_its_commands_in_fenced_blocks():
    # An indented `$ ` line is a command example the checks below would not see.
    for path in DOCS:
        with open(path, encoding="utf-8") as f:
            indented = [n for n, line in enumerate(f, 1) if re.match(r" {4,}\$ ", line)]
        assert indented == [], rel(path)


def repository_paths(text: str, doc: str) -> list[str]:
    """The repository paths a doc names: relative links, and `code` that starts with a
    top-level folder of the repository (placeholders such as <topic> and {md,json} left out)."""
    folder = os.path.dirname(doc)
    paths = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:|#", target):
            paths.append(os.path.relpath(os.path.join(folder, target.split("#")[0]), ROOT))
    for code in re.findall(rf"`((?:{'|'.join(map(re.escape, FOLDERS))})/[^`\s]*)`", text):
        if not re.search(r"[<{*]|\.\.\.", code):
            paths.append(code)
    return paths


@pytest.mark.parametrize("path", DOCS, ids=rel)
def test_every_path_and_link_a_doc_names_exists(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    missing = [p for p in repository_paths(text, path) if not os.path.exists(os.path.join(ROOT, p))]
    assert not missing, f"named, but not in the repository: {', '.join(missing)}"


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("path", DOCS, ids=rel)
def test_every_anchor_a_doc_links_to_is_a_heading(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    broken = []
    for target, anchor in re.findall(r"\]\(([^)\s#]*)#([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        linked = os.path.join(os.path.dirname(path), target) if target else path
        with open(linked, encoding="utf-8") as f:
            headings = {slug(h) for h in re.findall(r"^#+ (.+)$", f.read(), re.M)}
        if anchor not in headings:
            broken.append(f"{target}#{anchor}")
    assert broken == []


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.id)
def test_a_command_runs_after_the_set_up_line_as_written(command):
    """Its programs are the venv's own (made by the set-up lines) or a user's system tools, and
    the repository paths it names exist."""
    venv = setup_programs()
    for argv in command.parts:
        program = argv[0]
        if program.startswith(".venv/bin/"):
            assert program[len(".venv/bin/"):] in venv, program
        else:
            assert program in SYSTEM, f"{program}: not made by the set-up line, not allowed"
        for n, arg in enumerate(argv[1:], 1):
            if argv[n - 1] in OUTPUTS or arg.startswith(("-", "/")) or "/" not in arg:
                continue
            assert os.path.exists(os.path.join(ROOT, arg)), f"{arg}: no such path"


def python_needed(command: Command) -> list[str]:
    """The interpreters (as versions, '3.13') a command needs: each `--python`/`--old-python`
    it names, and 2.7 for a diff or port that names no `--old-python`."""
    needed = []
    for argv in command.parts:
        for n, arg in enumerate(argv[:-1]):
            if arg in ("--python", "--old-python"):
                needed.append(re.sub(r"^python", "", argv[n + 1]))
        if len(argv) > 1 and argv[1] in ("diff", "port") and "--old-python" not in argv:
            needed.append("2.7")
    return needed


def quick(command: Command) -> bool:
    """Runs in a moment: it asks for help or the version, or is a usage error (nothing runs)."""
    return command.status == 2 or any(
        {"--help", "-h", "--version"} & set(argv) for argv in command.parts)


def run(command: Command) -> None:
    __tracebackhide__ = True
    if command.not_run:
        pytest.skip(f"not run by the docs test: {command.not_run}")
    missing = [v for v in python_needed(command) if v not in INTERPRETERS]
    if missing:
        pytest.skip(f"needs Python {', '.join(missing)}: none found")
    outputs = [argv[n + 1] for argv in command.parts
               for n, arg in enumerate(argv[:-1]) if arg in OUTPUTS]
    line = re.sub(r"(?<![\w/.])\.venv/bin/", os.path.join(sys.prefix, "bin") + "/", command.line)
    for path in outputs:  # as a first run would find them (port refuses to write over NEW)
        if os.path.exists(os.path.join(ROOT, path)):
            os.remove(os.path.join(ROOT, path))
    try:
        result = subprocess.run(["bash", "-c", line], cwd=ROOT, stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    finally:
        for path in outputs:
            if os.path.exists(os.path.join(ROOT, path)):
                os.remove(os.path.join(ROOT, path))
    assert result.returncode == command.status, (
        f"{command.id}: {command.line}\nexit status {result.returncode}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")


QUICK = [c for c in COMMANDS if quick(c)]
SLOW = [c for c in COMMANDS if not quick(c)]


@pytest.mark.parametrize("command", QUICK, ids=lambda c: c.id)
def test_a_quick_command_exits_as_the_doc_shows(command):
    run(command)


# Each runs subjects: seconds to a minute (diff in real time).
@pytest.mark.matrix
@pytest.mark.parametrize("command", SLOW, ids=lambda c: c.id)
def test_a_command_exits_as_the_doc_shows(command):
    run(command)


def _words(number: float) -> str:
    """A number as how-it-works.md writes it: 20,000; 0.3; 2."""
    return f"{number:,.0f}" if number == int(number) else f"{number:g}"


def _figures():
    from portproof import _aftermath, _folders, _record, _run, _spec, timeouts
    from portproof._boot import protocol
    words = {1: "a second", 60: "a minute", 0.5: "half a second", 0.1: "a tenth of a second",
             5: "five"}
    return [  # (what the sentence says, with {} for the figure; the constant it states)
        ("time.sleep` calls (x{},", _run.FAST),
        ("holds Pool workers\n{} s (real time)", _run.LINGER),
        ("the first {} lines it wrote", protocol.ORDER_LINES),
        ("each cut at {} characters", protocol.LINE_TEXT),
        ("At most\n{} events", _record.MAX_EVENTS),
        ("and {} written lines", _record.MAX_OUTPUT),
        ("at its end waits, {} at most", words[timeouts.LOOK]),
        ("quotes at most {} characters of a line", _spec.EXCERPT),
        ("and the first {} lines a spec does not know", words[_spec.SHOWN]),
        ("once the group is {} old", words[timeouts.STALE_GROUP]),
        ("buffered for {} at most", words[timeouts.DRAIN]),
        ("it gives them {} s to end first", timeouts.HELPERS_END),
        ("sends SIGTERM, waits {} s", timeouts.TERM_GRACE),
        ("folder of more than {} files and folders", _folders.MAX_ENTRIES),
        ("or {} MiB of files", _folders.MAX_BYTES >> 20),
        ("folder of more than {} entries, is refused", _folders.MAX_LINKED),
        ("first and last {} KiB", _folders.EDGE >> 10),
        ("up to {} KiB", 2 * _folders.EDGE >> 10),
        ("at most {} entries", _folders.MAX_LOOKED),
        ("{} folders deep, are looked", _folders.MAX_DEPTH),
        ("made since that is still there {} later", words[_aftermath._TEMPORARY_AGE]),
    ]


def test_every_figure_of_how_it_works_is_the_constant_in_the_code():
    with open(os.path.join(ROOT, "docs", "how-it-works.md"), encoding="utf-8") as f:
        text = " ".join(f.read().split())
    wrong = []
    for sentence, constant in _figures():
        said = " ".join(sentence.format(
            constant if isinstance(constant, str) else _words(constant)).split())
        if said not in text:
            wrong.append(said)
    assert not wrong, wrong

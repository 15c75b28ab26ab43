"""MIGRATION.md and its appendix against the project: their generated runs, diffs and probes
against fresh ones, every file, example, test and pitfall they name against what exists, the
machine port's expected verdicts and their checker, and no tool against py2_original/."""
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile

import pytest

from _suite import INTERPRETERS, PITFALLS, PY3, ROOT, needs_pinned_pyupgrade
from case_study.pitfalls.gallery import GALLERY
from portproof import _run
from portproof._spec import story_of, with_roles
from portproof.specs import SPECS

_spec = importlib.util.spec_from_file_location(
    "migration", os.path.join(ROOT, "scripts", "migration.py"))
migration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(migration)
_spec = importlib.util.spec_from_file_location(
    "autoport_verdicts", os.path.join(ROOT, "scripts", "autoport_verdicts.py"))
autoport_verdicts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(autoport_verdicts)

# {path relative to ROOT: text} of the guide and its appendix.
GUIDES = {}
for _path in migration.GUIDES:
    with open(_path, encoding="utf-8") as f:
        GUIDES[os.path.relpath(_path, ROOT)] = f.read()
DOC = GUIDES["MIGRATION.md"]
ALL = "\n".join(GUIDES.values())

BLOCKS = [(m["what"].split(), m["body"]) for m in migration.BLOCK.finditer(ALL)]
RUNS = [pytest.param(args[0], args[1], body, id=f"{args[0]}-{args[1]}")
        for (kind, *args), body in BLOCKS if kind == "run"]
DIFFS = [pytest.param(args[0], body, id=args[0])
         for (kind, *args), body in BLOCKS if kind == "autoport-diff"]
PORT_DIFFS = [pytest.param(args[0], body, id=args[0])
              for (kind, *args), body in BLOCKS if kind == "port-diff"]
PROBES = [pytest.param(args, body, id="-".join(args))
          for (kind, *args), body in BLOCKS if kind == "probe"]
# Files of CPython that the doc quotes as sources, not files of this project.
CPYTHON_FILES = {"forking.py", "queues.py", "popen_fork.py", "random.py", "process.py", "pool.py",
                 "forkserver.py", "spawn.py", "util.py", "connection.py", "context.py",
                 "managers.py", "sharedctypes.py", "popen_spawn_posix.py", "_base.py",
                 "threading.py"}


def linked_ids() -> list[str]:
    """The tests the guides name as evidence: a link to a test module whose title is the test's
    name, `[shown by](tests/test_x.py "test_y[z]")`, or, inline, `tests/test_x.py::test_y[z]`."""
    found = set()
    for path, text in GUIDES.items():
        here = os.path.dirname(path)
        # Any test module under tests/, however deep (tests/x/test_y.py too).
        for module, test in re.findall(
                r'\]\(([\w./]*tests/(?:\w+/)*test_\w+\.py) "(\w+(?:\[[^\]"]*\])?)"\)', text):
            found.add(f"{os.path.normpath(os.path.join(here, module))}::{test}")
        found.update(re.findall(r"`(tests/(?:\w+/)*test_\w+\.py::\w+(?:\[[^\]`]*\])?)`", text))
    return sorted(found)


LINKED_IDS = linked_ids()
# The oldest and newest Python 3 the doc's interpreter-named ids were written on: the gallery's
# ids name the oldest and newest Python 3 found, so elsewhere some ids are named differently.
WRITTEN_ON = ("3.6", "3.13")


@pytest.mark.parametrize(("example", "mode", "body"), RUNS)
def test_shown_run_tells_the_story_of_a_fresh_run(example, mode, body):
    shown = migration.parse_run_block(body)
    for side, python in (("py2_original", INTERPRETERS.get("2.7")),
                         ("py3_port", PY3[-1] if PY3 else None)):
        if python is None:
            pytest.skip(f"no interpreter for {side}")
        trace = _run.run_script(python, os.path.join(ROOT, side, f"{example}.py"), "fork", mode)
        fresh = with_roles(SPECS[example], trace)
        spec = SPECS[example]
        assert story_of(spec, shown[side], mode) == story_of(spec, fresh, mode), side


@pytest.mark.parametrize(("example", "body"), DIFFS)
def test_shown_machine_port_diff_is_the_fresh_one(example, body, machine_port):
    folder, _ = machine_port
    assert body == migration.diff_block(example, folder)


def test_shown_machine_port_report_is_the_fresh_one(machine_port):
    _, report = machine_port
    (body,) = (body for (kind, *_), body in BLOCKS if kind == "autoport-report")
    assert body == migration.generate("autoport-report", "", report)


@pytest.mark.parametrize(("example", "body"), PORT_DIFFS)
def test_shown_change_is_the_whole_diff_of_original_and_port(example, body):
    assert body == migration.port_diff_block(example)


@pytest.mark.parametrize(("args", "body"), PROBES)
def test_shown_probe_is_a_fresh_run(args, body):
    name, *minors = args
    missing = [m for m in minors if not any(i.minor == m for i in INTERPRETERS.values())]
    if missing:
        pytest.skip(f"no Python {', '.join(missing)} for probe {name}")
    assert body == migration.probe_block(name, *minors)


def test_every_probe_is_shown():
    shown = {args[0] for (kind, *args), _ in BLOCKS if kind == "probe"}
    assert shown == {name[:-3] for name in os.listdir(migration.PROBES) if name.endswith(".py")}


def test_shown_expected_verdicts_are_the_file_tox_checks():
    (body,) = (body for (kind, *_), body in BLOCKS if kind == "autoport-expected")
    assert body == migration.expected_block()
    assert autoport_verdicts.read_expected(autoport_verdicts.EXPECTED)


@pytest.fixture(scope="module")
def machine_port():
    """The machine port of py2_original/, made once: its folder, and what the tools did."""
    needs_pinned_pyupgrade("MIGRATION.md's machine port diffs")
    with tempfile.TemporaryDirectory() as out:
        report = migration.autoport.machine_port(out)
        yield out, report


# A test's cells are collected only for the interpreters found (tests/conftest.py), and
# test_equivalence compares each cell with 2.7's runs: an id needs the Pythons it names, and these.
NEEDS = {"tests/case_study/test_equivalence.py": {"2.7"}}


def needed(test_id: str) -> set:
    """The Pythons an id's test needs to be collected, found here or not."""
    path, _, name = test_id.partition("::")
    params = name.partition("[")[2]
    return set(re.findall(r"(?<![\w.])([23]\.\d+)(?![\w.])", params)) | NEEDS.get(path, set())


def test_every_linked_test_id_is_collected():
    assert LINKED_IDS
    here = [i for i in LINKED_IDS if needed(i) <= set(INTERPRETERS)]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
         *here], cwd=ROOT, capture_output=True, text=True, timeout=300)
    collected = {line for line in proc.stdout.splitlines() if "::" in line}
    missing = [i for i in here
               if i not in collected and not any(c.startswith(i + "[") for c in collected)]
    found = (PY3[0].minor, PY3[-1].minor) if PY3 else None
    if missing and found != WRITTEN_ON and all(re.search(r"\b3\.\d+\b", i) for i in missing):
        pytest.skip(f"ids name Pythons {WRITTEN_ON}; here {found}: {missing}")
    assert missing == [], proc.stderr[-2000:]
    absent = sorted(set().union(*map(needed, LINKED_IDS)) - set(INTERPRETERS))
    if len(here) < len(LINKED_IDS):
        pytest.skip(f"{len(here)} ids collected; {len(LINKED_IDS) - len(here)} need Pythons not "
                    f"found here: {', '.join(absent)}")


def test_every_example_has_a_section_a_row_and_a_run():
    for example in SPECS:
        assert f"\n### `{example}`\n" in ALL, example
        assert f"\n| `{example}` |" in DOC, example
        assert any(args[:1] == [example] for (kind, *args), _ in BLOCKS if kind == "run")
        assert any(args == [example] for (kind, *args), _ in BLOCKS if kind == "autoport-diff")


def test_every_example_named_in_a_block_or_heading_exists():
    named = [args[0] for (kind, *args), _ in BLOCKS if kind in ("run", "autoport-diff")]
    named += re.findall(r"\n### `(\w+)`\n", ALL)
    assert set(named) <= set(SPECS)


@pytest.mark.parametrize("guide", sorted(GUIDES))
def test_every_project_file_named_exists(guide):
    text, here = GUIDES[guide], os.path.join(ROOT, os.path.dirname(guide))
    links = re.findall(r"\]\(((?!https?:|#)[^) ]+)(?: \"[^\"]*\")?\)", text)
    ticked = re.findall(r"`([\w./-]+\.(?:py|md|ini|toml|yaml|txt))(?:::(\w+))?`", text)
    for path in links:
        assert os.path.exists(os.path.join(here, path.split("#")[0])), path
    for path, test in ticked:
        if path.startswith(("multiprocessing/", "concurrent/", "Lib/")) or path in CPYTHON_FILES:
            continue  # CPython's
        # A path from the root, or a pitfall port (`pool/with_no_wait.py`), an example's port,
        # a script or a probe by its name.
        places = [ROOT, PITFALLS, *(os.path.join(ROOT, d)
                                    for d in ("py3_port", "scripts", "docs/probes"))]
        full = next((os.path.join(p, path) for p in places
                     if os.path.exists(os.path.join(p, path))), path)
        assert os.path.exists(full), path
        if test:
            with open(full, encoding="utf-8") as f:
                assert f"def {test}(" in f.read(), f"{path}::{test}"


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_anchor_linked_is_a_heading():
    anchors = {path: {slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}
               for path, text in GUIDES.items()}
    for path, text in GUIDES.items():
        here = os.path.dirname(path)
        for target, anchor in re.findall(r"\]\(([^)#\s]*)#([^)\s]+)\)", text):
            if target.startswith("http"):
                continue
            linked = os.path.normpath(os.path.join(here, target)) if target else path
            assert anchor in anchors[linked], f"{path}: {target}#{anchor}"


def test_the_gallery_tables_and_the_gallery_test_agree():
    # The porting mistakes in the guide, the general ones in the appendix (links from docs/).
    rows = re.findall(
        r"\n\| \[`(\w+/\w+\.py)`\]\((?:\.\./)?tests/case_study/pitfalls/\1\) \| `(\w+)` \|", ALL)
    assert sorted(rows) == sorted((port, example) for port, example, *_ in GALLERY)


def test_no_configured_hook_reaches_py2_original():
    with open(os.path.join(ROOT, ".pre-commit-config.yaml"), encoding="utf-8") as f:
        config = f.read()
    (exclude,) = re.findall(r"^exclude: (\S+)$", config, re.M)
    originals = [f"py2_original/{name}" for name in os.listdir(os.path.join(ROOT, "py2_original"))]
    assert originals and all(re.search(exclude, path) for path in originals)
    # tox's lint env runs exactly these hooks, so it is kept away too.
    with open(os.path.join(ROOT, "tox.ini"), encoding="utf-8") as f:
        assert "commands = pre-commit run --all-files" in f.read()


def made_up_report(path, *cells):
    """A `compare --json` report of the given (example, python, method, problems) cells."""
    report = {"command": "compare", "cells": [
        {"example": example, "side": "py3_port", "python": python, "start_method": method,
         "verdict": "fails" if problems else "holds", "problems": problems,
         "runs": [{"mode": mode, "n": 1} for mode in ("pty", "pipe")]}
        for example, python, method, problems in cells]}
    path.write_text(json.dumps(report), encoding="utf-8")
    return str(path)


WARNED = "warned: 'DeprecationWarning: multi-threaded'"
EXPECTED_FILE = "# a comment\nqueue_timeout  py3_port  3.12+  fork  " + WARNED + "\n"
BOTH_RUNS = [f"pty run 1: {WARNED} at popen_fork.py:66", f"pipe run 1: {WARNED} at x.py:1"]


# The checker passes only when the report says what the expected file says, cell for cell.
@pytest.mark.parametrize(("cells", "code", "says"), [
    pytest.param([("queue_timeout", "3.13", "fork", BOTH_RUNS), ("pool", "3.13", "fork", []),
                  ("queue_timeout", "3.11", "fork", [])], 0, "as MIGRATION.md says",
                 id="as-expected"),
    pytest.param([("queue_timeout", "3.13", "fork", [])], 1, "expected to fail", id="now-holds"),
    pytest.param([("queue_timeout", "3.11", "fork", BOTH_RUNS)], 1, "expected to hold",
                 id="fails-where-it-should-hold"),
    pytest.param([("queue_timeout", "3.12", "fork", ["pty run 1: TypeError: x",
                                                     "pipe run 1: TypeError: x"])], 1,
                 "not (only) for the reason given", id="another-reason"),
    pytest.param([("queue_timeout", "3.12", "fork", BOTH_RUNS[:1])], 1, "pipe run 1 did not fail",
                 id="one-run-holds"),
    pytest.param([("pool", "3.11", "fork", [])], 0, "not checked: no cell of queue_timeout",
                 id="expectation-not-run"),
])
def test_autoport_verdicts_against_made_up_reports(tmp_path, capsys, cells, code, says):
    expected = tmp_path / "expected.txt"
    expected.write_text(EXPECTED_FILE, encoding="utf-8")
    report = made_up_report(tmp_path / "report.json", *cells)
    assert autoport_verdicts.main([report, "--expected", str(expected)]) == code
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(("report", "expected", "says"), [
    pytest.param("{", EXPECTED_FILE, "not a report", id="bad-json"),
    pytest.param('{"command": "check", "cells": []}', EXPECTED_FILE, "not a report", id="check"),
    pytest.param('{"command": "compare", "cells": []}', EXPECTED_FILE, "no cell", id="empty"),
    pytest.param(None, EXPECTED_FILE, "No such file", id="missing"),
    pytest.param('{"command": "compare", "cells": []}', "queue_timeout fork\n", ":1: not",
                 id="bad-expected-line"),
])
def test_autoport_verdicts_bad_input_is_one_line_and_exit_2(tmp_path, capsys, report, expected,
                                                             says):
    path = tmp_path / "report.json"
    if report is not None:
        path.write_text(report, encoding="utf-8")
    (tmp_path / "expected.txt").write_text(expected, encoding="utf-8")
    assert autoport_verdicts.main([str(path), "--expected", str(tmp_path / "expected.txt")]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1


# The benchmark's results, whose figures the guide's speed sections quote.
SPEED_RESULTS = os.path.join(ROOT, "benchmarks", "results", "start_methods.md")
SPEED_HEADING = "## What the port costs in speed"
# The guide's speed tables: which of the results' columns each shows, in its order.
SPEED_TABLES = {
    "MIGRATION.md": ("Figures", (0, 1, 2, 3, 7)),
    "docs/migration_appendix.md": ("Each figure as a multiple of its raw limit's cost",
                                   (0, 1, 2, 3, 5, 4, 7)),
}


def markdown_rows(text: str) -> dict:
    """{(python, start method): [cells...]} of the Markdown table rows in `text`."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) > 2 and re.fullmatch(r"\d\.\d+\.\d+", cells[0]):
            rows[cells[0], cells[1]] = cells[2:]
    return rows


def speed_section(text: str) -> str:
    start = text.index(SPEED_HEADING)
    end = text.find("\n## ", start + len(SPEED_HEADING))
    return text[start:end if end > 0 else None]


def results_tables() -> dict:
    with open(SPEED_RESULTS, encoding="utf-8") as f:
        sections = f.read().split("\n## ")
    return {s.splitlines()[0]: markdown_rows(s) for s in sections[1:]}


@pytest.mark.parametrize("guide", sorted(SPEED_TABLES))
def test_speed_table_is_the_benchmarks_results(guide):
    title, columns = SPEED_TABLES[guide]
    results = results_tables()[title]
    shown = markdown_rows(speed_section(GUIDES[guide]))
    assert shown
    for cell, row in shown.items():
        assert row == [results[cell][i] for i in columns], cell


@pytest.mark.parametrize("guide", sorted(SPEED_TABLES))
def test_speed_figures_in_words_are_the_benchmarks_medians(guide):
    """Each figure the speed section's sentences quote with its unit ("13 to 15 ms", "157 µs",
    "534 thousand") is the median of some cell in the results."""
    medians = {cell.split(" ")[0] for table in results_tables().values()
               for row in table.values() for cell in row}
    prose = "\n".join(line for line in speed_section(GUIDES[guide]).splitlines()
                      if not line.startswith("|"))
    quoted = re.findall(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?: (?:to|and) (\d[\d,]*(?:\.\d+)?))?"
                        r" (?=ms\b|µs|MB/s|thousand)", prose)
    figures = {n for pair in quoted for n in pair if n}
    assert figures
    assert figures <= medians, sorted(figures - medians)

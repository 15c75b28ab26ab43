"""MIGRATION.md against the project: its generated runs and diffs against fresh ones, every
file, example and pitfall it names against what exists, and no tool against py2_original/."""
import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
import tempfile

import pytest

from conftest import INTERPRETERS, PORTS, PY3, ROOT
from portproof import _run
from portproof._spec import story_of, with_roles
from portproof.specs import SPECS
from test_ports import GALLERY

with open(os.path.join(ROOT, "MIGRATION.md"), encoding="utf-8") as f:
    DOC = f.read()
_spec = importlib.util.spec_from_file_location(
    "migration", os.path.join(ROOT, "scripts", "migration.py"))
migration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(migration)

BLOCKS = [(m["what"].split(), m["body"]) for m in migration.BLOCK.finditer(DOC)]
RUNS = [pytest.param(args[0], args[1], body, id=f"{args[0]}-{args[1]}")
        for (kind, *args), body in BLOCKS if kind == "run"]
DIFFS = [pytest.param(args[0], body, id=args[0])
         for (kind, *args), body in BLOCKS if kind == "autoport-diff"]
PYUPGRADE = "3.22.0"  # the version tox.ini and pyproject.toml pin
# Files of CPython that the doc quotes as sources, not files of this project.
CPYTHON_FILES = {"forking.py", "queues.py", "popen_fork.py", "random.py", "process.py", "pool.py",
                 "forkserver.py", "spawn.py", "util.py", "connection.py"}
# The tests the doc names as evidence, in inline code as pytest names them.
LINKED_IDS = sorted(set(re.findall(r"`(tests/test_\w+\.py::\w+(?:\[[^\]`]*\])?)`", DOC)))
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
    assert body == migration.diff_block(example, machine_port)


@pytest.fixture(scope="module")
def machine_port():
    try:
        version = importlib.metadata.version("pyupgrade")
    except importlib.metadata.PackageNotFoundError:
        version = None
    if version != PYUPGRADE:
        pytest.skip(f"MIGRATION.md shows pyupgrade {PYUPGRADE}'s output; here it is {version}")
    with tempfile.TemporaryDirectory() as out:
        migration.autoport.machine_port(out)
        yield out


def test_every_linked_test_id_is_collected():
    assert LINKED_IDS
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
         *LINKED_IDS], cwd=ROOT, capture_output=True, text=True, timeout=300)
    collected = {line for line in proc.stdout.splitlines() if "::" in line}
    missing = [i for i in LINKED_IDS
               if i not in collected and not any(c.startswith(i + "[") for c in collected)]
    found = (PY3[0].minor, PY3[-1].minor) if PY3 else None
    if missing and found != WRITTEN_ON and all(re.search(r"\b3\.\d+\b", i) for i in missing):
        pytest.skip(f"ids name Pythons {WRITTEN_ON}; here {found}: {missing}")
    assert missing == [], proc.stderr[-2000:]


def test_every_example_has_a_section_a_row_and_a_run():
    for example in SPECS:
        assert f"\n### `{example}`\n" in DOC, example
        assert f"\n| `{example}` |" in DOC, example
        assert any(args[:1] == [example] for (kind, *args), _ in BLOCKS if kind == "run")
        assert any(args == [example] for (kind, *args), _ in BLOCKS if kind == "autoport-diff")


def test_every_example_named_in_a_block_or_heading_exists():
    named = [args[0] for (kind, *args), _ in BLOCKS if kind in ("run", "autoport-diff")]
    named += re.findall(r"\n### `(\w+)`\n", DOC)
    assert set(named) <= set(SPECS)


def test_every_project_file_named_exists():
    links = re.findall(r"\]\(((?!https?:|#)[^)]+)\)", DOC)
    ticked = re.findall(r"`([\w./-]+\.(?:py|md|ini|toml|yaml))(?:::(\w+))?`", DOC)
    for path in links:
        assert os.path.exists(os.path.join(ROOT, path)), path
    for path, test in ticked:
        if path.startswith(("multiprocessing/", "concurrent/", "Lib/")) or path in CPYTHON_FILES:
            continue  # CPython's
        if "/" in path:
            full = os.path.join(ROOT, path)
        else:
            places = [PORTS, ROOT, *(os.path.join(ROOT, d) for d in ("py3_port", "scripts"))]
            full = next((os.path.join(p, path) for p in places
                         if os.path.exists(os.path.join(p, path))), path)
        assert os.path.exists(full), path
        if test:
            with open(full, encoding="utf-8") as f:
                assert f"def {test}(" in f.read(), f"{path}::{test}"


def test_the_gallery_table_and_the_gallery_test_agree():
    rows = re.findall(r"\n\| \[`(\w+\.py)`\]\(tests/ports/\1\) \| `(\w+)` \|", DOC)
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

"""docs/ci.md's recipe: its GitHub workflow (docs/ci/portproof.yml) passes actionlint; its
portproof and pytest commands, and its tox env, run on the example project as this machine
allows: one cell of the job matrix, with Python 2.7 and the newest Python 3 as the only
interpreters found."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from _suite import INTERPRETERS, NEWEST, ROOT

WORKFLOW = os.path.join(ROOT, "docs", "ci", "portproof.yml")
EXAMPLE = os.path.join(ROOT, "tests", "harness", "example_project")
BIN = os.path.dirname(sys.executable)
needs_both = pytest.mark.skipif(NEWEST is None or "2.7" not in INTERPRETERS,
                                reason="needs Python 2.7 and a Python 3")
# A step of the workflow that runs portproof or pytest: one line, `- run: COMMAND`.
STEP = re.compile(r"^\s+- run: ((?:portproof|python -m pytest) .*)$", re.M)
# Each diff of the recipe takes half a minute here (three pairs, three start methods).
TIMEOUT = 300


def lint(path) -> subprocess.CompletedProcess:
    return subprocess.run([os.path.join(BIN, "actionlint"), str(path)], capture_output=True,
                          text=True, timeout=60)


def test_the_workflow_passes_actionlint(tmp_path):
    done = lint(WORKFLOW)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    # What actionlint catches: a job with no runner.
    with open(WORKFLOW) as f:
        broken = f.read().replace("runs-on:", "run-on:", 1)
    (tmp_path / "broken.yml").write_text(broken)
    done = lint(tmp_path / "broken.yml")
    assert done.returncode == 1
    assert '"runs-on" section is missing in job "diff"' in done.stdout


def steps(**matrix) -> dict[str, str]:
    """The workflow's portproof and pytest steps, by their first two words, with `matrix`'s
    values for ${{ matrix.NAME }}."""
    with open(WORKFLOW) as f:
        found = STEP.findall(f.read())
    expanded = [re.sub(r"\$\{\{ matrix\.(\w+) \}\}", lambda m: str(matrix[m.group(1)]), c)
                for c in found]
    return {" ".join(c.split()[:2]): c for c in expanded}


@pytest.fixture
def team(tmp_path):
    """The example project as the team's checkout, and the runner's environment: the workflow's
    PATH (portproof's bin first), Python 2.7 and the newest Python 3 the only ones found."""
    checkout = tmp_path / "checkout"
    shutil.copytree(EXAMPLE, checkout)
    # A runner's shell, not this suite's: under tox, the pyenv plugin's VIRTUALENV_DISCOVERY
    # would send the team's own tox looking for a plugin its virtualenv lacks.
    own = {k: v for k, v in os.environ.items()
           if not k.startswith(("TOX_", "VIRTUALENV_")) and k != "VIRTUAL_ENV"}
    env = {**own, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "PORTPROOF_PYTHONS": os.pathsep.join([INTERPRETERS["2.7"].path, NEWEST.path])}
    return checkout, env


def run(command: str, checkout, env) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=checkout, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=TIMEOUT)


def test_the_workflow_has_a_diff_and_a_pytest_step():
    assert list(steps(python="3.13", group=1)) == ["portproof diff", "python -m"]


@needs_both
def test_the_diff_step_fails_the_job_and_writes_both_reports(team):
    checkout, env = team
    done = run(steps(python=NEWEST.minor, group=1)["portproof diff"], checkout, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "3 pairs: 1 same, 2 differ (1 hung)"
    with open(checkout / "portproof.json") as f:
        pairs = json.load(f)["pairs"]
    assert [(p["name"], p["verdict"]) for p in pairs] == [
        ("scripts/squares.py", "same"), ("scripts/average.py", "differs"),
        ("ready", "differs")]
    assert {c["start_method"] for c in pairs[0]["cells"]} == set(NEWEST.start_methods)
    assert (checkout / "portproof.html").read_text().startswith("<!DOCTYPE html>")


@needs_both
def test_the_pytest_groups_split_the_tests_and_each_runs_its_own(team):
    checkout, env = team
    collected = []
    for group in (1, 2, 3):
        command = steps(python=NEWEST.minor, group=group)["python -m"]
        done = run(command.replace("python -m pytest", "python -m pytest --co -q"), checkout,
                   env)
        assert done.returncode == 0, done.stdout + done.stderr
        collected.append([line for line in done.stdout.splitlines() if "::test_port[" in line])
    every = [f"pyproject.toml::test_port[{name}-{NEWEST.minor}-{method}]"
             for name in ("scripts/squares.py", "scripts/average.py", "ready")
             for method in NEWEST.start_methods]
    assert sorted(sum(collected, [])) == sorted(every)
    # No durations recorded: groups of equal size.
    assert [len(c) for c in collected] == [len(every) // 3] * 3
    # The first group, run: the same pair's tests pass, the others' fail.
    done = run(steps(python=NEWEST.minor, group=1)["python -m"], checkout, env)
    failing = [t for t in collected[0] if "squares" not in t]
    assert done.returncode == (1 if failing else 0), done.stdout
    report = (checkout / "portproof-1.xml").read_text()
    assert report.count("<testcase ") == len(collected[0])
    assert report.count("<failure ") == len(failing)


def tox_env() -> str:
    """The ```ini block of docs/ci.md: the tox env."""
    with open(os.path.join(ROOT, "docs", "ci.md")) as f:
        (block,) = re.findall(r"^```ini\n(.*?)^```$", f.read(), re.M | re.S)
    return block


@needs_both
def test_the_tox_env_runs_the_pairs_tests(team):
    checkout, env = team
    (checkout / "tox.ini").write_text("[tox]\nenv_list = portproof\n\n" + tox_env())
    env = {**env, "PORTPROOF": ROOT}
    # The first time: a venv with portproof built from this checkout, and pytest.
    done = subprocess.run([os.path.join(BIN, "tox"), "-e", "portproof", "--", "-k",
                           f"{NEWEST.minor}-fork]", "-rA"], cwd=checkout, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=TIMEOUT)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    pytest.LineMatcher(lines).fnmatch_lines([
        f"PASSED pyproject.toml::test_port[scripts/squares.py-{NEWEST.minor}-fork]",
        f"FAILED pyproject.toml::test_port[scripts/average.py-{NEWEST.minor}-fork]*",
        f"FAILED pyproject.toml::test_port[ready-{NEWEST.minor}-fork]*",
        "*portproof: FAIL code 1 *",
    ])

"""The caller's environment does not change a verdict: the harness builds the subject's."""
import os
import pty
import re
import subprocess
import sys

import pytest
from portproof._boot import protocol

from _suite import INTERPRETERS, PITFALLS, PY3, ROOT

# (script, interpreter): a right original, and a port that is wrong on a pipe only.
SUBJECTS = [
    (os.path.join(ROOT, "py2_original", "pool.py"), INTERPRETERS.get("2.7")),
    (os.path.join(PITFALLS, "pool/get_in_with.py"), PY3[-1] if PY3 else None),
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CALLER_ENVIRONMENTS = {
    "clean": {},
    "PYTHONUNBUFFERED=1": {"PYTHONUNBUFFERED": "1"},
    "PYTHONWARNINGS=error": {"PYTHONWARNINGS": "error"},
    "PYTHONPATH=odd": {"PYTHONPATH": "/nonexistent:/tmp"},
    "PYTHONHASHSEED=0": {"PYTHONHASHSEED": "0"},
    "PYTHONHASHSEED=random": {"PYTHONHASHSEED": "random"},
    "LANG=C": {"LANG": "C", "LC_ALL": "C"},
    "LANG=C.UTF-8": {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
}


def verdict_lines(env_update, terminal=False, script=None, python=None):
    """`portproof check`'s verdict lines (pids and paths left out) and its exit status."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "LC_"))}
    env.update(env_update)
    argv = [sys.executable, "-m", "portproof", "check", "pool", script, "--python",
            python.path, "--start-method", "fork", "--runs", "1"]
    if terminal:
        reader, writer = pty.openpty()
        proc = subprocess.run(argv, stdout=writer, stderr=subprocess.PIPE, env=env, cwd=ROOT,
                              timeout=120)
        os.close(writer)
        # On a terminal the verdicts are coloured: the words must be the same.
        out = ANSI.sub("", _read_all(reader).decode().replace("\r\n", "\n"))
    else:
        proc = subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, timeout=120)
        out = proc.stdout.decode()
    assert proc.stderr == b""
    return proc.returncode, out.splitlines()[1:]


def _read_all(fd):
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the terminal has no writer left
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


@pytest.mark.parametrize(("script", "python"), SUBJECTS, ids=["py2-pool", "get-in-with"])
@pytest.mark.parametrize("caller", list(CALLER_ENVIRONMENTS))
def test_same_verdict_whatever_the_caller_exports(caller, script, python):
    if python is None:
        pytest.skip("the interpreter for this subject was not found")
    baseline = verdict_lines({}, script=script, python=python)
    assert verdict_lines(CALLER_ENVIRONMENTS[caller], script=script, python=python) == baseline


@pytest.mark.parametrize(("script", "python"), SUBJECTS, ids=["py2-pool", "get-in-with"])
def test_same_verdict_whether_portproof_prints_to_a_terminal_or_a_pipe(script, python):
    if python is None:
        pytest.skip("the interpreter for this subject was not found")
    piped = verdict_lines({}, script=script, python=python)
    assert verdict_lines({}, terminal=True, script=script, python=python) == piped


def test_a_pytest_run_inside_the_suite_kills_no_subject_of_it(tmp_path):
    # The suite's end-of-session sweep kills what is left of its subjects; a pytest run that a
    # test starts (test_guide collects the ids MIGRATION.md names) must not sweep the
    # subjects that other tests are running.
    mark = f"{protocol.RUN}=bystander-{os.getpid()}"
    env = {**os.environ, protocol.RUN: mark.split("=")[1]}
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], env=env)
    try:
        subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                        "--collect-only", "-q", "tests/harness/test_noise.py"],
                       cwd=ROOT, capture_output=True, timeout=120, check=True)
        assert bystander.poll() is None
        assert os.path.isdir(os.environ["PORTPROOF_SUITE_TMP"])  # still the suite's
    finally:
        bystander.kill()
        bystander.wait()


def test_a_pytest_that_only_collects_leaves_no_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTPROOF_SUITE")}
    subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only",
                    "-q", "tests/harness/test_noise.py"],
                   cwd=ROOT, env={**env, "TMPDIR": str(tmp_path)}, capture_output=True,
                   timeout=120, check=True)
    assert os.listdir(tmp_path) == []

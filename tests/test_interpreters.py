"""Finding interpreters: PATH first, then pyenv's versions folder, or exactly those named."""
import os

import pytest

from conftest import INTERPRETERS, PY3
from portcheck._interpreters import NotPython, discover, probe

needs_two = pytest.mark.skipif(len(INTERPRETERS) < 2, reason="needs two interpreters")


def link(folder, name, target):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).symlink_to(target)


def broken_shim(folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    shim = folder / name
    shim.write_text("#!/bin/sh\necho 'pyenv: version not active' >&2\nexit 127\n")
    shim.chmod(0o755)


@needs_two
def test_path_then_pyenv_first_found_wins(tmp_path):
    older, newer = list(INTERPRETERS.values())[0], list(INTERPRETERS.values())[-1]
    link(tmp_path / "bin", f"python{newer.minor}", newer.path)
    broken_shim(tmp_path / "bin", f"python{older.minor}")  # a shim for an inactive version
    link(tmp_path / "pyenv" / "versions" / "x" / "bin", "python", older.path)
    link(tmp_path / "pyenv" / "versions" / "y" / "bin", "python", newer.path)
    found = discover({"PATH": str(tmp_path / "bin"), "PYENV_ROOT": str(tmp_path / "pyenv")})
    assert [i.minor for i in found] == [older.minor, newer.minor]


def test_nothing_found_is_an_empty_list(tmp_path):
    assert discover({"PATH": str(tmp_path), "PYENV_ROOT": str(tmp_path)}) == []


@needs_two
def test_named_interpreters_are_the_only_ones(tmp_path):
    chosen = list(INTERPRETERS.values())[-1]
    found = discover({"PORTCHECK_PYTHONS": chosen.path, "PATH": os.environ["PATH"]})
    assert found == [chosen]


def test_python2_has_only_fork():
    python = INTERPRETERS.get("2.7")
    if python is None:
        pytest.skip("no Python 2.7 found")
    assert python.start_methods == ("fork",)


@pytest.mark.skipif(not PY3, reason="no Python 3 found")
def test_python3_has_three_start_methods_on_linux():
    assert all(p.start_methods == ("fork", "spawn", "forkserver") for p in PY3)


@pytest.mark.parametrize(("path", "reason"), [
    ("/nonexistent/python", "no such file"),
    ("/", "not an executable file"),
    (__file__, "not an executable file"),
    ("/bin/true", "not a Python interpreter"),
])
def test_probe_rejects_what_is_not_python(path, reason):
    with pytest.raises(NotPython, match=reason):
        probe(path)

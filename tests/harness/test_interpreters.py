"""Finding interpreters: PATH first, then pyenv's versions folder, or exactly those named."""
import json
import os

import pytest

from _suite import INTERPRETERS, PY3
from portproof._interpreters import NotPython, discover, probe

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
    # the newer one is on PATH and in pyenv: PATH's is taken
    assert found[-1].path == str(tmp_path / "bin" / f"python{newer.minor}")


def test_nothing_found_is_an_empty_list(tmp_path):
    assert discover({"PATH": str(tmp_path), "PYENV_ROOT": str(tmp_path)}) == []


@needs_two
def test_named_interpreters_are_the_only_ones(tmp_path):
    """PORTPROOF_PYTHONS is a `:`-separated list of paths: those, and no other, are used."""
    chosen = list(INTERPRETERS.values())[-1]
    found = discover({"PORTPROOF_PYTHONS": chosen.path, "PATH": os.environ["PATH"]})
    assert found == [chosen]
    first = list(INTERPRETERS.values())[0]
    found = discover({"PORTPROOF_PYTHONS": f"{chosen.path}:{first.path}",
                      "PATH": os.environ["PATH"]})
    assert found == [first, chosen]


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
    pytest.param(__file__, "not an executable file", id="this test file"),
    ("/bin/true", "not a Python interpreter"),
])
def test_probe_rejects_what_is_not_python(path, reason):
    with pytest.raises(NotPython, match=reason):
        probe(path)


# The probe's answer is kept per interpreter file (PORTPROOF_CACHE): asked again only when the
# file changes, never for a wrapper whose answer can change while it does not (a pyenv shim).
@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTPROOF_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.mark.parametrize(("environ", "where"), [
    pytest.param({"HOME": "home"}, "home/.cache/portproof", id="home"),
    pytest.param({"HOME": "home", "XDG_CACHE_HOME": "xdg"}, "xdg/portproof", id="xdg"),
    pytest.param({"HOME": "home", "XDG_CACHE_HOME": "xdg", "PORTPROOF_CACHE": "own"}, "own",
                 id="named"),
    pytest.param({"HOME": "home", "PORTPROOF_CACHE": ""}, None, id="empty-is-none"),
])
@pytest.mark.skipif(not PY3, reason="no Python 3 found")
def test_where_the_answers_are_kept(tmp_path, monkeypatch, environ, where):
    for name in ("PORTPROOF_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, str(tmp_path / value) if value else "")
    link(tmp_path / "bin", "python3", PY3[-1].path)
    python = str(tmp_path / "bin" / "python3")
    calls = _runs(monkeypatch)
    probe(python)
    probe(python)
    kept = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("interpreters.json"))
    assert kept == ([f"{where}/interpreters.json"] if where else [])
    assert calls == [python] * (1 if where else 2)


def _runs(monkeypatch):
    import subprocess
    calls = []
    real = subprocess.run

    def counted(argv, *args, **kwargs):
        calls.append(argv[0])
        return real(argv, *args, **kwargs)

    monkeypatch.setattr("portproof._interpreters.subprocess.run", counted)
    return calls


@pytest.mark.skipif(not PY3, reason="no Python 3 found")
def test_a_probe_is_asked_once_per_interpreter_file(cache, tmp_path, monkeypatch):
    link(tmp_path / "bin", "python3", PY3[-1].path)
    python = str(tmp_path / "bin" / "python3")
    calls = _runs(monkeypatch)
    first = probe(python)
    assert probe(python) == first
    assert calls == [python]
    assert (cache / "interpreters.json").exists()


@pytest.mark.skipif(not PY3, reason="no Python 3 found")
def test_a_changed_interpreter_is_asked_again(cache, tmp_path, monkeypatch):
    import shutil
    copy = tmp_path / "python3"
    shutil.copy2(os.path.realpath(PY3[-1].path), copy)
    probe(str(copy))
    os.utime(copy, ns=(0, 0))
    calls = _runs(monkeypatch)
    assert probe(str(copy)).version == PY3[-1].version
    assert calls == [str(copy)]


@pytest.mark.skipif(not PY3, reason="no Python 3 found")
def test_a_wrapper_is_asked_every_time(cache, tmp_path, monkeypatch):
    wrapper = tmp_path / "python"
    wrapper.write_text(f'#!/bin/sh\nexec "{PY3[-1].path}" "$@"\n')
    wrapper.chmod(0o755)
    calls = _runs(monkeypatch)
    probe(str(wrapper))
    probe(str(wrapper))
    assert calls == [str(wrapper)] * 2


@pytest.mark.skipif(not PY3, reason="no Python 3 found")
def test_a_corrupt_cache_is_passed_over_and_replaced(cache):
    cache.mkdir()
    (cache / "interpreters.json").write_text("{not json")
    assert probe(PY3[-1].path) == PY3[-1]
    assert json.loads((cache / "interpreters.json").read_text())


@pytest.mark.skipif(not PY3, reason="no Python 3 found")
def test_a_cache_that_cannot_be_written_is_passed_over(cache):
    cache.write_text("a file where the folder should be")  # unwritable even for root
    assert probe(PY3[-1].path) == PY3[-1]
    assert cache.read_text() == "a file where the folder should be"


@pytest.mark.skipif(not PY3, reason="no Python 3 found")
def test_pyenvs_shims_are_passed_over_for_what_they_run(tmp_path):
    # A shim runs pyenv to choose a version: slow, and what it runs is in the versions folder.
    ran = tmp_path / "ran"
    shims = tmp_path / "pyenv" / "shims"
    shims.mkdir(parents=True)
    shim = shims / f"python{PY3[-1].minor}"
    shim.write_text(f'#!/bin/sh\ntouch "{ran}"\nexec "{PY3[-1].path}" "$@"\n')
    shim.chmod(0o755)
    versions = tmp_path / "pyenv" / "versions" / "x" / "bin"
    link(versions, f"python{PY3[-1].minor}", PY3[-1].path)
    link(tmp_path / "bin", f"python{PY3[-1].minor}", PY3[-1].path)  # further along PATH
    found = discover({"PATH": f"{shims}{os.pathsep}{tmp_path / 'bin'}",
                      "PYENV_ROOT": str(tmp_path / "pyenv")})
    assert [i.path for i in found] == [str(versions / f"python{PY3[-1].minor}")]
    assert not ran.exists()

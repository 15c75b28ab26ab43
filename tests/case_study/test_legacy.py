"""The legacy topics (tests/case_study/legacy/<topic>/, tabulated in legacy/topics.py and
legacy/README.md): each topic's Python 2 program and its three ports, what `portproof diff` says
of each port, and the lines topics.py names, as the programs print them."""
import os

import pytest

from _suite import INTERPRETERS, LEGACY, PY3, diff, legacy, needs_pinned_pyupgrade
from case_study.legacy.topics import TOPICS
from portproof import _machine_port, _run
from portproof._normalise import exception_line
from portproof._observe import observe, split_stderr

VERSIONS = ("py2", "py3", "naive", "machine")
PY27 = INTERPRETERS.get("2.7")
NEWEST = PY3[-1] if PY3 else None
needs_both = pytest.mark.skipif(PY27 is None or NEWEST is None,
                                reason="needs Python 2.7 and a Python 3")


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def options(topic):
    """diff's options for the topic: --strict where what goes wrong is only a warning, a short
    --timeout where the naive port hangs."""
    timeout = TOPICS[topic].timeout
    return (["--strict"] if TOPICS[topic].strict else []) + (
        ["--timeout", str(timeout)] if timeout else [])


def test_every_topic_has_its_programs_and_a_row():
    folders = sorted(n for n in os.listdir(LEGACY) if os.path.isdir(os.path.join(LEGACY, n))
                     and not n.startswith("__"))
    assert folders == sorted(TOPICS)
    for name in TOPICS:
        programs = sorted(n for n in os.listdir(os.path.join(LEGACY, name)) if n.endswith(".py"))
        assert programs == sorted(f"{v}.py" for v in VERSIONS), name
    with open(os.path.join(LEGACY, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    for name in TOPICS:
        assert f"\n| `{name}` |" in readme, name
        assert "# naive:" in read(legacy(name, "naive")), name


# diff on the newest Python 3, each start method: the faithful port is the same, the naive one
# differs and the report names its line, the machine port does what topics.py says.
@pytest.mark.matrix
@needs_both
@pytest.mark.parametrize("topic", list(TOPICS))
def test_a_faithful_port_of_a_legacy_program_is_the_same(topic, capsys):
    status, out, _ = diff(legacy(topic, "py2"), legacy(topic, "py3"), *options(topic),
                          pythons=[NEWEST], capsys=capsys)
    assert status == 0, out


@pytest.mark.matrix
@needs_both
@pytest.mark.parametrize("topic", list(TOPICS))
def test_a_naive_port_differs_and_the_report_names_the_line(topic, capsys):
    status, out, report = diff(legacy(topic, "py2"), legacy(topic, "naive"), *options(topic),
                               pythons=[NEWEST], capsys=capsys)
    assert status == 1, out
    texts = [d["text"] + " " + " ".join(d["lines"])
             for c in report["cells"] for d in c["differences"]]
    assert any(TOPICS[topic].naive_line in t for t in texts), out
    changes = [d["lines"] for c in report["cells"] for d in c["differences"]]
    for original, naive in TOPICS[topic].more_lines:
        assert any(f"- {original}" in lines and f"+ {naive}" in lines for lines in changes), out


@pytest.mark.matrix
@needs_both
@pytest.mark.parametrize("topic", list(TOPICS))
def test_what_the_machine_port_of_a_legacy_program_does(topic, capsys):
    status, out, _ = diff(legacy(topic, "py2"), legacy(topic, "machine"), *options(topic),
                          pythons=[NEWEST], capsys=capsys)
    assert status == (0 if TOPICS[topic].machine_port_same else 1), out


# What the machine port gets right or wrong, where its text shows it (topics.py, measured by
# running it); each topic's machine.py holds its whole output.
@pytest.mark.parametrize("name", sorted(TOPICS))
def test_machine_port_of_each_topic_is_pinned(name, pinned_tools):
    source, _ = _machine_port.read_source(legacy(name, "py2"))
    text = _machine_port.machine_port(source).text
    assert text == read(legacy(name, "machine"))
    for line in TOPICS[name].machine_text:
        assert line in text.splitlines(), line


@pytest.fixture
def pinned_tools():
    """The machine port's text is pyupgrade's: pinned for the version the extras pin."""
    needs_pinned_pyupgrade()


@pytest.fixture(scope="module")
def python2():
    if PY27 is None:
        pytest.skip("no Python 2.7 on PATH or in pyenv's versions folder")
    return PY27


# The lines topics.py names, as the programs print them: the original's on Python 2.7 (fork), the
# naive port's on the newest Python 3 under the start method where it goes wrong (each run in a
# scratch folder: result_file writes there).
@pytest.mark.parametrize("name", sorted(TOPICS))
def test_topic_lines_are_what_the_programs_print(name, python2, tmp_path):
    if NEWEST is None:
        pytest.skip("no Python 3 found")
    topic = TOPICS[name]
    printed = {}
    for version, python in (("py2", python2), ("naive", NEWEST)):
        (tmp_path / version).mkdir()
        script = str(tmp_path / version / f"{version}.py")
        with open(script, "w", encoding="utf-8") as f:
            f.write(read(legacy(name, version)))
        method = topic.naive_start_method if version == "naive" else "fork"
        options = _run.RunOptions(timeout=topic.timeout) if topic.timeout else _run.RunOptions()
        trace = _run.run_script(python, script, method, "pipe", options)
        # stderr as diff reads it: an exception's last line with the exception's module dropped
        printed[version] = {"stderr": [exception_line(n) for n in trace.stderr.splitlines()],
                            "warning": split_stderr(trace.stderr.splitlines())[2],
                            "ending": [observe(trace).ending]}.get(topic.where, trace.text)
    assert topic.naive_line in printed["naive"]
    if topic.reordered:
        def order(lines):
            return lines.index(topic.naive_line) < lines.index(topic.original_line)
        assert not order(printed["py2"]) and order(printed["naive"])
    elif topic.original_line is None:
        assert topic.naive_line not in printed["py2"]
    else:
        assert topic.original_line in printed["py2"]
        assert topic.original_line not in printed["naive"]
    for original, naive in topic.more_lines:
        assert original in printed["py2"] and original not in printed["naive"]
        assert naive in printed["naive"] and naive not in printed["py2"]

"""The machine port (portproof/_machine_port.py) and the port command: its text pinned, its
refusals, the missing extra, and `portproof port` end to end. What it makes of each legacy topic
is in tests/case_study/test_legacy.py."""
import os
import subprocess
import sys
import tempfile

import pytest

from _suite import INTERPRETERS, MACHINE_PORT, PY3, ROOT, legacy, needs_pinned_pyupgrade
from portproof import _hunks, _leftovers, _machine_port

EXAMPLES = sorted(n[:-3] for n in os.listdir(os.path.join(ROOT, "py2_original"))
                  if n.endswith(".py"))


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


@pytest.fixture(autouse=True)
def pinned_tools():
    needs_pinned_pyupgrade()


@pytest.fixture
def no_temp_left(tmp_path, monkeypatch):
    """The port's temporary files go to a folder of the test's, which must be empty after."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield
    assert os.listdir(folder) == []


# The machine port of each example, pinned (tests/case_study/machine_port/): tox's autoport env
# writes it, and MIGRATION.md's appendix shows it against the port.
@pytest.mark.parametrize("example", EXAMPLES)
def test_machine_port_of_each_example_is_pinned(example, no_temp_left):
    source, _ = _machine_port.read_source(os.path.join(ROOT, "py2_original", f"{example}.py"))
    ported = _machine_port.machine_port(source)
    assert ported.text == read(os.path.join(MACHINE_PORT, f"{example}.py"))
    assert ported.source == source


def test_autoport_script_writes_the_pinned_ports(tmp_path):
    out = tmp_path / "build"
    done = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "autoport.py"), str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "fissix (2to3 fixers): rewrote 7 of 7 files",
        "pyupgrade --py36-plus pass 1: rewrote 6 files",
        "pyupgrade --py36-plus pass 2: rewrote 5 files",
        "pyupgrade --py36-plus pass 3: rewrote 0 files",
    ]
    for example in EXAMPLES:
        assert read(out / "py3_port" / f"{example}.py") == read(
            os.path.join(MACHINE_PORT, f"{example}.py")), example
    assert sorted(os.listdir(out / "py2_original")) == sorted(
        os.listdir(os.path.join(ROOT, "py2_original")))


def test_steps_say_what_each_tool_did():
    ported = _machine_port.machine_port('x = 1\nprint "%s" % (x,)\n')
    assert ported.text == "x = 1\nprint(f\"{x}\")\n"
    assert ported.fixed == 'x = 1\nprint("%s" % (x,))\n'
    assert ported.steps == [
        "fissix: 1 fixer changed it (print)",
        "pyupgrade --py36-plus pass 1: changed it",
        "pyupgrade --py36-plus pass 2: changed it",
        "pyupgrade --py36-plus pass 3: no change",
    ]


def test_source_already_python_3_is_left_as_it_is():
    source = "import os\nsep = os.sep\n"
    ported = _machine_port.machine_port(source)
    assert (ported.text, ported.fixers, ported.passes) == (source, (), (False,))
    assert ported.steps == ["fissix: no fixer changed it",
                            "pyupgrade --py36-plus pass 1: no change"]


def test_the_port_is_a_fixed_point(no_temp_left):
    source, _ = _machine_port.read_source(os.path.join(ROOT, "py2_original", "value_array.py"))
    ported = _machine_port.machine_port(source)
    assert ported.passes[-1] is False and all(ported.passes[:-1])
    assert _machine_port._pyupgrade(ported.text, "py36") == ported.text


def test_the_target_reaches_pyupgrade():
    source = "class A(object):\n    pass\nimport functools\n@functools.lru_cache()\ndef f():\n" \
             "    pass\n"
    assert "@functools.lru_cache()" in _machine_port.machine_port(source, "py36").text
    assert "@functools.lru_cache\n" in _machine_port.machine_port(source, "py38").text


def test_pyupgrade_that_never_settles_is_an_error(monkeypatch):
    flip = iter(range(100))
    monkeypatch.setattr(_machine_port, "_pyupgrade", lambda text, target: f"{text}# {next(flip)}\n")
    with pytest.raises(_machine_port.PortError, match=r"did not settle in 5 passes"):
        _machine_port.machine_port("x = 1\n")


def test_a_failed_pyupgrade_leaves_no_temporary_file(monkeypatch, no_temp_left):
    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs["timeout"])
    monkeypatch.setattr(_machine_port.subprocess, "run", slow)
    with pytest.raises(_machine_port.PortError, match="pyupgrade took over"):
        _machine_port.machine_port("x = 1\n")


@pytest.mark.parametrize("module", ["fissix", "pyupgrade"])
def test_without_the_extra_the_message_says_what_to_install(module, monkeypatch):
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(_machine_port.PortError) as caught:
        _machine_port.machine_port("x = 1\n")
    assert str(caught.value).startswith(
        "portproof port needs fissix and pyupgrade: pip install 'portproof[port]'")


@pytest.mark.parametrize(("source", "where"), [
    pytest.param("x = 1\nif x\n    pass\n", "line 2: bad input at '\\n'", id="syntax"),
    pytest.param("def f():\n    x = 1\n  y = 2\n", "line 3: unindent does not match",
                 id="indentation"),
    pytest.param("x = (1,\n", "EOF in multi-line statement", id="unclosed"),
])
def test_source_that_is_not_python_2_is_refused(source, where):
    with pytest.raises(_machine_port.PortError) as caught:
        _machine_port.machine_port(source)
    assert str(caught.value).startswith("not valid Python 2: ")
    assert where in str(caught.value)


# write_port: it never loses the user's code.
@pytest.fixture
def old(tmp_path):
    path = tmp_path / "old.py"
    path.write_text("print 'hello'\n", encoding="utf-8")
    return path


def test_write_port_writes_new(old, tmp_path):
    new = tmp_path / "new.py"
    ported = _machine_port.write_port(str(old), str(new), force=False)
    assert read(new) == ported.text == "print('hello')\n"
    assert read(old) == "print 'hello'\n"


def test_an_existing_new_needs_force(old, tmp_path):
    new = tmp_path / "new.py"
    new.write_text("mine\n")
    with pytest.raises(_machine_port.PortError,
                       match=r"new\.py exists: pass --force to write over it"):
        _machine_port.write_port(str(old), str(new), force=False)
    assert read(new) == "mine\n"
    _machine_port.write_port(str(old), str(new), force=True)
    assert read(new) == "print('hello')\n"


@pytest.mark.parametrize("spelling", ["same", "dotted", "symlink", "hardlink"])
def test_old_is_never_written_over_even_with_force(spelling, old, tmp_path):
    new = {"same": str(old), "dotted": f"{tmp_path}/./sub/../old.py"}.get(spelling)
    (tmp_path / "sub").mkdir()
    if spelling == "symlink":
        new = str(tmp_path / "link.py")
        os.symlink(old, new)
    elif spelling == "hardlink":
        new = str(tmp_path / "hard.py")
        os.link(old, new)
    with pytest.raises(_machine_port.PortError, match="never writes over its original"):
        _machine_port.write_port(str(old), new, force=True)
    assert read(old) == "print 'hello'\n"


@pytest.mark.parametrize(("case", "message"), [
    ("missing", r"nothing\.py: no such file"),
    ("directory", r"is a directory, not a Python 2 script"),
    ("new-directory", r"is a directory; name the file to write"),
    ("new-folder-missing", r"folder .*nowhere does not exist"),
    ("not-python-2", r"bad\.py: not valid Python 2: line 1: bad input"),
])
def test_bad_input_is_refused_in_one_line_and_nothing_written(case, message, old, tmp_path):
    new = tmp_path / "new.py"
    args = {
        "missing": (tmp_path / "nothing.py", new),
        "directory": (tmp_path, new),
        "new-directory": (old, tmp_path),
        "new-folder-missing": (old, tmp_path / "nowhere" / "new.py"),
        "not-python-2": (tmp_path / "bad.py", new),
    }[case]
    (tmp_path / "bad.py").write_text("def f(:\n    pass\n")
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(_machine_port.PortError, match=message) as caught:
        _machine_port.write_port(str(args[0]), str(args[1]), force=True)
    assert "\n" not in str(caught.value)
    assert sorted(os.listdir(tmp_path)) == before


def test_run_port_returns_the_source_diff(old, tmp_path):
    new = tmp_path / "new.py"
    ported, diff = _machine_port.run_port(str(old), str(new), False, "py36")
    assert ported.text == "print('hello')\n"
    assert diff == (f"--- {old}\n+++ {new}\n@@ -1 +1 @@\n"
                    "-print 'hello'\n+print('hello')\n")


def test_source_diff_marks_a_missing_final_newline():
    diff = _machine_port.source_diff("a\nb", "a\nc", "x", "y")
    assert diff.endswith("-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n")
    assert _machine_port.source_diff("a\n", "a\n", "x", "y") == ""


# pyupgrade drops every coding line; the port is then written in UTF-8, as Python 3 reads it.
def test_a_port_without_coding_line_is_written_in_utf_8(tmp_path):
    old = tmp_path / "old.py"
    old.write_bytes(b"# -*- coding: latin-1 -*-\nprint 'caf\xe9'\n")
    new = tmp_path / "new.py"
    ported = _machine_port.write_port(str(old), str(new), force=False)
    assert ported.text == "print('caf\xe9')\n"
    assert new.read_bytes() == ported.text.encode("utf-8")


# `portproof port` end to end: it writes the port, shows what each tool did and the source diff,
# then judges the port as `diff` does (newest Python 3, one start method and mode, sleeps
# scaled: these programs do not sleep).
def port(old, new, *options):
    from portproof._cli import main
    if "2.7" not in INTERPRETERS or not PY3:
        pytest.skip("needs Python 2.7 and a Python 3")
    return main(["port", old, "-o", str(new), "--python", PY3[-1].path, "--start-method", "fork",
                 "--mode", "pipe", "--fast", *options])


def test_port_writes_the_port_shows_the_source_diff_and_judges_it(tmp_path, capsys):
    old, new = legacy("xrange_loop", "py2"), tmp_path / "new.py"
    # The scripts' arguments follow --, after port's options, as diff's do.
    assert port(old, new, "--", "unused") == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[:4] == ["fissix: 2 fixers changed it (print, xrange)",
                         "pyupgrade --py36-plus pass 1: no change",
                         f"--- {old}", f"+++ {new}"]
    assert "+    starts = list(range(0, 20, 5))" in lines
    assert "verdict  same" in lines and lines[-1] == "1 of 1 cells same"
    assert read(new) == read(legacy("xrange_loop", "machine"))


def test_a_port_that_differs_names_the_first_lines_to_look_at(tmp_path, capsys):
    old, new = legacy("int_division", "py2"), tmp_path / "new.py"
    assert port(old, new) == 1
    out = capsys.readouterr().out
    hint = out[out.index("0 of 1 cells same, 1 differ\n"):].splitlines()[1:]
    # The one hunk of the printed source diff, the one whose prints changed.
    diff = out[out.index(f"--- {old}"):out.index("portproof diff:")].rstrip("\n")
    (hunk,) = _hunks.hunks(diff)
    assert "+        print(f'mean of {chunk} is {m}')" in hunk.splitlines()
    assert hint == [
        f"{new} does not behave like {old}. The first lines to look at, under "
        f"DIFF {PY3[-1].minor} fork:",
        "  stdout line changed: 'mean of [1, 2] is 1' is now 'mean of [1, 2] is 1.5'",
        "  stdout line changed: 'mean of [3, 4, 6] is 4' is now "
        "'mean of [3, 4, 6] is 4.333333333333333'",
        "  stdout line changed: 'mean of [7] is 7' is now 'mean of [7] is 7.0'",
        "and 1 more there",
        "the source diff's hunk that prints a line that differs:",
        *(f"  {line}" for line in hunk.splitlines()),
    ]


# port's reports carry the source diff it printed; its page marks the hunk that prints the
# lines that differ (int_division's `/` is in no hunk: the prints are).
def test_ports_reports_carry_the_source_diff_and_mark_the_hunk_that_prints(tmp_path, capsys):
    import json

    from test_report import Page
    old, new = legacy("int_division", "py2"), tmp_path / "new.py"
    json_path, html_path = tmp_path / "r.json", tmp_path / "r.html"
    assert port(old, new, "--json", str(json_path), "--html", str(html_path)) == 1
    out = capsys.readouterr().out
    report = json.loads(json_path.read_text(encoding="utf-8"))
    assert report["source_diff"].startswith(f"--- {old}\n+++ {new}\n@@ ")
    assert report["source_diff"] in out
    page = Page(html_path.read_text(encoding="utf-8"))
    assert "portproof port" in page.text  # its title
    assert "".join(page.hunks) == report["source_diff"].split("\n", 2)[2]
    differing = {line[2:] for g in report["groups"] for d in g["differences"]
                 for line in d["lines"]}
    assert "mean of [1, 2] is 1.5" in differing
    (printing,) = page.printing.values()
    assert set(printing) == differing


# Where no cell differs and one is unstable, the hint points at what showed in some runs only.
# The rare_outcome probe's original, with `//` that 2.7 reads as its `/` (so that the machine
# port is faithful), and 40 workers, so that a cell's first run shows a 250 but by a chance of
# 1 in 7,500.
def test_an_unstable_port_names_what_showed_in_some_runs_only(tmp_path, capsys):
    import re

    old, new = tmp_path / "old.py", tmp_path / "new.py"
    source = read(os.path.join(ROOT, "tests", "harness", "probes", "rare_outcome", "py2.py"))
    old.write_text(source.replace("quarters[n] / 4", "quarters[n] // 4"))
    assert port(str(old), new, "--", "40") == 4
    out = capsys.readouterr().out
    hint = out[out.index("0 of 1 cells same, 1 unstable\n"):].splitlines()[1:]
    assert hint[0] == (f"{new} differs from {old} in some runs only. The first lines to look "
                       f"at, under unstable {PY3[-1].minor} fork (pipe):")
    assert len(hint) > 6
    for line in hint[1:4]:
        assert re.fullmatch(r"  in [1-7] of 8 runs: stdout line changed: 'worker (\d+) took "
                            r"<n> steps' is now 'worker \1 took 250 steps' "
                            r"\(OLD's runs vary in it too\)", line), out
    assert re.fullmatch(r"and \d+ more there", hint[4]), out
    # Its counts print as `%d`: the hunk that changed that print is named.
    assert hint[5] == "the source diff's hunk that prints a line that differs:", out


def test_port_does_not_write_over_an_existing_new(tmp_path, capsys):
    new = tmp_path / "new.py"
    new.write_text("mine\n")
    assert port(legacy("xrange_loop", "py2"), new) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"portproof: error: {new} exists: pass --force to write over it\n"
    assert read(new) == "mine\n"


@pytest.mark.parametrize("module", ["fissix", "pyupgrade"])
def test_port_without_the_extra_says_what_to_install(module, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    new = tmp_path / "new.py"
    assert port(legacy("xrange_loop", "py2"), new) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("portproof: error: portproof port needs fissix and pyupgrade: "
                   "pip install 'portproof[port]'\n")
    assert not new.exists()


# What the machine port leaves (portproof/_leftovers.py): each case is Python 2 source and the
# line and name a warning must give, found on the port's text.
def could_not_port(source):
    return _leftovers.could_not_port(_machine_port.machine_port(source).text, "new.py")


@pytest.mark.parametrize(("source", "where"), [
    ("import string\nx = string.letters\n", "new.py:2: string.letters"),
    ("import string\nx = string.lowercase\n", "new.py:2: string.lowercase"),
    ("import string\nx = string.uppercase\n", "new.py:2: string.uppercase"),
    ("import string\nt = string.maketrans('a', 'b')\n", "new.py:2: string.maketrans"),
    ("import string\nx = string.join(['a'], '')\n", "new.py:2: string.join"),
    ("from string import letters\n", "new.py:1: string.letters"),
    ("f = file('x')\n", "new.py:1: file()"),
    ("x = cmp(1, 2)\n", "new.py:1: cmp()"),
    ("x = coerce(1, 2.0)\n", "new.py:1: coerce()"),
    ("x = buffer('a')\n", "new.py:1: buffer()"),
    ("class A(object):\n    def __div__(self, o):\n        pass\n", "new.py:2: __div__"),
    ("class A(object):\n    def __cmp__(self, o):\n        pass\n", "new.py:2: __cmp__"),
    ("class A(object):\n    def __unicode__(self):\n        pass\n", "new.py:2: __unicode__"),
    ("class A(object):\n    def __getslice__(self, i, j):\n        pass\n",
     "new.py:2: __getslice__"),
    ("import md5\n", "new.py:1: import md5"),
    ("import sets\n", "new.py:1: import sets"),
    ("from UserDict import DictMixin\n", "new.py:1: import UserDict"),
    # fissix's has_key fixer rewrites every `x.has_key(k)`, whatever x is, but no other form.
    pytest.param("x = d.has_key(k=1)\n", "new.py:1: .has_key", id="has_key-keyword"),
    pytest.param("g = d.has_key\n", "new.py:1: .has_key", id="has_key-not-called"),
    # fissix's sorted fixer turns cmp= into key=, but not beside a key=.
    pytest.param("y = sorted(l, cmp=f, key=g)\n", "new.py:1: cmp=", id="sorted-cmp-and-key"),
    # A doctest's Python 2 syntax that fissix's doctest mode cannot parse is left as it was.
    pytest.param('def f():\n    """\n    >>> print x y\n    """\n',
                 "new.py:3: doctest", id="doctest-not-python"),
    # Names in doctests, which fissix's doctest mode does not port either.
    pytest.param('"""\n>>> import string\n>>> string.letters[:3]\n\'abc\'\n"""\n',
                 "new.py:3: string.letters", id="doctest-string.letters"),
    pytest.param('def f():\n    """\n    >>> cmp(1, 2)\n    -1\n    """\n',
                 "new.py:3: cmp()", id="doctest-cmp"),
    # fissix can write what is not Python 3 (the line is the port's, after the import it
    # adds): then nothing else can be checked.
    pytest.param("x = d.has_key(*k)\n", "new.py:1: not valid Python 3", id="has_key-star"),
    pytest.param("l = [1]\nlist.sort(l, cmp=f)\n", "new.py:3: not valid Python 3",
                 id="list.sort-cmp"),
])
def test_what_the_machine_port_leaves_is_a_warning(source, where):
    warnings = could_not_port(source)
    assert [w for w in warnings if w.startswith(where)] != [], warnings


@pytest.mark.parametrize("source", [
    # fixed by fissix: no warning for what the port no longer holds
    "import os\nx = os.getcwdu()\n",
    "import sys\nx = sys.maxint\n",
    "x = reduce(lambda a, b: a + b, [1])\n",
    "x = unicode('a')\ny = long(1)\nz = isinstance(x, basestring)\n",
    "class A(object):\n    def __nonzero__(self):\n        return True\n",
    "l = [1]\nl.sort(cmp=lambda a, b: 0)\ny = sorted(l, cmp=lambda a, b: 0)\n",
    "l = [1]\nl.sort(lambda a, b: 0)\n",
    "x = A.f.im_func\ny = A().f.im_self\n",
    "if d.has_key('a'):\n    pass\n",
    "def f(d, k):\n    return not d.has_key(k)\n",
    "import string\nx = string.digits + string.ascii_letters\n",
    # names bound by the program are its own
    "def f(file):\n    return file('x')\n",
    "from compat import cmp\nx = cmp(1, 2)\n",
    "def buffer(x):\n    return x\ny = buffer(1)\n",
    "class string:\n    letters = 1\nx = string.letters\n",
    "import string\ndef f(string):\n    return string.letters\n",
    "import compat as string\nx = string.letters\n",
    "x = o.letters\n",
    "def __div__(self, o):\n    pass\n",
    # doctests are ported as `2to3 -d` ports them
    pytest.param('def f():\n    """\n    >>> print 1\n    1\n    """\n', id="doctest-print"),
    pytest.param('"""\n>>> d = {}\n>>> d.has_key(1)\nFalse\n"""\n', id="doctest-has_key"),
    pytest.param('"""\n>>> import string\n>>> string.ascii_letters[:1]\n\'a\'\n"""\n',
                 id="doctest-ascii_letters"),
    pytest.param('def cmp(a, b):\n    """\n    >>> cmp(1, 2)\n    -1\n    """\n',
                 id="doctest-own-cmp"),
])
def test_what_the_machine_port_fixed_is_no_warning(source):
    assert could_not_port(source) == []


# Every name of the tables is one the pinned tools leave: a warning for each, never a false one.
@pytest.mark.parametrize("source", [
    *(f"import string\nx = string.{name}\n" for name in _leftovers.STRING),
    *(f"x = {name}(1)\n" for name in _leftovers.BUILTINS),
    *(f"class A(object):\n    def {name}(self, *a):\n        pass\n"
      for name in _leftovers.METHODS),
    *(f"import {name}\n" for name in _leftovers.MODULES),
])
def test_each_name_of_the_tables_survives_the_machine_port(source):
    assert len(could_not_port(source)) == 1


def test_a_port_python_3_cannot_read_is_one_warning():
    assert _leftovers.could_not_port("x = 1\x00\n", "new.py") == [
        "new.py:1: not valid Python 3 (source code string cannot contain null bytes): port "
        "that line by hand"]


def test_doctests_are_ported_as_2to3_d_ports_them():
    source = 'def f():\n    """\n    >>> print 1, 2\n    1 2\n    """\n    print 3\n'
    assert _machine_port.machine_port(source).text == (
        'def f():\n    """\n    >>> print(1, 2)\n    1 2\n    """\n    print(3)\n')


LETTERS = '''import string


def first(word):
    """
    >>> print first('abc')
    a
    """
    return word[0]

print first(string.letters)
'''


def test_port_says_what_it_could_not_port_before_the_diff(tmp_path, capsys, monkeypatch):
    import json

    from portproof import _diff_options
    old, new, report = tmp_path / "old.py", tmp_path / "new.py", tmp_path / "report.json"
    old.write_text(LETTERS, encoding="utf-8")
    block = f"could not port:\n  {new}:11: string.letters is gone in Python 3: use " \
            "string.ascii_letters\n"
    run_diff, seen = _diff_options.run_diff, []

    def diff_after_the_warnings(*args):
        seen.append(capsys.readouterr())
        return run_diff(*args)
    monkeypatch.setattr(_diff_options, "run_diff", diff_after_the_warnings)
    # The port fails where the warning says: Python 3's string has no letters.
    assert port(str(old), new, "--json", str(report)) == 1
    assert seen[0].err == block
    assert "+    >>> print(first('abc'))" in seen[0].out.splitlines()
    out, err = capsys.readouterr()
    assert "AttributeError" in out and err == ""
    assert json.loads(report.read_text())["could_not_port"] == [block.splitlines()[1][2:]]


def test_a_port_with_nothing_left_warns_of_nothing(tmp_path, capsys):
    new = tmp_path / "new.py"
    assert port(legacy("xrange_loop", "py2"), new) == 0
    assert capsys.readouterr().err == ""
    assert _leftovers.could_not_port(read(new), str(new)) == []


def test_the_manuals_could_not_port_block_is_what_port_prints():
    with open(os.path.join(ROOT, "docs", "harness.md"), encoding="utf-8") as f:
        manual = f.read()
    start = manual.index("could not port:\n")
    shown = manual[start:manual.index("```", start)].splitlines()
    source, _ = _machine_port.read_source(legacy("sorted_cmp", "py2"))
    left = _leftovers.could_not_port(_machine_port.machine_port(source).text, "/tmp/sorted_cmp.py")
    assert shown == ["could not port:", *(f"  {line}" for line in left)]

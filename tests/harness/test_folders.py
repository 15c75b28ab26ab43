"""A run's copies of the user's folders, and what a look after the run sees in them: on folders
made here, no subject run (the runs are in test_misbehaving.py)."""
import os
import threading

import pytest

from portproof import _folders


def test_a_copy_holds_files_folders_and_links_and_nothing_that_could_block(tmp_path):
    source = tmp_path / "source"
    (source / "package").mkdir(parents=True)
    (source / "package" / "module.py").write_text("x = 1\n")
    (source / "inside").symlink_to("package/module.py")
    (source / "outside").symlink_to("../elsewhere.txt")
    os.mkfifo(source / "fifo")  # reading it would wait for a writer for ever
    for skipped in ("venv", ".git", "__pycache__", "node_modules"):
        (source / skipped).mkdir()
        (source / skipped / "file").write_text("")
    (source / "venv" / "pyvenv.cfg").write_text("")
    held = _folders.copy(str(source), str(tmp_path / "copy"))
    copy = tmp_path / "copy"
    assert sorted(os.listdir(copy)) == ["inside", "outside", "package", "venv"]
    assert os.listdir(copy / "venv") == []  # a virtual environment: its folder, empty
    assert os.readlink(copy / "inside") == "package/module.py"
    assert os.readlink(copy / "outside") == str(source / ".." / "elsewhere.txt")
    assert sorted(held) == [os.path.join("package", "module.py")]


def sparse(path, size):
    """A file of `size` bytes that takes no disk blocks."""
    path.write_bytes(b"")
    os.truncate(path, size)


@pytest.mark.parametrize(("fill", "bound"), [
    pytest.param(lambda f: [(f / str(n)).write_text("") for n in range(2001)], "2000 files",
                 id="entries"),
    pytest.param(lambda f: sparse(f / "sparse", 65 << 20), "64 MiB", id="bytes"),
])
def test_a_folder_past_a_bound_is_not_copied(fill, bound, tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    fill(source)
    with pytest.raises(_folders.TooBig, match=bound):
        _folders.copy(str(source), str(tmp_path / "copy"))
    assert not (tmp_path / "copy").exists()


def test_a_change_is_told_by_size_time_and_the_ends_of_a_file(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    big = folder / "big"
    big.write_bytes(b"a" * (3 * _folders.EDGE))
    held = _folders.look(str(folder))[0]
    stamp = os.stat(big).st_mtime_ns
    with open(big, "r+b") as f:  # the middle, its size and time kept: not seen
        f.seek(_folders.EDGE + 10)
        f.write(b"b")
    os.utime(big, ns=(stamp, stamp))
    assert _folders.changes(str(folder), held) == {}
    with open(big, "r+b") as f:  # the last byte
        f.seek(3 * _folders.EDGE - 1)
        f.write(b"c")
    os.utime(big, ns=(stamp, stamp))
    assert list(_folders.changes(str(folder), held)) == ["big"]
    big.write_bytes(b"a" * (3 * _folders.EDGE))  # as it was, but for its time
    os.utime(big, ns=(stamp, stamp + 1))
    assert list(_folders.changes(str(folder), held)) == ["big"]
    small = folder / "small"  # up to 2 * EDGE, all of it is hashed
    small.write_bytes(b"a" * (2 * _folders.EDGE))
    held = _folders.look(str(folder))[0]
    stamp = os.stat(small).st_mtime_ns
    with open(small, "r+b") as f:
        f.seek(_folders.EDGE)
        f.write(b"b")
    os.utime(small, ns=(stamp, stamp))
    assert list(_folders.changes(str(folder), held)) == ["small"]


def test_a_look_covers_so_many_entries_so_deep_and_stops_when_asked(tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    for n in range(_folders.MAX_LOOKED + 1):
        (many / str(n)).write_text("")
    seen, whole = _folders.look(str(many))
    assert (len(seen), whole) == (10000, False)
    deep = tmp_path / "deep"
    folder = deep.joinpath(*["d"] * 64)
    folder.mkdir(parents=True)
    (folder.parent / "seen").write_text("")
    (folder / "not seen").write_text("")
    seen, whole = _folders.look(str(deep))
    assert [os.path.basename(p) for p in seen] == ["seen"] and not whole
    stop = threading.Event()
    stop.set()
    assert _folders.look(str(many), stop) == ({}, False)
    assert _folders.changes(str(many), {"gone": None}, stop) == {}  # nothing called deleted


def test_a_script_folder_too_big_to_copy_or_link_is_refused(tmp_path):
    for n in range(_folders.MAX_LINKED + 1):
        (tmp_path / str(n)).write_text("")
    with pytest.raises(_folders.TooBig, match="more than 10000 entries"):
        _folders.measure_script_folder(str(tmp_path))
    with pytest.raises(_folders.TooBig):
        _folders.copy_script_folder(str(tmp_path), str(tmp_path.parent / "copy"), "0")


# The command measures the script's folder before any run; a folder that grows past the bounds
# since (others write to /tmp) is copied or linked when its turn comes, never an error mid-run.
# Here every look after the run's first finds it too big.
def test_a_script_folder_that_grew_too_big_is_linked(tmp_path, monkeypatch):
    source = tmp_path / "source"
    source.mkdir()
    (source / "script.py").write_text("print('hi')\n")
    (source / "data.txt").write_text("data\n")
    measure, looks = _folders.measure, []

    def grows(folder):
        looks.append(folder)
        if len(looks) > 2:
            raise _folders.TooBig(f"{folder} grew")
        measure(folder)

    monkeypatch.setattr(_folders, "measure", grows)
    _folders.measure(str(source))  # the command's look
    target = tmp_path / "copy"
    _folders.copy_script_folder(str(source), str(target), "script.py")
    assert (target / "script.py").read_text() == "print('hi')\n"
    assert (target / "data.txt").read_text() == "data\n"

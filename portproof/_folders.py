"""A run's copies of the user's folders, and what the run made, changed or deleted in them.

Each run gets a copy of its script's folder (the script runs from it, so that what it writes
beside itself, by `__file__`, lands in the copy) and, when asked, of a working folder. A copy
holds at most MAX_ENTRIES entries and MAX_BYTES bytes of files, or TooBig is raised before any is
copied; a script's folder past that (/tmp, a home folder) is linked instead: the copy holds the
script and a link to each other entry of the folder (at most MAX_LINKED, or TooBig), so that
modules import and files read as before and a file made beside the script lands in the copy,
while a write to a file that was there reaches the user's. A copy holds folders, regular
files and links only (a FIFO or a device is left out: reading one can block for ever), and no
folder of a version-control system, of a tool's cache or of a virtual environment (SKIPPED, or
any folder holding pyvenv.cfg). A link keeps its target, made absolute when it leads out of
the folder copied, so that it reaches what it reached before.

What a run changed is told by each file's size, modification time and a hash of its first and
last EDGE bytes (the whole file when it is at most 2 * EDGE long), never by reading more of it:
a file of 16 GiB costs what one of 128 KiB does. At most MAX_LOOKED entries, MAX_DEPTH folders
deep, are looked at. Every name is reached through its folder's descriptor, never by a path
the kernel must take whole, so a path longer than PATH_MAX, or a name with any bytes in it, is
read as any other. A stop (`cancel`) ends a copy or a look between two entries.
"""
from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from portproof._trace import HEAD_KEPT, FileState

# A copy's bounds: entries (files, folders and links) and bytes of files.
MAX_ENTRIES = 2000
MAX_BYTES = 64 << 20
# A script's folder too big to copy: at most this many entries linked.
MAX_LINKED = 10000
# Folders never copied: version control, tools' caches, environments (and any with pyvenv.cfg).
SKIPPED = frozenset({".git", ".hg", ".svn", ".tox", ".nox", "__pycache__", ".mypy_cache",
                     ".pytest_cache", ".ruff_cache", "node_modules"})
# Of each file, the bytes at each end that are hashed.
EDGE = HEAD_KEPT
# What a look after a run covers: entries, and folders deep.
MAX_LOOKED = 10000
MAX_DEPTH = 64
_OPEN_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_OPEN_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class TooBig(Exception):
    """A folder holds more than a copy may."""


@dataclass(frozen=True)
class Seen:
    """A regular file as a look found it."""

    size: int
    mtime_ns: int
    digest: str
    head: bytes


def _entries(root_fd: int, cancel=None, skip=frozenset()
             ) -> Iterator[tuple[str, int, str, os.stat_result]]:
    """(relative path, its folder's descriptor, name, lstat) of each entry under the folder
    `root_fd`, a folder before what it holds, at most MAX_DEPTH deep. Each folder is opened by
    its name in its parent, and one at a time is open at each depth: no path is given whole to
    the kernel, and at most MAX_DEPTH descriptors are held. Folders named in `skip` and, when
    `skip` is given, folders holding pyvenv.cfg are passed over. Ends when `cancel` is set."""
    stack = []  # (descriptor, relative path, its entries still to come) of each open folder

    def enter(fd: int, rel: str) -> None:
        try:
            if skip and rel:
                try:
                    os.stat("pyvenv.cfg", dir_fd=fd, follow_symlinks=False)
                    os.close(fd)
                    return
                except OSError:
                    pass
            stack.append((fd, rel, os.scandir(fd)))
        except OSError:  # unreadable
            os.close(fd)

    enter(os.dup(root_fd), "")
    try:
        while stack:
            fd, rel, entries = stack[-1]
            try:
                name = next(entries).name
            except (StopIteration, OSError):
                entries.close()
                os.close(stack.pop()[0])
                continue
            if cancel is not None and cancel.is_set():
                return
            if name in skip:
                continue
            try:
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except OSError:  # gone meanwhile
                continue
            path = os.path.join(rel, name)
            yield path, fd, name, st
            if stat.S_ISDIR(st.st_mode) and len(stack) < MAX_DEPTH:
                try:
                    enter(os.open(name, _OPEN_DIR, dir_fd=fd), path)
                except OSError:
                    continue
    finally:
        for fd, _, entries in stack:
            entries.close()
            os.close(fd)


def _read(dir_fd: int, name: str, size: int) -> tuple[str, bytes] | None:
    """(the hash of the file's size and of its first and last EDGE bytes, its first EDGE
    bytes), or None if it is no regular file now."""
    try:
        fd = os.open(name, _OPEN_FILE, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        head = os.pread(fd, EDGE, 0)
        h = hashlib.sha256(b"%d\n" % size)
        h.update(head)
        if size > EDGE:
            start = max(EDGE, size - EDGE)
            h.update(os.pread(fd, size - start, start))
        return h.hexdigest(), head
    except OSError:
        return None
    finally:
        os.close(fd)


def _open_root(path: str) -> int:
    return os.open(path, _OPEN_DIR)


def measure(folder: str) -> None:
    """Raise TooBig, saying why, if a copy of `folder` would hold more than it may."""
    fd = _open_root(folder)
    try:
        entries = size = 0
        for _, _, _, st in _entries(fd, skip=SKIPPED):
            entries += 1
            if stat.S_ISREG(st.st_mode):
                size += st.st_size
            if entries > MAX_ENTRIES:
                raise TooBig(f"{folder} holds more than {MAX_ENTRIES} files and folders, "
                             "the most portproof copies for a run")
            if size > MAX_BYTES:
                raise TooBig(f"{folder} holds more than {MAX_BYTES >> 20} MiB of files, "
                             "the most portproof copies for a run")
    finally:
        os.close(fd)


def measure_script_folder(folder: str) -> None:
    """Raise TooBig, saying why, if a run can neither copy nor link the script's `folder`."""
    try:
        measure(folder)
    except TooBig:
        with os.scandir(folder) as entries:
            if sum(1 for _ in entries) > MAX_LINKED:
                raise TooBig(f"{folder} holds more than {MAX_LINKED} entries, the most "
                             "portproof links to for a run") from None


def copy_script_folder(source: str, target: str, script: str, cancel=None) -> dict[str, Seen]:
    """copy() the script's folder `source` to `target`, or, if it is too big to copy, make
    `target` hold a copy of `script` (a name in `source`) and a link to each other entry."""
    try:
        # copy() measures first, and makes nothing if it is too big: a folder that grew past
        # the bounds since the command measured it (others write to /tmp) is linked instead.
        return copy(source, target, cancel)
    except TooBig:
        pass
    os.mkdir(target)
    src_root, dst_root = _open_root(source), _open_root(target)
    try:
        with os.scandir(src_root) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_LINKED:
                    raise TooBig(f"{source} holds more than {MAX_LINKED} entries, the most "
                                 "portproof links to for a run")
                if cancel is not None and cancel.is_set():
                    break
                if entry.name == script and not entry.is_symlink():
                    _copy_file(src_root, dst_root, script,
                               os.stat(script, dir_fd=src_root, follow_symlinks=False))
                else:
                    os.symlink(os.path.join(source, entry.name), entry.name, dir_fd=dst_root)
    finally:
        os.close(src_root)
        os.close(dst_root)
    return look(target, cancel)[0]


def copy(source: str, target: str, cancel=None) -> dict[str, Seen]:
    """Copy the folder `source` to the new folder `target` (its parent must exist), within the
    bounds; return what the copy holds, as look() sees it."""
    measure(source)
    os.mkdir(target)
    src_root, dst_root = _open_root(source), _open_root(target)
    targets = {"": dst_root}  # relative path of a folder -> its copy's descriptor
    try:
        for rel, src_fd, name, st in _entries(src_root, cancel, skip=SKIPPED):
            dst_fd = targets.get(os.path.dirname(rel))
            if dst_fd is None:  # its folder was not copied
                continue
            try:
                if stat.S_ISDIR(st.st_mode):
                    os.mkdir(name, stat.S_IMODE(st.st_mode) | 0o700, dir_fd=dst_fd)
                    targets[rel] = os.open(name, _OPEN_DIR, dir_fd=dst_fd)
                elif stat.S_ISLNK(st.st_mode):
                    link = os.readlink(name, dir_fd=src_fd)
                    inside = os.path.normpath(os.path.join(os.path.dirname(rel), link))
                    if os.path.isabs(link) or inside == os.pardir or inside.startswith(
                            os.pardir + os.sep):
                        link = os.path.join(source, os.path.dirname(rel), link)
                    os.symlink(link, name, dir_fd=dst_fd)
                elif stat.S_ISREG(st.st_mode):
                    _copy_file(src_fd, dst_fd, name, st)
            except OSError:  # unreadable, or gone meanwhile: not in the copy
                continue
    finally:
        for fd in targets.values():
            os.close(fd)
        os.close(src_root)
    return look(target, cancel)[0]


def _copy_file(src_fd: int, dst_fd: int, name: str, st: os.stat_result) -> None:
    source = os.open(name, _OPEN_FILE, dir_fd=src_fd)
    try:
        if not stat.S_ISREG(os.fstat(source).st_mode):
            return
        target = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC,
                         stat.S_IMODE(st.st_mode) | 0o600, dir_fd=dst_fd)
        try:
            copied = 0  # no more than its size when measured: a file may grow meanwhile
            while copied < st.st_size:
                sent = os.sendfile(target, source, copied, min(1 << 20, st.st_size - copied))
                if not sent:
                    break
                copied += sent
            os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        finally:
            os.close(target)
    finally:
        os.close(source)


def look(folder: str, cancel=None) -> tuple[dict[str, Seen], bool]:
    """The regular files under `folder`, as {relative path: Seen}, and whether every entry was
    looked at (not so when there are more than MAX_LOOKED, or deeper than MAX_DEPTH, or
    `cancel` was set)."""
    seen: dict[str, Seen] = {}
    try:
        fd = _open_root(folder)
    except OSError:  # the run removed it
        return seen, True
    whole = True
    try:
        for count, (rel, dir_fd, name, st) in enumerate(_entries(fd, cancel)):
            if count >= MAX_LOOKED:
                whole = False
                break
            if stat.S_ISDIR(st.st_mode) and rel.count(os.sep) + 1 >= MAX_DEPTH:
                whole = False
            if not stat.S_ISREG(st.st_mode):
                continue
            read = _read(dir_fd, name, st.st_size)
            if read is not None:
                seen[rel] = Seen(st.st_size, st.st_mtime_ns, *read)
    finally:
        os.close(fd)
    return seen, whole and not (cancel is not None and cancel.is_set())


def changes(folder: str, before: dict[str, Seen], cancel=None) -> dict[str, FileState]:
    """What the run made, changed or deleted in `folder`, which held `before` when it began:
    a file is unchanged when its size, modification time and hash are as they were. A file is
    called deleted only when the look covered the whole folder."""
    after, whole = look(folder, cancel)
    changed = {}
    for rel, now in sorted(after.items()):
        was = before.get(rel)
        if was is not None and (was.size, was.mtime_ns, was.digest) == (
                now.size, now.mtime_ns, now.digest):
            continue
        changed[rel] = FileState(now.size, now.digest, now.head)
    if whole:
        for rel in sorted(set(before) - set(after)):
            changed[rel] = FileState(-1)
    return changed


def clear(folder: str) -> None:
    """Remove everything in `folder`, however deep (shutil.rmtree recurses once per level
    before Python 3.13, and a subject can nest folders past the recursion limit): each folder
    one level down is emptied into `folder`, its folders moved up by name, until none is left.
    Two descriptors open at a time; what cannot be removed is left."""
    try:
        root = _open_root(folder)
    except OSError:
        return
    moved = 0
    try:
        while True:
            inner = []
            with os.scandir(root) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        inner.append(entry.name)
                    else:
                        _unlink(root, entry.name)
            if not inner:
                return
            for name in inner:
                try:
                    fd = os.open(name, _OPEN_DIR, dir_fd=root)
                except OSError:
                    continue
                try:
                    with os.scandir(fd) as entries:
                        for entry in entries:
                            if entry.is_dir(follow_symlinks=False):
                                moved += 1
                                _move(fd, entry.name, root, f".portproof-{moved}")
                            else:
                                _unlink(fd, entry.name)
                finally:
                    os.close(fd)
                try:
                    os.rmdir(name, dir_fd=root)
                except OSError:  # not empty after all (something wrote in it): left
                    return
    except OSError:
        return
    finally:
        os.close(root)


def _unlink(dir_fd: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass


def _move(src_fd: int, name: str, dst_fd: int, new: str) -> None:
    try:
        os.rename(name, new, src_dir_fd=src_fd, dst_dir_fd=dst_fd)
    except OSError:
        pass

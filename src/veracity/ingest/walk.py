"""Listing a source folder without ever leaving it or touching what is in it.

Links are recorded, never followed (a link is how a hostile folder points a tool at the rest of
the disk), and special files (FIFOs, devices, sockets) are recorded without being opened, since
opening a FIFO blocks forever.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    """A regular file of the source."""

    path: str  # relative to the source root, '/'-separated
    disk_path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Skipped:
    """Something at a path that is not read: a link, a special file, an unreadable folder."""

    path: str
    kind: str
    message: str


def readable_name(name: str) -> str:
    """A file name as text even when it is not UTF-8 on disk (GBK names from Windows are common)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")
    return name


def walk(root: str) -> Iterator[Found | Skipped]:
    """Every entry under `root` (a folder, or a single file), in a stable sorted order."""
    st = os.lstat(root)
    if stat.S_ISREG(st.st_mode):
        yield Found(readable_name(os.path.basename(root)), root, st.st_size, st.st_mtime_ns)
        return
    yield from _walk_dir(root, "")


def _walk_dir(disk_dir: str, rel_dir: str) -> Iterator[Found | Skipped]:
    try:
        with os.scandir(disk_dir) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(rel_dir or ".", "unreadable", f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        name = readable_name(entry.name)
        rel = f"{rel_dir}/{name}" if rel_dir else name
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield Skipped(rel, "unreadable", f"cannot stat: {exc.strerror or exc}")
            continue
        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.readlink(entry.path)
            except OSError:
                target = "?"
            yield Skipped(rel, "link", f"symbolic link to {target!r} not followed")
        elif stat.S_ISDIR(st.st_mode):
            yield from _walk_dir(entry.path, rel)
        elif stat.S_ISREG(st.st_mode):
            yield Found(rel, entry.path, st.st_size, st.st_mtime_ns)
        else:
            yield Skipped(rel, "refused", "special file (device, FIFO or socket) not opened")

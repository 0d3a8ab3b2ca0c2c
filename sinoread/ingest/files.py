"""Finding a corpus's article files: a walk that never leaves the folder, follows a link
once, keeps only regular files, and gives each file a stable id in a stable order."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sinoread.ingest.sanitize import sanitize
from sinoread.models import Problem

EXTENSIONS = (".txt", ".md")


@dataclass(frozen=True)
class SourceFile:
    """A candidate article on disk, with what incremental indexing compares."""

    id: str
    path: str
    mtime_ns: int
    size: int
    device: int = 0
    inode: int = 0
    """The scanned file's identity: what is opened must be this file, or it is skipped."""
    target: str = ""
    """For a link inside the corpus, the file it resolves to (what is opened); else empty."""


_KIND = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


def not_regular(mode: int) -> str:
    """Why a special file (a FIFO, a device) is not opened."""
    return f"not a regular file ({_KIND.get(stat.S_IFMT(mode), 'a special file')}): not opened"


def is_inside(real: str, top_real: str) -> bool:
    """True if the resolved path `real` is the folder `top_real` or lies under it."""
    return real == top_real or real.startswith(top_real.rstrip(os.sep) + os.sep)


def scan(root: str | Path, unlisted: list[str] | None = None) -> tuple[list[SourceFile], list[Problem]]:
    """Every .txt/.md under `root`, sorted as a walk of the tree (a folder's files, then its
    subfolders), plus a Problem for each file skipped and why.

    The walk keeps its own stack (a tree of any depth), never leaves the corpus (a link that
    resolves outside it is reported, not followed; `root` itself may be a link) and follows
    a link inside the corpus once: after the real files, and only to a file or folder not
    already reached. Only regular files are kept."""
    root_s = os.path.abspath(root)
    try:
        top_real = os.path.realpath(root_s)
        top_stat = os.stat(top_real)
    except (OSError, ValueError):
        return [], [Problem(root_s, "corpus folder not found; pass --corpus DIR")]
    if not stat.S_ISDIR(top_stat.st_mode):
        return [], [Problem(root_s, "corpus folder not found (not a folder); pass --corpus DIR")]
    files: list[SourceFile] = []
    problems: list[Problem] = []
    ids: set[str] = set()
    reached: set[tuple[int, int]] = set()
    folders: set[tuple[int, int]] = {(top_stat.st_dev, top_stat.st_ino)}
    links: list[tuple[str, str]] = []  # (path, relative), followed after every real file
    top = root_s.rstrip(os.sep) + os.sep

    def keep(path: str, st: os.stat_result, target: str = "") -> None:
        key = (st.st_dev, st.st_ino)
        if key in reached:
            return  # a second name for a file already kept (a link, a hard link)
        reached.add(key)
        relative = path[len(top):]
        art_id = article_id(relative)
        if art_id in ids:  # `a.txt` beside `a.md`: the second keeps its extension
            art_id = article_id(relative, keep_extension=True)
        base, n = art_id, 1
        while art_id in ids:  # names that differ only in what sanitizing drops or escapes
            n += 1
            art_id = f"{base}~{n}"
        ids.add(art_id)
        files.append(SourceFile(art_id, path, st.st_mtime_ns, st.st_size, st.st_dev, st.st_ino, target))

    def walk(start: str) -> None:
        stack = [start]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                problems.append(Problem(folder, f"cannot list folder ({exc.strerror})"))
                if unlisted is not None:  # its articles are not gone: an update keeps them
                    unlisted.append(folder)
                continue
            base = folder.rstrip(os.sep) + os.sep
            subfolders = []
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                path = base + name
                try:
                    if entry.is_symlink():
                        links.append((path, name))
                    elif entry.is_dir(follow_symlinks=False):
                        if name.lower().endswith(EXTENSIONS):
                            problems.append(Problem(path, "is a directory, not an article"))
                        st = entry.stat(follow_symlinks=False)
                        if (st.st_dev, st.st_ino) not in folders:
                            folders.add((st.st_dev, st.st_ino))
                            subfolders.append(path)
                    elif name.lower().endswith(EXTENSIONS):
                        st = entry.stat(follow_symlinks=False)
                        if stat.S_ISREG(st.st_mode):
                            keep(path, st)
                        else:
                            problems.append(Problem(path, not_regular(st.st_mode)))
                except OSError as exc:
                    problems.append(Problem(path, f"cannot read ({exc.strerror})"))
            stack.extend(reversed(subfolders))

    walk(root_s)
    while links:  # links last, so a file keeps its own path as its id
        pending, links = links, []
        for path, name in pending:
            try:
                real = os.path.realpath(path, strict=True)
            except OSError as exc:
                if name.lower().endswith(EXTENSIONS):
                    reason = "a link in a loop" if exc.errno == errno.ELOOP else "a broken link"
                    problems.append(Problem(path, f"{reason}: skipped"))
                continue
            if not is_inside(real, top_real):
                problems.append(Problem(path, f"a link to {real}, outside the corpus folder: not followed"))
                continue
            try:
                st = os.stat(real, follow_symlinks=False)
            except OSError as exc:
                problems.append(Problem(path, f"cannot read ({exc.strerror})"))
                continue
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) not in folders:  # a folder not reached otherwise (hidden)
                    folders.add((st.st_dev, st.st_ino))
                    walk(path)
            elif not name.lower().endswith(EXTENSIONS):
                continue
            elif stat.S_ISREG(st.st_mode):
                keep(path, st, target=real)
            else:
                problems.append(Problem(path, not_regular(st.st_mode)))
    files.sort(key=lambda f: walk_order(f.path[len(top):]))
    return files, problems


def walk_order(relative: str, sep: str = os.sep) -> list[tuple[int, str]]:
    """Sort key of the walk's order: a folder's files before its subfolders, each sorted."""
    *folders, name = relative.split(sep)
    return [(1, f) for f in folders] + [(0, name)]


def article_id(relative: str, keep_extension: bool = False) -> str:
    """The id of the file at `relative` (to the corpus folder): its path without extension,
    `/`-separated (`business/001`), so same-named files in section folders are all kept."""
    if not keep_extension:
        relative = relative.rpartition(".")[0] or relative
    return sanitize(relative.replace(os.sep, "/"))


def inside_corpus(path: str, corpus: str | Path) -> bool:
    """True if `path` resolves to something inside the corpus folder."""
    try:
        return is_inside(os.path.realpath(path, strict=True), os.path.realpath(corpus, strict=True))
    except OSError:
        return False

"""The index folder: crash-safe generations, their listing and overview files, the lock, and
the trust checks made before Whoosh reads anything (Whoosh through `engine`).

Layout of an index folder:
    CURRENT       JSON naming the live generation, written atomically (os.replace)
    lock          flock()ed by the one writer; the kernel drops it if the writer dies
    gen-000007/   a complete Whoosh index

A full build writes a new generation and only then points CURRENT at it, so a kill
leaves the previous index readable. Incremental updates commit inside the live
generation, which Whoosh makes all-or-nothing (its table of contents is written last).
The index is a cache: anything unreadable is rebuilt from the corpus.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import platformdirs

from sinoread import engine
from sinoread.config import Config
from sinoread.indexing.documents import SCHEMA_VERSION, ListEntry, first_of, first_plain
from sinoread.indexing.errors import IndexBusy, IndexUntrusted, IndexUnusable
from sinoread.models import Analysis, Article, ArticleRow, to_plain

MARKER = ".sinoread-index"
"""Written in every index folder and generation sinoread creates: nothing unmarked is ever
deleted, and a folder with other content is refused."""
GEN_NAME = re.compile(r"gen-\d{6}")


def _is_generation(name: Any) -> bool:
    return isinstance(name, str) and GEN_NAME.fullmatch(name) is not None


def check_trusted(path: Path) -> None:
    """Refuse an index folder (or generation) that another user owns or that group or others
    can write: Whoosh unpickles what is in it. Decided by st_mode and st_uid, so it holds for
    root too."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise IndexUnusable(f"cannot read the index folder {path} ({exc.strerror})") from None
    import stat as stat_

    if stat_.S_ISLNK(st.st_mode):
        raise IndexUntrusted(f"the index folder {path} is a symbolic link; point --index at the real folder")
    if st.st_uid != os.geteuid():
        raise IndexUntrusted(
            f"the index folder {path} belongs to another user (uid {st.st_uid}); an index is code it runs: "
            "use a folder of your own with --index DIR, or remove this one"
        )
    if st.st_mode & 0o022:
        raise IndexUntrusted(
            f"the index folder {path} is writable by other users (mode {st.st_mode & 0o777:04o}); an index is "
            f"code it runs: run `chmod go-w {path}` (sinoread makes its folders 0700) or use another --index DIR"
        )


def default_index_dir(corpus: str | Path) -> Path:
    key = hashlib.sha1(str(Path(corpus).resolve()).encode()).hexdigest()[:12]
    return Path(platformdirs.user_cache_dir("sinoread")) / f"index-{key}"


OVERVIEW = "overview.json"
"""What the reader's first frame needs: the newest rows, the count and the newest article."""
LISTING = "articles.json"
"""Every article's row and file stamp: the full list, and what an update compares against."""
OVERVIEW_HEAD = 1000
"""Rows in the overview: more than a first screen lists (100,000 take half a second to parse)."""


@dataclass(frozen=True)
class Overview:
    """What the reader's first frame needs, read without Whoosh and without the full list."""

    total: int
    """Articles in the index."""
    head: tuple[ArticleRow, ...]
    """The newest rows (OVERVIEW_HEAD at most), newest first."""
    first: tuple[Article, Analysis] | None
    """The newest article, to show before the index is open."""


@dataclass(frozen=True)
class Listing:
    """Every article of a generation, and what its build remembers for the next update."""

    articles: tuple[ListEntry, ...]
    """Newest first."""
    skipped: dict[str, list[Any]] = field(default_factory=dict)
    """File (by `json_path`) -> [mtime_ns, size, reason]: not read again until it changes.
    As read from disk: an update checks each list before trusting it."""
    learned: tuple[str, ...] = ()
    """The learned names its articles were analysed with."""


def _read_json(path: Path, toc: int) -> dict[str, Any] | None:
    """A generation's JSON file, if it was written for Whoosh's latest commit `toc` (as read:
    the callers check each part before they use it)."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("toc") != toc:
        return None
    return data


def _read_overview(gen_dir: Path) -> Overview | None:
    data = _read_json(gen_dir / OVERVIEW, engine.commit_number(gen_dir))
    if data is None:
        return None
    head, first, total = data.get("head"), data.get("first"), data.get("total")
    if not isinstance(head, list) or not isinstance(first, (dict, type(None))) or not isinstance(total, int):
        return None
    if not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in head):
        return None
    newest = None if first is None else first_of(first)
    if first is not None and newest is None:
        return None  # not what sinoread wrote: the index itself is read instead
    return Overview(total, tuple(ArticleRow.from_plain(e) for e in head), newest)


def read_listing(gen_dir: Path) -> Listing | None:
    data = _read_json(gen_dir / LISTING, engine.commit_number(gen_dir))
    if data is None:
        return None
    articles = data.get("articles")
    if not isinstance(articles, list):
        return None
    if not all(isinstance(e, dict) and isinstance(e.get("id"), str) and isinstance(e.get("stamp"), list)
               for e in articles):
        return None
    skipped, learned = data.get("skipped"), data.get("learned")
    return Listing(
        tuple(ListEntry.from_plain(e) for e in articles),
        {k: v for k, v in skipped.items() if isinstance(v, list)} if isinstance(skipped, dict) else {},
        tuple(sorted(n for n in learned if isinstance(n, str))) if isinstance(learned, list) else (),
    )


BUILDING = "BUILDING"
"""Marks a generation whose full build has not finished; it holds what the build is for."""


@dataclass
class IndexFolder:
    """One corpus's index folder: where its live generation is, and who may write it."""

    root: Path
    corpus: Path
    cfg: Config

    # -- locations --

    def _current(self) -> dict[str, Any] | None:
        """CURRENT, if it is ours: a mapping naming generation folders of this index only
        (`gen: ../..` would read and write other folders)."""
        try:
            cur = json.loads((self.root / "CURRENT").read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(cur, dict) or not _is_generation(cur.get("gen")):
            return None
        if cur.get("previous") is not None and not _is_generation(cur.get("previous")):
            cur["previous"] = None
        return cur

    def _compatible(self, cur: dict[str, Any] | None) -> bool:
        return bool(
            cur
            and cur.get("schema") == SCHEMA_VERSION
            and cur.get("config") == self.cfg.digest
            and cur.get("corpus") == str(self.corpus.resolve())
            and cur.get("byteorder") == sys.byteorder
            and (self.root / cur.get("gen", "")).is_dir()
        )

    def current_generation(self) -> str | None:
        """Name of the live generation folder: cheap to poll, no index is opened."""
        cur = self._current()
        return cur.get("gen") if cur else None

    def is_current(self) -> bool:
        """True when an index exists for this corpus, schema and config."""
        return self._compatible(self._current())

    def overview(self) -> Overview | None:
        """The live generation's newest rows, article count and newest article.

        None when missing or older than the index (a writer died between commit and overview):
        callers then read the index itself."""
        gen_dir = self._live_dir()
        return None if gen_dir is None else _read_overview(gen_dir)

    def listing(self) -> Listing | None:
        """Every article's list row with its file stamp; None like overview()."""
        gen_dir = self._live_dir()
        return None if gen_dir is None else read_listing(gen_dir)

    def _live_dir(self) -> Path | None:
        cur = self._current()
        return self.root / cur["gen"] if cur is not None and self._compatible(cur) else None

    def _write_overview(self, gen_dir: Path, ordered: list[ListEntry], first: tuple[Article, Analysis] | None,
                        skipped: dict[str, list[Any]] | None = None, learned: list[str] | None = None) -> None:
        """The full listing (`ordered` newest first, with the files it could not index and why,
        by their stamps), then the overview; each names the commit it describes."""
        toc = engine.commit_number(gen_dir)
        head = [to_plain(e.row) for e in ordered[:OVERVIEW_HEAD]]
        files = {n: os.stat(gen_dir / n).st_size for n in os.listdir(gen_dir) if engine.is_index_file(n)}
        newest = None if first is None else first_plain(*first)
        for name, data in ((LISTING, {"toc": toc, "articles": [e.plain for e in ordered],
                                      "skipped": skipped or {}, "learned": learned or []}),
                           (OVERVIEW, {"toc": toc, "total": len(ordered), "head": head, "first": newest,
                                       "files": files})):
            tmp = gen_dir / f"{name}.tmp-{os.getpid()}"
            tmp.write_bytes(orjson.dumps(data))
            os.replace(tmp, gen_dir / name)

    def open_generation(self, name: str) -> Any:
        """A generation a full build is still writing (named by `on_commit`): what it has
        committed so far, for a reader to search while the build goes on."""
        if not re.fullmatch(r"gen-\d{6}", name):
            raise IndexUnusable(f"{name!r} is not a generation of {self.root}")
        check_trusted(self.root / name)
        try:
            return engine.open_index(str(self.root / name))
        except engine.UnsupportedWhoosh:
            raise
        except Exception as exc:
            raise IndexUnusable(f"the build in {self.root / name} cannot be read yet ({type(exc).__name__})") from None

    def open(self) -> Any:
        """The live Whoosh index; IndexUnusable if there is none (build one first)."""
        cur = self._current()
        if not self._compatible(cur):
            raise IndexUnusable(f"no current index in {self.root}; run `sinoread index`")
        assert cur is not None
        gen_dir = self.root / cur["gen"]
        check_trusted(self.root)
        check_trusted(gen_dir)
        damage = self._damage(gen_dir)
        if damage:
            raise IndexUnusable(f"the index in {self.root} is damaged ({damage}); run `sinoread index` to repair it")
        try:
            return engine.open_index(str(gen_dir))
        except engine.UnsupportedWhoosh:  # not the index's fault: say what to install
            raise
        except Exception as exc:  # Whoosh raises EOFError, struct.error, UnpicklingError...
            raise IndexUnusable(
                f"the index in {self.root} is damaged ({type(exc).__name__}: {exc}); run `sinoread index` to repair it"
            ) from None

    @staticmethod
    def _damage(gen_dir: Path) -> str | None:
        """What is wrong with a generation's files, by the sizes its last commit recorded."""
        data = _read_json(gen_dir / OVERVIEW, engine.commit_number(gen_dir))  # small: not the full listing
        if data is None or not isinstance(data.get("files"), dict):
            return None  # no record (an older index): Whoosh's own reading is the check
        for name, size in data["files"].items():
            try:
                actual = os.stat(gen_dir / name).st_size
            except OSError:
                return f"{name} is missing"
            if actual != size:
                return f"{name} has {actual:,} bytes, not the {size:,} written"
        return None

    # -- locking --

    def _claim(self) -> None:
        """Make the index folder (0700, marked as ours), or accept an existing one only if it
        is ours: marked, empty, or an index an older sinoread wrote (CURRENT and lock)."""
        root = self.root
        if not root.exists():
            try:
                root.mkdir(parents=True, mode=0o700)
            except FileExistsError:
                pass  # another sinoread made it a moment ago (two indexers at once): checked below
            else:
                (root / MARKER).write_text("sinoread index folder: everything in it is a cache\n")
                return
        check_trusted(root)
        if (root / MARKER).exists():
            return
        names = set(os.listdir(root))
        if MARKER in names:
            return  # written by another sinoread since the check above
        legacy = "CURRENT" in names and self._current() is not None  # written by sinoread before markers
        if names and not legacy:
            raise IndexUnusable(
                f"{root} is not empty and sinoread did not make it ({len(names)} item(s) in it); "
                "sinoread never writes into or deletes from a folder of yours: choose an empty or new "
                "folder with --index DIR or SINOREAD_INDEX"
            )
        (root / MARKER).write_text("sinoread index folder: everything in it is a cache\n")

    @contextmanager
    def _locked(self, wait: float) -> Iterator[None]:
        try:
            self._claim()
            fd = os.open(self.root / "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            raise IndexUnusable(
                f"cannot write the index folder {self.root} ({exc.strerror}); "
                "choose another with --index DIR or SINOREAD_INDEX"
            ) from None
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise IndexBusy(
                            f"the index {self.root} is busy: another `sinoread index` is writing it; "
                            "try again when it finishes"
                        ) from None
                    time.sleep(0.1)
            yield
        finally:
            os.close(fd)

    # -- generations --

    def _remove_leftovers(self, keep: Path | None = None) -> None:
        """Generations a killed build left half-written (only the writer, holding the lock,
        may do this); the live generation and the one before it, which a reader may still
        have open, stay, and so does `keep`, a build about to be resumed."""
        cur = self._current()
        kept = {cur.get("gen"), cur.get("previous")} if cur else set()
        if keep is not None:
            kept.add(keep.name)
        for gen in self.root.glob("gen-*"):
            if gen.name not in kept and _is_generation(gen.name) and (gen / MARKER).is_file() \
                    and not gen.is_symlink():
                shutil.rmtree(gen, ignore_errors=True)
        for tmp in self.root.glob("CURRENT.tmp-*"):
            tmp.unlink(missing_ok=True)

    def _build_key(self) -> dict[str, str | int]:
        # The postings' arrays are in this machine's byte order (sinoread.engine.postings).
        return {"schema": SCHEMA_VERSION, "config": self.cfg.digest, "corpus": str(self.corpus.resolve()),
                "byteorder": sys.byteorder}

    def _resumable(self) -> Path | None:
        """The newest unfinished full build made for this corpus, schema and config whose
        last batch committed (its listing matches Whoosh's commit counter)."""
        cur = self._current() or {}
        live = {cur.get("gen"), cur.get("previous")}
        for gen_dir in sorted(self.root.glob("gen-*"), reverse=True):
            if gen_dir.name in live:
                continue
            try:
                key = json.loads((gen_dir / BUILDING).read_text())
            except (OSError, ValueError):
                continue
            if key == self._build_key() and read_listing(gen_dir) is not None:
                return gen_dir
        return None

    def _write_current(self, gen: str, previous: str | None) -> None:
        tmp = self.root / f"CURRENT.tmp-{os.getpid()}"
        with open(tmp, "w") as fh:
            json.dump({"gen": gen, "previous": previous, **self._build_key()}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / "CURRENT")

"""The index: full and incremental builds, crash-safe generations, locking (Whoosh through `engine`).

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
import itertools
import json
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import platformdirs

from sinoread import engine
from sinoread.config import Config, load_config
from sinoread.extract.learning import learned_names, taught
from sinoread.extract.trie import trie_pattern
from sinoread.ingest.fold import fold
from sinoread.models import IndexReport, Problem, analysis_to_plain, newest_first

if TYPE_CHECKING:
    from sinoread.ingest.files import SourceFile

SCHEMA_VERSION = 10
"""Bump when fields, ids, extraction output or where a pickled schema class lives change:
older indexes are rebuilt. 9: ids are relative paths (`business/001`). 10: the schema's
classes moved to `sinoread.engine` (Whoosh pickles their module paths)."""

class IndexUnusable(Exception):
    """The index cannot be used; the message says what to do."""


class IndexBusy(IndexUnusable):
    pass


class IndexUntrusted(IndexUnusable):
    """The index folder could have been written by someone else: it is not opened."""


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


class CorpusMissing(IndexUnusable):
    """The corpus folder is gone (renamed, deleted, unmounted): the index is kept as it is."""


def slug(country: str) -> str:
    """`United States` -> `united_states`: one token, and `-` stays free to join a pair."""
    return country.lower().replace(" ", "_").replace("-", "_")


def pair_slug(a: str, b: str) -> str:
    x, y = sorted((slug(a), slug(b)))
    return f"{x}-{y}"


def default_index_dir(corpus: str | Path) -> Path:
    key = hashlib.sha1(str(Path(corpus).resolve()).encode()).hexdigest()[:12]
    return Path(platformdirs.user_cache_dir("sinoread")) / f"index-{key}"


# --- documents ------------------------------------------------------------------------

_worker_cfg: Config | None = None


_SERVICES_LOCK = threading.Lock()


def _pool_context() -> Any:
    """The forkserver context, with its helper processes running.

    Python starts the resource tracker and the forkserver with `sys.stderr.fileno()`; under
    the reader, `sys.stderr` is Textual's capture, whose fileno() is -1, and the pool's start
    failed with "bad value(s) in fds_to_keep". They are started here with a real file instead:
    the failure log, so nothing they print lands on the reader's screen."""
    import multiprocessing
    from multiprocessing import forkserver

    with _SERVICES_LOCK:
        try:
            usable = sys.stderr is not None and sys.stderr.fileno() >= 0
        except (AttributeError, OSError, ValueError):
            usable = False
        if usable:
            forkserver.ensure_running()
        else:
            from sinoread.failures import log_path

            saved = sys.stderr
            path = log_path()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                sink = open(path, "a", encoding="utf-8")  # noqa: SIM115 (closed below)
            except OSError:
                sink = open(os.devnull, "w")  # noqa: SIM115
            try:
                sys.stderr = sink
                forkserver.ensure_running()
            finally:
                sys.stderr = saved
                sink.close()
    return multiprocessing.get_context("forkserver")


_worker_learned: dict[str, Any] | None = None


def _init_worker(config_path: str, parent: int, stderr_to: str | None = None,
                 learned: dict[str, Any] | None = None) -> None:
    global _worker_cfg, _worker_learned
    _worker_learned = learned
    if stderr_to is not None:  # under the reader: nothing a worker prints may reach its screen
        with suppress(OSError):
            fd = os.open(stderr_to, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.dup2(fd, 2)
            os.close(fd)
    _worker_cfg = load_config(config_path)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    """End this worker once the indexing process is gone: after a `kill -9` the pool's
    workers (children of the forkserver, not of the indexer) would otherwise wait forever."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(parent, 0)
        except (ProcessLookupError, PermissionError):  # gone, or its pid reused by another user
            os._exit(1)


def _worker_stderr() -> str | None:
    """Where pool workers write stderr: the failure log when ours is not a real file (the reader)."""
    try:
        if sys.stderr is not None and sys.stderr.fileno() >= 0:
            return None
    except (AttributeError, OSError, ValueError):
        pass
    from sinoread.failures import log_path

    return str(log_path())


TRANSIENT = ("cannot read", "vanished", "replaced by another file", "became a link", "analysis ran past",
             "too large to analyse")
"""Reasons a file may not give next time (permissions, a busy machine): never remembered."""

POOL_FROM = 64
"""From this many files to prepare, a build uses a process per core (below, starting them costs more)."""


def _prepare_in_worker(source: SourceFile) -> dict[str, Any] | Problem:
    assert _worker_cfg is not None
    return prepare(source, _worker_cfg, _worker_learned)


def _prepare_batch_in_worker(sources: list[SourceFile]) -> list[dict[str, Any] | Problem]:
    return [_prepare_in_worker(s) for s in sources]


def _bounded_map(pool: Any, files: list[SourceFile], window: int, chunk: int = 16) -> Iterator[dict[str, Any] | Problem]:
    """`pool.map` in order, with at most `window` chunks in flight: `Executor.map` submits
    everything at once, and prepared articles then pile up in memory whenever the
    writer is slower than the workers (hundreds of MB at 20,000 articles)."""
    from collections import deque

    chunks = (files[i:i + chunk] for i in range(0, len(files), chunk))
    pending = deque(pool.submit(_prepare_batch_in_worker, c) for c in itertools.islice(chunks, window))
    while pending:
        done = pending.popleft().result()
        for c in itertools.islice(chunks, 1):
            pending.append(pool.submit(_prepare_batch_in_worker, c))
        yield from done


def prepare(source: SourceFile, cfg: Config, learned: dict[str, Any] | None = None) -> dict[str, Any] | Problem:
    """Read, clean and analyse one file into the document Whoosh stores, or a Problem.
    `learned`: names other articles taught (sinoread.extract.learning)."""
    from sinoread.extract.analysis import analyse
    from sinoread.extract.budget import PatternTimeout, article_budget
    from sinoread.extract.budget import article_seconds as _article_seconds
    from sinoread.ingest.corpus import parse_article
    from sinoread.ingest.reading import ArticleError

    try:
        with article_budget():
            article = parse_article(source, cfg)
            result = analyse(article.text, cfg, article.date, learned)
            kinds = _all_kinds(result, cfg)
    except ArticleError as exc:
        return Problem(source.path, str(exc))
    except PatternTimeout as exc:
        seconds = _article_seconds()
        if exc.pattern:
            return Problem(source.path, f"analysis ran past its {seconds:g} s budget in the config pattern "
                                        f"{exc.where} ({exc.pattern[:80]!r}); skipped: simplify that pattern")
        return Problem(source.path, f"analysis ran past its {seconds:g} s budget while {exc.where}; skipped")
    except (MemoryError, RecursionError) as exc:
        return Problem(source.path, f"too large to analyse ({type(exc).__name__})")
    countries = result.countries()
    people_orgs = {m.name for m in result.mentions if m.kind in ("person", "organization")}
    pair_tokens, coop, tension, agreement_pairs = [], [], [], []
    for p in result.pairs:
        token = pair_slug(*p.countries)
        pair_tokens += [token] * len(p.sentences)
        coop += [token] * p.cooperation
        tension += [token] * p.tension
        agreement_pairs += [token] * p.agreements
    doc: dict[str, Any] = dict(
        id=article.id,
        path=article.path,
        mtime_ns=source.mtime_ns,
        size=source.size,
        title=article.title or "",
        author=article.author or "",
        source=article.source or "",
        date_iso=article.date,
        url=article.url,
        body=article.text,
        country=" ".join(slug(c) for c in countries),
        actor="\n".join(sorted(people_orgs)),
        pair=" ".join(pair_tokens),
        pair_coop=" ".join(coop),
        pair_tension=" ".join(tension),
        pair_agreement=" ".join(agreement_pairs),
        kind=" ".join(kinds),
        status=" ".join(a.status for a in result.agreements),
        tone=" ".join(sorted({p.tone for p in result.pairs})),
        analysis=json.dumps(analysis_to_plain(result), ensure_ascii=False, separators=(",", ":")),
        countries=list(countries.items()),
        _postings={"title": engine.file_postings("title", article.title or ""),
                   "body": engine.file_postings("body", article.text)},
        _taught=taught(result),
    )
    if article.date:
        doc["date"] = datetime.fromisoformat(article.date)
    return doc


def _all_kinds(result: Any, cfg: Config) -> list[str]:
    """Every kind an agreement sentence speaks of, so `kind:patrol` finds "joint patrol plans"
    even where "communication channels" made the agreement a hotline."""
    kinds = []
    for a in result.agreements:
        kinds.append(a.kind)
        folded = fold(a.sentence)
        kinds += [k.label for k in cfg.kinds if k.pattern.search(folded) and k.label != a.kind]
    return kinds


# --- the index ------------------------------------------------------------------------

ProgressFn = Callable[[int, int, str], None]
DocumentFn = Callable[[dict[str, Any]], None]


def row_of(doc: dict[str, Any]) -> dict[str, Any]:
    """The list row of a stored or freshly prepared document."""
    return {
        "id": doc["id"], "title": doc.get("title") or None, "author": doc.get("author") or None,
        "source": doc.get("source") or None, "date": doc.get("date_iso"),
        "countries": [c for c, _ in doc.get("countries") or []],
    }


OVERVIEW = "overview.json"
"""What the reader's first frame needs: the newest rows, the count and the newest article."""
LISTING = "articles.json"
"""Every article's row and file stamp: the full list, and what an update compares against."""
OVERVIEW_HEAD = 1000
"""Rows in the overview: more than a first screen lists (100,000 take half a second to parse)."""


def json_path(path: str) -> str:
    """A path as JSON can hold it: a name's undecodable bytes (kept by Python as lone
    surrogates) written as `\\xe9`. Only compared and shown, never opened."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def _list_entry(doc: dict[str, Any]) -> dict[str, Any]:
    """A row plus the file stamp that tells an update whether the file changed."""
    entry = row_of(doc) | {"stamp": [json_path(doc["path"]), doc["mtime_ns"], doc["size"]]}
    if doc.get("_taught"):
        entry["taught"] = doc["_taught"]
    return entry


def _applied(listing: dict[str, Any] | None) -> list[str]:
    """The learned names a listing says its articles were analysed with (read from disk:
    anything but a list of names counts as none, and they are all looked for again)."""
    names = (listing or {}).get("learned")
    return sorted(n for n in names if isinstance(n, str)) if isinstance(names, list) else []


PRIVATE = ("stamp", "taught")
"""Listing keys that are the index's own bookkeeping, never part of a row."""


def _article_plain(doc: dict[str, Any]) -> dict[str, Any]:
    """What the reader needs to show one article, from a stored or prepared document."""
    return {
        "article": {
            "id": doc["id"], "path": json_path(doc["path"]), "title": doc.get("title") or None,
            "author": doc.get("author") or None, "source": doc.get("source") or None,
            "date": doc.get("date_iso"), "url": doc.get("url"), "text": doc["body"],
        },
        "analysis": json.loads(doc["analysis"]),
    }


def _read_json(path: Path, toc: int) -> dict[str, Any] | None:
    """A generation's JSON file, if it was written for Whoosh's latest commit `toc`."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("toc") != toc:
        return None
    return data


def _read_overview(gen_dir: Path) -> dict[str, Any] | None:
    data = _read_json(gen_dir / OVERVIEW, engine.commit_number(gen_dir))
    if data is None:
        return None
    head, first, total = data.get("head"), data.get("first"), data.get("total")
    if not isinstance(head, list) or not isinstance(first, (dict, type(None))) or not isinstance(total, int):
        return None
    if not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in head):
        return None
    return data


def _read_listing(gen_dir: Path) -> dict[str, Any] | None:
    data = _read_json(gen_dir / LISTING, engine.commit_number(gen_dir))
    if data is None:
        return None
    articles = data.get("articles")
    if not isinstance(articles, list):
        return None
    if not all(isinstance(e, dict) and isinstance(e.get("id"), str) and isinstance(e.get("stamp"), list)
               for e in articles):
        return None
    return data


BUILDING = "BUILDING"
"""Marks a generation whose full build has not finished; it holds what the build is for."""

BATCH_DOCS = 5000
"""A full build commits every this many articles: what an interruption can lose, and what
bounds the writer's memory. The BBC corpus (2,225) is one batch, one commit."""
FIRST_BATCH = 250
"""When a reader follows a build (`on_commit`), its first commit comes after this many
articles and each next batch is four times the last, up to BATCH_DOCS: what is indexed so
far is searchable within seconds, for a few extra segments to merge at the end."""


@dataclass
class Index:
    """One corpus's index folder."""

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

    def overview(self) -> dict[str, Any] | None:
        """The live generation's newest rows (`head`), article count (`total`) and newest
        article (`first`), read without Whoosh and without the full list.

        None when missing or older than the index (a writer died between commit and overview):
        callers then read the index itself."""
        gen_dir = self._live_dir()
        return None if gen_dir is None else _read_overview(gen_dir)

    def listing(self) -> dict[str, Any] | None:
        """Every article's list row with its file stamp (`articles`, newest first); None like
        overview()."""
        gen_dir = self._live_dir()
        return None if gen_dir is None else _read_listing(gen_dir)

    def _live_dir(self) -> Path | None:
        cur = self._current()
        return self.root / cur["gen"] if cur is not None and self._compatible(cur) else None

    def _write_overview(self, gen_dir: Path, ordered: list[dict[str, Any]], first: dict[str, Any] | None,
                        skipped: dict[str, list[Any]] | None = None, learned: list[str] | None = None) -> None:
        """The full listing (`ordered` newest first, with the files it could not index and why,
        by their stamps), then the overview; each names the commit it describes."""
        toc = engine.commit_number(gen_dir)
        head = [{k: v for k, v in e.items() if k not in PRIVATE} for e in ordered[:OVERVIEW_HEAD]]
        files = {n: os.stat(gen_dir / n).st_size for n in os.listdir(gen_dir) if engine.is_index_file(n)}
        for name, data in ((LISTING, {"toc": toc, "articles": ordered, "skipped": skipped or {},
                                      "learned": learned or []}),
                           (OVERVIEW, {"toc": toc, "total": len(ordered), "head": head, "first": first, "files": files})):
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
        except Exception as exc:
            raise IndexUnusable(f"the build in {self.root / name} cannot be read yet ({type(exc).__name__})") from None

    def read_article(self, path: str, art_id: str) -> tuple[Any, Any] | None:
        """One article read and analysed straight from its file, without the index: for a
        reader that lists it before the build has committed it. None if it cannot be read."""
        from sinoread.ingest.files import SourceFile, inside_corpus
        from sinoread.models import Article, analysis_from_plain

        if not inside_corpus(path, self.corpus):
            return None
        doc = prepare(SourceFile(art_id, path, 0, 0, target=os.path.realpath(path)), self.cfg)
        if isinstance(doc, Problem):
            return None
        plain = _article_plain(doc)
        return Article(**plain["article"]), analysis_from_plain(plain["analysis"])

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
            root.mkdir(parents=True, mode=0o700)
            (root / MARKER).write_text("sinoread index folder: everything in it is a cache\n")
            return
        check_trusted(root)
        if (root / MARKER).exists():
            return
        names = set(os.listdir(root))
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

    # -- building --

    def update(
        self, rebuild: bool = False, progress: ProgressFn | None = None,
        cancelled: Callable[[], bool] | None = None, wait: float = 30.0, workers: int | None = None,
        on_document: DocumentFn | None = None, on_merge: Callable[[], None] | None = None,
        on_commit: Callable[[str], None] | None = None,
    ) -> IndexReport:
        """Bring the index in line with the corpus: only new, changed and removed files.

        A full build interrupted part-way (Ctrl-C, a kill, the app closed) is resumed by the
        next run that needs a full build. `on_document` sees each article's list row as it
        is indexed, so a UI can fill in. `on_merge` is called when a build of several batches
        starts merging them into one segment: minutes at 100,000 articles, after the last one.
        `on_commit` is told the generation a full build has committed a batch to, so a reader
        can search what is indexed so far (`open_generation`); batches then start small."""
        from sinoread.ingest.files import scan

        with self._locked(wait):
            if not self.corpus.is_dir():  # never read a vanished folder as "every article removed"
                raise CorpusMissing(
                    f"the corpus folder {self.corpus} is gone (renamed, deleted or unmounted); "
                    "the index is kept as it was: bring the folder back or pass --corpus DIR"
                )
            unlisted: list[str] = []
            files, problems = scan(self.corpus, unlisted)
            if os.path.abspath(self.corpus) in {os.path.abspath(u) for u in unlisted}:
                raise CorpusMissing(
                    f"the corpus folder {self.corpus} cannot be listed right now ({problems[0].reason}); "
                    "the index is kept as it was"
                )
            self._unlisted = tuple(json_path(os.path.abspath(u).rstrip(os.sep) + os.sep) for u in unlisted)
            cur = self._current()
            hooks = (progress, cancelled, workers, on_document)
            if rebuild or not self._compatible(cur):
                resume = self._resumable()
                self._remove_leftovers(keep=resume)
                return self._full_build(files, problems, resume, *hooks, on_merge=on_merge, on_commit=on_commit)
            self._remove_leftovers()
            try:
                return self._incremental(files, problems, *hooks)
            except IndexUnusable:
                self._remove_leftovers()
                return self._full_build(files, problems, None, *hooks, on_merge=on_merge, on_commit=on_commit)

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

    def _build_key(self) -> dict[str, Any]:
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
            if key == self._build_key() and _read_listing(gen_dir) is not None:
                return gen_dir
        return None

    def _documents(
        self, files: list[SourceFile], problems: list[Problem], progress: ProgressFn | None,
        cancelled: Callable[[], bool] | None, workers: int | None, on_document: DocumentFn | None,
        done: int = 0, bad: dict[str, list[Any]] | None = None, learned: dict[str, Any] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Prepared documents in file order, read and analysed on every core when it pays.
        `done`: articles a resumed build already has, so progress counts the whole corpus."""
        total = len(files)
        n_workers = workers if workers is not None else (os.cpu_count() or 1)
        with ExitStack() as stack:
            if n_workers > 1 and total >= POOL_FROM:
                from concurrent.futures import ProcessPoolExecutor

                # forkserver, not fork: a forked worker would inherit the lock's descriptor
                # and keep the index locked after this process is killed.
                pool = stack.enter_context(ProcessPoolExecutor(
                    n_workers, mp_context=_pool_context(),
                    initializer=_init_worker, initargs=(self.cfg.path, os.getpid(), _worker_stderr(), learned),
                ))
                stack.callback(pool.shutdown, cancel_futures=True)
                results: Iterator[dict[str, Any] | Problem] = _bounded_map(pool, files, window=4 * n_workers)
            else:
                results = (prepare(f, self.cfg, learned) for f in files)
            for i, (source, doc) in enumerate(zip(files, results, strict=True)):
                if cancelled and cancelled():
                    raise KeyboardInterrupt
                if progress:
                    progress(done + i + 1, done + total, source.id)
                if isinstance(doc, Problem):
                    problems.append(doc)
                    if bad is not None and not doc.reason.startswith(TRANSIENT):
                        # remembered by its stamp: not read again until it changes
                        bad[json_path(source.path)] = [source.mtime_ns, source.size, doc.reason]
                    continue
                if on_document:
                    on_document(row_of(doc) | {"path": doc["path"]})
                yield doc

    def _write_current(self, gen: str, previous: str | None) -> None:
        tmp = self.root / f"CURRENT.tmp-{os.getpid()}"
        with open(tmp, "w") as fh:
            json.dump({"gen": gen, "previous": previous, **self._build_key()}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / "CURRENT")

    def _full_build(
        self, files: list[SourceFile], problems: list[Problem], resume: Path | None,
        progress: ProgressFn | None, cancelled: Callable[[], bool] | None, workers: int | None,
        on_document: DocumentFn | None, on_merge: Callable[[], None] | None = None,
        on_commit: Callable[[str], None] | None = None,
    ) -> IndexReport:
        """Build a new generation in batches, each one committed with the overview as its
        record, then merge it and make it live. The live index is untouched throughout."""
        cur = self._current() if self._compatible(self._current()) else None
        entries: dict[str, dict[str, Any]] = {}
        ix = None
        if resume is not None:
            try:
                ix = engine.open_index(str(resume))
                listing = _read_listing(resume)
                assert listing is not None
                entries = {e["id"]: e for e in listing["articles"]}
                gen_dir = resume
            except Exception:  # a damaged leftover: start afresh
                shutil.rmtree(resume, ignore_errors=True)
                ix, entries = None, {}
        if ix is None:
            gen_no = 1 + max([int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()] or [0])
            gen_dir = self.root / f"gen-{gen_no:06d}"
        stamps = {f.id: (json_path(f.path), f.mtime_ns, f.size) for f in files}
        stale = [i for i, e in entries.items() if stamps.get(i) != tuple(e["stamp"])]
        for art_id in stale:
            del entries[art_id]
        todo = [f for f in files if f.id not in entries]
        if on_document:
            for e in entries.values():
                on_document({k: v for k, v in e.items() if k not in PRIVATE} | {"path": e["stamp"][0]})
        added: list[str] = []
        bad: dict[str, list[Any]] = {}
        resumable = resume is not None
        try:
            if ix is None:
                gen_dir.mkdir(mode=0o700)
                (gen_dir / MARKER).write_text("a generation of a sinoread index\n")
                (gen_dir / BUILDING).write_text(json.dumps(self._build_key()))
                ix = engine.create_index(str(gen_dir))
            writer = engine.open_writer(ix)
            try:
                if stale:
                    engine.delete_ids(writer, stale)
                in_batch = 0
                batch = min(FIRST_BATCH, BATCH_DOCS) if on_commit else BATCH_DOCS
                if on_commit and entries:
                    on_commit(gen_dir.name)  # a resumed build: what it has is searchable now
                for doc in self._documents(todo, problems, progress, cancelled, workers, on_document,
                                           done=len(entries), bad=bad):
                    engine.add_document(writer, doc)
                    added.append(doc["id"])
                    entries[doc["id"]] = _list_entry(doc)
                    in_batch += 1
                    if in_batch >= batch:  # a resumable point; also frees the writer's pool
                        writer.commit(merge=False)
                        self._write_overview(gen_dir, newest_first(list(entries.values())), None, bad)
                        resumable = True
                        writer, in_batch = engine.open_writer(ix), 0
                        batch = min(4 * batch, BATCH_DOCS)
                        if on_commit:
                            on_commit(gen_dir.name)
                # Merged once, after the learning pass below (which replaces some documents).
                writer.commit(merge=False)
            except BaseException:
                with suppress(Exception):  # already closed if the interruption came between batches
                    writer.cancel()
                raise
            learned, relearned = self._learn(ix, files, entries, problems, applied=set(), added=set())
            if not on_commit and (resumable or relearned):
                # A reader that follows the build keeps its batches as segments (merging them
                # was 40% of its time; updates merge small ones later). Otherwise: one segment,
                # without the documents the learning pass replaced.
                if on_merge:
                    on_merge()
                engine.open_writer(ix).commit(optimize=True)
            ordered = newest_first(list(entries.values()))
            self._write_overview(gen_dir, ordered, self._first_article(ix, ordered), bad, learned)
            (gen_dir / BUILDING).unlink()
            self._write_current(gen_dir.name, previous=cur.get("gen") if cur else None)
        except (KeyboardInterrupt, SystemExit):
            if not resumable:  # nothing committed yet: nothing to resume
                shutil.rmtree(gen_dir, ignore_errors=True)
            raise  # the committed batches stay for the next run to resume
        except BaseException as exc:
            shutil.rmtree(gen_dir, ignore_errors=True)
            if isinstance(exc, OSError):
                raise IndexUnusable(
                    f"could not write the index in {self.root} ({exc.strerror or exc}); "
                    "the previous index is untouched; free space or choose --index DIR"
                ) from None
            raise
        self._remove_leftovers()
        resumed = len(entries) - len(added)
        return IndexReport(added=tuple(added), skipped=tuple(problems), rebuilt=True, resumed=resumed)

    def _learn(self, ix: Any, files: list[SourceFile], entries: dict[str, dict[str, Any]],
               problems: list[Problem], applied: set[str], added: set[str]) -> tuple[list[str], int]:
        """Re-analyse the articles that contain a name another article taught and miss it:
        for a name learned now, every such article (found through the index); for the
        articles added now, every name learned so far. Returns the names now applied, and
        how many articles were analysed again."""
        learned = learned_names((i, e.get("taught") or []) for i, e in sorted(entries.items()))
        if not learned:
            return [], 0
        new = [k for k, v in learned.items() if v.name not in applied]
        targets: set[str] = set()
        with ix.searcher() as s:
            def misses(doc: dict[str, Any], name: str) -> bool:
                return f'"{name}"' not in doc.get("analysis", "")  # not marked there yet

            for key in new:
                terms = engine.indexed_words(learned[key].name)
                if len(terms) < 2:
                    continue
                for hit in engine.phrase_documents(s, "body", terms):
                    if misses(hit, learned[key].name):
                        targets.add(hit["id"])
            if added and len(learned) > len(new):
                rx = re.compile(rf"(?<!\w)(?:{trie_pattern(learned)})(?!\w)")
                for art_id in added:
                    doc = s.document(id=art_id)
                    if doc is not None and any(misses(doc, learned[m.group(0)].name) for m in rx.finditer(fold(doc["body"]))):
                        targets.add(art_id)
        by_id = {f.id: f for f in files}
        redo = [by_id[i] for i in sorted(targets) if i in by_id]
        if redo:
            writer = engine.open_writer(ix, timeout=5.0)
            try:
                engine.delete_ids(writer, [f.id for f in redo])
                for f in redo:
                    entries.pop(f.id, None)  # back below, unless the file cannot be read now
                for doc in self._documents(redo, problems, None, None, None, None, learned=learned):
                    engine.add_document(writer, doc)
                    entries[doc["id"]] = _list_entry(doc)
                writer.commit(merge=False)
            except BaseException:
                writer.cancel()
                raise
        return sorted({v.name for v in learned.values()}), len(redo)

    def _first_article(self, ix: Any, ordered: list[dict[str, Any]]) -> dict[str, Any] | None:
        if not ordered:
            return None
        with ix.searcher() as s:
            doc = s.document(id=ordered[0]["id"])
        return _article_plain(doc) if doc else None

    def _incremental(
        self, files: list[SourceFile], problems: list[Problem], progress: ProgressFn | None,
        cancelled: Callable[[], bool] | None, workers: int | None, on_document: DocumentFn | None,
    ) -> IndexReport:
        ix = self.open()
        overview, listing = self.overview(), self.listing()
        if overview is not None and listing is not None:
            entries = {e["id"]: e for e in listing["articles"]}
        else:  # no usable overview: read every stored document once, and write one
            with ix.searcher() as s:
                entries = {f["id"]: _list_entry(f) for f in s.all_stored_fields()}
        known = {i: tuple(e["stamp"]) for i, e in entries.items()}
        on_disk = {f.id: f for f in files}
        changed = [f for f in files if f.id in known and known[f.id] != (json_path(f.path), f.mtime_ns, f.size)]
        remembered = (listing or {}).get("skipped") or {}
        bad: dict[str, list[Any]] = {}
        new = []
        for f in files:
            if f.id in known:
                continue
            was = remembered.get(json_path(f.path))
            if isinstance(was, list) and len(was) == 3 and was[:2] == [f.mtime_ns, f.size]:
                problems.append(Problem(f.path, str(was[2])))  # skipped before, unchanged since
                bad[json_path(f.path)] = was
            else:
                new.append(f)
        # Articles in a folder that could not be listed this time (a network hiccup) stay.
        unlisted = getattr(self, "_unlisted", ())
        removed = sorted(i for i in set(known) - set(on_disk)
                         if not (unlisted and json_path(str(entries[i]["stamp"][0])).startswith(unlisted)))
        if not (changed or new or removed):
            if overview is None or listing is None or bad != remembered:
                ordered = newest_first(list(entries.values()))
                self._write_overview(Path(ix.storage.folder), ordered, self._first_article(ix, ordered), bad,
                                     _applied(listing))
            return IndexReport(unchanged=len(files), skipped=tuple(problems))
        with ix.reader() as reader:  # each ix.doc_count*() call would open every segment again
            count_all, count_live = reader.doc_count_all(), reader.doc_count()
        try:
            writer = engine.open_writer(ix, timeout=5.0)
        except Exception as exc:
            raise IndexUnusable(f"index writer unavailable ({type(exc).__name__})") from None
        added, updated = [], []
        try:
            # One query deletes every stale id (delete_by_term opens a searcher per call). New
            # ids are included: should the overview ever disagree with the index, an article
            # already indexed is replaced, never doubled.
            stale = removed + [f.id for f in changed] + [f.id for f in new]
            if stale:
                engine.delete_ids(writer, stale)
            changed_ids = {f.id for f in changed}
            for art_id in removed + list(changed_ids):
                entries.pop(art_id, None)
            for doc in self._documents(new + changed, problems, progress, cancelled, workers, on_document, bad=bad):
                engine.add_document(writer, doc)
                (updated if doc["id"] in changed_ids else added).append(doc["id"])
                entries[doc["id"]] = _list_entry(doc)
            # Deleted documents linger in their segment until it is merged; once they are
            # a tenth of the index, rewrite it so statistics and disk stay honest.
            deleted = count_all - count_live + len(removed) + len(changed)
            writer.commit(optimize=deleted > 0.1 * max(count_all, 1))
        except BaseException:
            writer.cancel()
            raise
        learned, _ = self._learn(ix, files, entries, problems, applied=set(_applied(listing)),
                                 added=set(added) | set(updated))
        first = (overview or {}).get("first")
        newest = newest_first(list(entries.values()))
        if not (first and newest and first["article"]["id"] == newest[0]["id"] and newest[0]["id"] not in stale):
            first = self._first_article(self.open(), newest)  # the newest article changed: fetch it
        self._write_overview(Path(ix.storage.folder), newest, first, bad, learned)
        # A changed file that became unreadable was deleted above: report it as removed.
        gone = [f.id for f in changed if f.id not in updated]
        return IndexReport(
            added=tuple(added), updated=tuple(updated), removed=tuple(removed + gone),
            unchanged=len(files) - len(new) - len(changed), skipped=tuple(problems),
        )

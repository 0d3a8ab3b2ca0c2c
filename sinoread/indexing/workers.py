"""Preparing documents on every core: the build's process pool, its workers, and how many
prepared articles may wait for the writer."""

from __future__ import annotations

import itertools
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from sinoread.config import Config, load_config
from sinoread.indexing.documents import document_row, json_path, prepare, reanalysed
from sinoread.models import ArticleRow, Problem

if TYPE_CHECKING:
    from sinoread.engine import Fields
    from sinoread.extract.learning import Known
    from sinoread.ingest.files import SourceFile

ProgressFn = Callable[[int, int, str], None]
DocumentFn = Callable[[ArticleRow], None]
"""Told each article's row (with its file's path) as a build indexes it."""

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


_worker_learned: dict[str, Known] | None = None


def _init_worker(config_path: str, parent: int, stderr_to: str | None = None,
                 learned: dict[str, Known] | None = None) -> None:
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


def _prepare_in_worker(source: SourceFile) -> Fields | Problem:
    assert _worker_cfg is not None
    return prepare(source, _worker_cfg, _worker_learned)


def _prepare_batch_in_worker(sources: list[SourceFile]) -> list[Fields | Problem]:
    return [_prepare_in_worker(s) for s in sources]


def _reanalyse_batch_in_worker(learned: dict[str, Known] | None,
                               items: list[tuple[str, str | None, str]]) -> list[Fields | Problem]:
    assert _worker_cfg is not None
    return [reanalysed(text, date, path, _worker_cfg, learned) for text, date, path in items]


def worker_pool(cfg: Config, workers: int | None, total: int, learned: dict[str, Known] | None = None) -> Any | None:
    """A process per core for `total` files when it pays, else None (work in this process).
    forkserver, not fork: a forked worker would inherit the lock's descriptor and keep the
    index locked after this process is killed."""
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    if n_workers < 2 or total < POOL_FROM:
        return None
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(n_workers, mp_context=_pool_context(), initializer=_init_worker,
                               initargs=(cfg.path, os.getpid(), _worker_stderr(), learned))


def reanalysed_all(cfg: Config, items: list[tuple[str, str | None, str]],
                   learned: dict[str, Known] | None, pool: Any | None) -> list[Fields | Problem]:
    """`reanalysed` for (text, date, path) of held documents, in order, on the build's own
    workers when it has them (started once: starting a second pool cost 0.8 s of a BBC
    build): the learning pass of a build that holds its documents reads no file again."""
    if pool is None:
        return [reanalysed(text, date, path, cfg, learned) for text, date, path in items]
    return list(_bounded_map(pool, items, 4 * (os.cpu_count() or 1), work=partial(_reanalyse_batch_in_worker, learned)))


def _bounded_map(pool: Any, files: list[Any], window: int, chunk: int = 16,
                 work: Callable[[list[Any]], list[Any]] = _prepare_batch_in_worker) -> Iterator[Any]:
    """`pool.map` in order, with at most `window` chunks in flight: `Executor.map` submits
    everything at once, and prepared articles then pile up in memory whenever the
    writer is slower than the workers (hundreds of MB at 20,000 articles)."""
    from collections import deque

    chunks = (files[i:i + chunk] for i in range(0, len(files), chunk))
    pending = deque(pool.submit(work, c) for c in itertools.islice(chunks, window))
    while pending:
        done = pending.popleft().result()
        for c in itertools.islice(chunks, 1):
            pending.append(pool.submit(work, c))
        yield from done


def prepared(
    cfg: Config, files: list[SourceFile], problems: list[Problem], progress: ProgressFn | None,
    cancelled: Callable[[], bool] | None, workers: int | None, on_document: DocumentFn | None,
    done: int = 0, bad: dict[str, list[Any]] | None = None, learned: dict[str, Known] | None = None,
    pool: Any | None = None,
) -> Iterator[Fields]:
    """Prepared documents in file order, read and analysed on every core when it pays.
    `done`: articles a resumed build already has, so progress counts the whole corpus.
    `pool`: the caller's `worker_pool`, kept for more work after this (no learned names)."""
    total = len(files)
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    with ExitStack() as stack:
        if pool is None:
            pool = worker_pool(cfg, workers, total, learned)
            if pool is not None:
                stack.enter_context(pool)
                stack.callback(pool.shutdown, cancel_futures=True)
        if pool is not None:
            results: Iterator[Fields | Problem] = _bounded_map(pool, files, window=4 * n_workers)
        else:
            results = (prepare(f, cfg, learned) for f in files)
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
                on_document(replace(document_row(doc), path=doc["path"]))
            yield doc

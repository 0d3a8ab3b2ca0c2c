"""What the CLI prints besides its commands' own lines: JSON, the progress bar, stderr."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any


def to_stderr(msg: str) -> None:
    """A message on stderr; paths and ids in it come from the folder, so they are made inert."""
    from sinoread.ingest.sanitize import sanitize

    print(sanitize(msg), file=sys.stderr)


def forgiving_streams() -> None:
    """In a locale that cannot spell Vietnamese or Chinese (ISO-8859-1, ASCII), print `?`
    rather than stop on the first title with a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def print_json(obj: Any) -> None:
    # UTF-8 whatever the locale; a file name's undecodable bytes (lone surrogates) as \\udcxx.
    sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")  # type: ignore[union-attr]
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def progress_printer() -> Any:
    """A one-line bar on a terminal's stderr, with the rate and time left, redrawn at most
    ten times a second (a 100,000-article build calls it 100,000 times)."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()
    last = 0.0
    base: int | None = None  # articles a resumed build already had: not part of this run's rate

    def show(done: int, total: int, art_id: str) -> None:
        nonlocal last, base
        if base is None:
            base = done - 1
        now = time.monotonic()
        if done != total and now - last < 0.1:
            return
        last = now
        width = 30
        filled = int(width * done / max(total, 1))
        rate = (done - base) / max(now - started, 1e-9)
        left = (total - done) / rate if rate > 0 else 0.0
        eta = f"{int(left // 60)}:{int(left % 60):02d} left" if done < total else "done"
        print(f"\rindexing [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} · {rate:,.0f}/s · {eta}  ",
              end="", file=sys.stderr)
        if done == total:
            print(file=sys.stderr)

    return show


def merge_notice() -> None:
    if sys.stderr.isatty():
        print("merging the batches into one segment (minutes for a large corpus) ...", file=sys.stderr)


def marked(text: str, marks: Any) -> str:
    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    out, last = [], 0
    for s, e in marks:
        out.append(text[last:s])
        out.append(f"\x1b[1m{text[s:e]}\x1b[0m" if bold else f"«{text[s:e]}»")
        last = e
    out.append(text[last:])
    return "".join(out)

"""The failure log: every unexpected error is written here with its traceback, so none is silent.

The reader cannot print a traceback over its own screen; it writes it here and says where.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime, timezone
from pathlib import Path

MAX_LOG_BYTES = 1024 * 1024
"""Past this the log starts afresh (the previous one is kept as `.1`): it must never fill a disk."""


def log_path() -> Path:
    """`sinoread.log` in the user cache folder (XDG_CACHE_HOME respected)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("sinoread")) / "sinoread.log"


def log_failure(context: str, exc: BaseException) -> Path | None:
    """Append `context` and the traceback of `exc`; the log's path, or None if it cannot be written."""
    path = log_path()
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            os.replace(path, path.with_suffix(".log.1"))
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"--- {stamp} pid {os.getpid()}: {context}\n{text}\n")
    except OSError:
        return None
    return path


def describe(exc: BaseException) -> str:
    """One line for a person: the exception's type and message."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__

"""Whoosh's file names in an index folder, read without importing Whoosh.

The reader's first frame comes from the overview, which records the commit it describes:
telling whether it is current must not wait for Whoosh to load. A test holds these names
to Whoosh's own (`internals.toc_filename`, `internals.latest_commit`).
"""

from __future__ import annotations

import os
from pathlib import Path

INDEX_NAME = "MAIN"
"""The name Whoosh gives the index inside its folder (its default, which sinoread keeps)."""

_TOC_PREFIX, _TOC_SUFFIX = f"_{INDEX_NAME}_", ".toc"


def commit_number(folder: Path) -> int:
    """Whoosh's commit counter for the index in `folder`, read from its table-of-contents file
    names (`_MAIN_<n>.toc`); -1 when there is none or the folder cannot be listed."""
    try:
        names = os.listdir(folder)
    except OSError:
        return -1
    start, end = len(_TOC_PREFIX), -len(_TOC_SUFFIX)
    numbers = [int(n[start:end]) for n in names
               if n.startswith(_TOC_PREFIX) and n.endswith(_TOC_SUFFIX) and n[start:end].isdigit()]
    return max(numbers, default=-1)


def is_index_file(name: str) -> bool:
    """Whether a file in an index folder is one of Whoosh's (segments and tables of contents),
    whose sizes a commit records; its write lock is not."""
    return name.startswith((f"{INDEX_NAME}_", _TOC_PREFIX)) and not name.endswith("WRITELOCK")

"""Patterns from the user's config run under a time budget per article.

A config pattern cannot be proven safe (`(a|aa)+$` backtracks for ever on the wrong text), and
Python's `re` cannot be interrupted in the middle of a match. These are compiled with `regex`,
whose matcher checks a timeout as it goes: within `article_budget()`, every match gets what
is left of the article's budget, and an overrun raises `PatternTimeout` naming the pattern,
so that one article is skipped and indexing goes on."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import regex


def article_seconds(default: float = 10.0) -> float:
    """The budget `SINOREAD_ARTICLE_SECONDS` sets (a bad value is the default)."""
    try:
        value = float(os.environ.get("SINOREAD_ARTICLE_SECONDS") or default)
    except ValueError:
        return default
    return value if value > 0 else default


ARTICLE_SECONDS = article_seconds()
"""One article's analysis (a few milliseconds as a rule); past this it is skipped.
`SINOREAD_ARTICLE_SECONDS` sets it (read when sinoread starts, and by each build worker)."""

_local = threading.local()


class PatternTimeout(Exception):
    """An article's analysis ran out of time inside a config pattern."""

    def __init__(self, where: str, pattern: str) -> None:
        super().__init__(f"{where}: {pattern!r}")
        self.where, self.pattern = where, pattern


@contextmanager
def article_budget(seconds: float | None = None) -> Iterator[None]:
    """Budgeted patterns matched inside this block share `seconds` (default ARTICLE_SECONDS)."""
    previous = getattr(_local, "deadline", None)
    if seconds is None:
        seconds = article_seconds(ARTICLE_SECONDS)
    _local.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.deadline = previous


def check_budget(where: str) -> None:
    """Between steps of an article's analysis that are not config patterns: stop when spent."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise PatternTimeout(where, "")


def _left() -> float | None:
    deadline = getattr(_local, "deadline", None)
    return None if deadline is None else max(deadline - time.monotonic(), 0.0001)


class BudgetedPattern:
    """A compiled config pattern with `re.Pattern`'s reading methods, bounded by the budget.

    `where` names its place in the config (`agreements.kinds[3].cues`) for the message."""

    __slots__ = ("_compiled", "pattern", "where")

    def __init__(self, pattern: str, flags: int = 0, where: str = "config") -> None:
        self._compiled = regex.compile(pattern, flags | regex.VERSION0)
        self.pattern = pattern
        self.where = where

    def __reduce__(self) -> Any:
        return (_rebuild, (self.pattern, self._compiled.flags & ~regex.VERSION0, self.where))

    def _timed_out(self) -> PatternTimeout:
        return PatternTimeout(self.where, self.pattern)

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        try:
            return self._compiled.search(string, pos, len(string) if endpos is None else endpos, timeout=_left())
        except TimeoutError:
            raise self._timed_out() from None

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        try:
            return self._compiled.match(string, pos, len(string) if endpos is None else endpos, timeout=_left())
        except TimeoutError:
            raise self._timed_out() from None

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        try:
            return self._compiled.fullmatch(string, pos, len(string) if endpos is None else endpos, timeout=_left())
        except TimeoutError:
            raise self._timed_out() from None

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator[Any]:
        found = self._compiled.finditer(string, pos, len(string) if endpos is None else endpos, timeout=_left())
        try:
            yield from found
        except TimeoutError:
            raise self._timed_out() from None

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        try:
            return self._compiled.sub(repl, string, count, timeout=_left())
        except TimeoutError:
            raise self._timed_out() from None

    @property
    def flags(self) -> int:
        return self._compiled.flags

    @property
    def groupindex(self) -> Any:
        return self._compiled.groupindex


def _rebuild(pattern: str, flags: int, where: str) -> BudgetedPattern:
    return BudgetedPattern(pattern, flags, where)


def compile_checked(pattern: str, flags: int = 0, where: str = "config") -> BudgetedPattern:
    """Compile, or raise ValueError saying why (the config loader turns it into file and line)."""
    try:
        return BudgetedPattern(pattern, flags, where)
    except (regex.error, RecursionError, OverflowError, ValueError) as exc:
        raise ValueError(str(exc)) from None

"""The CLI's progress line, in process: what a resumed build's bar counts."""

from __future__ import annotations

import io

from sinoread.cli import output


def test_progress_of_a_resumed_build_counts_the_corpus_and_its_own_rate(monkeypatch):
    """A resumed build starts at the articles it already has: the bar shows 3/5, and the
    rate counts only what this run indexed (1 article in its first second, not 3)."""

    class Tty(io.StringIO):
        def isatty(self):
            return True

    err = Tty()
    clock = iter([0.0, 1.0, 2.0, 3.0])
    monkeypatch.setattr(output.sys, "stderr", err)
    monkeypatch.setattr(output.time, "monotonic", lambda: next(clock))
    show = output.progress_printer()
    show(3, 5, "c")
    assert "3/5 · 1/s · 0:02 left" in err.getvalue()
    show(4, 5, "d")
    show(5, 5, "e")
    assert err.getvalue().rstrip().endswith("5/5 · 1/s · done")

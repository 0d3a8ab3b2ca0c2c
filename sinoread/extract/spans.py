"""Spans in the folded text: the word bounds every alias pattern uses, and the spans already claimed."""

from __future__ import annotations

from bisect import bisect_left, insort

BOUND_L = r"(?<![\w])"
BOUND_R = r"(?![\w])"


class Occupied:
    """Non-overlapping spans already claimed, with overlap tests in O(log n).

    A 20 MB article has hundreds of thousands of mentions: pairwise checks would never end."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_left(self.spans, (s, s))
        if i < len(self.spans) and self.spans[i][0] < e:
            return True
        return i > 0 and self.spans[i - 1][1] > s

    def add(self, s: int, e: int) -> None:
        insort(self.spans, (s, e))
